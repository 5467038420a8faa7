#pragma once

#include "util/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

namespace hookline {

// A connection of this thread to a SQLite file other than the
// installation's (a backup being checked or put back), closed and removed
// when this goes.
class SqliteFile final {
    Q_DECLARE_TR_FUNCTIONS(hookline::SqliteFile)
public:
    enum class Mode { ReadOnly, ReadWrite };
    ~SqliteFile();
    Q_DISABLE_COPY_MOVE(SqliteFile)

    static Result<std::unique_ptr<SqliteFile>> open(const QString &path, Mode mode);
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

private:
    explicit SqliteFile(QString name);
    QString m_name;
};

} // namespace hookline
