#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <memory>
#include <optional>

namespace hookline {

// Tells a long-lived cache (the REST API's keys, webhooks and catalog)
// whether the database may have changed under it: on SQLite, whether another
// connection committed since the last look; on PostgreSQL, always (it has no
// cheap way to say). Changes made through the same connection are not seen:
// whoever makes them drops its caches itself.
class ChangeWatch final {
public:
    explicit ChangeWatch(QSqlDatabase db);
    ~ChangeWatch();
    Q_DISABLE_COPY_MOVE(ChangeWatch)
    bool changed();

private:
    QSqlDatabase m_db;
    std::unique_ptr<QSqlQuery> m_query; // PRAGMA data_version, prepared once (SQLite)
    std::optional<qint64> m_version;
};

} // namespace hookline
