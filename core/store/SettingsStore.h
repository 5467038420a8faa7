#pragma once

#include "util/Result.h"

#include <QCoreApplication>
#include <QMap>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace hookline {

// Raw key/value rows of the settings table; meaning and validation live in Settings.
class SettingsStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::SettingsStore)
public:
    explicit SettingsStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    Result<std::optional<QString>> value(const QString &key) const;
    Result<QMap<QString, QString>> all() const;
    Status setValue(const QString &key, const QString &value);
    Status remove(const QString &key);

private:
    QSqlDatabase m_db;
};

} // namespace hookline
