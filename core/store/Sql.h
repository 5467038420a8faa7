#pragma once

#include "util/Result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <optional>

namespace hookline::sql {

// SQLite (QSQLITE) or PostgreSQL (QPSQL): the few statements that differ ask.
bool isPostgres(const QSqlDatabase &db);

// PostgreSQL: wakes the engines of every process and machine (LISTEN on
// kDueChannel) when the transaction commits; nothing on SQLite, where other
// processes find new work by polling.
inline constexpr char kDueChannel[] = "hookline_due";
Status notifyDue(const QSqlDatabase &db);

// "database error while <what>: <reason>", the error every failed statement gives.
Error failure(QStringView what, const QString &reason);
// Runs a prepared query; a failure becomes an Error naming what was being done.
Status exec(QSqlQuery &query, QStringView what);
// Prepares and runs a statement without bound values.
Status exec(const QSqlDatabase &db, const QString &statement, QStringView what);
// Prepares a statement; forward-only, since we never scroll back.
QSqlQuery prepare(const QSqlDatabase &db, const QString &statement);
// "?,?,…": n placeholders for an IN list.
QString placeholders(qsizetype n);

// Timestamps are stored as INTEGER milliseconds since the epoch, UTC: compact,
// sortable, and identical in SQLite and PostgreSQL.
inline qint64 toMs(const QDateTime &t)
{
    return t.toMSecsSinceEpoch();
}
inline QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}
QVariant optionalMs(const QDateTime &t);
// A null QString binds as SQL NULL; text columns are NOT NULL, so bind "" instead.
inline QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
} // NULL when invalid
QDateTime dateOrNull(const QVariant &value); // invalid when NULL

// A transaction that rolls back unless committed: every change is all or nothing.
// SQLite's PRAGMA data_version, run with a statement the caller prepared
// once (it is asked often): it changes when another connection commits, not
// when this one does. PostgreSQL has no such thing.
std::optional<qint64> dataVersion(QSqlQuery &prepared);

class Transaction final {
public:
    explicit Transaction(QSqlDatabase db);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    Status begin();
    Status commit();
    void rollback();

private:
    QSqlDatabase m_db;
    bool m_open = false;
};

} // namespace hookline::sql
