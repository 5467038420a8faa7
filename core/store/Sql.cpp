#include "Sql.h"

#include <QCoreApplication>
#include <QSqlDriver>
#include <QSqlError>

namespace hookline::sql {

Error failure(QStringView what, const QString &reason)
{
    return Error::database(QCoreApplication::translate("hookline::sql", "database error while %1: %2").arg(what, reason.trimmed()));
}

namespace {
Error failure(QStringView what, const QSqlError &error)
{
    return sql::failure(what, error.text());
}
} // namespace

bool isPostgres(const QSqlDatabase &db)
{
    return db.driverName() == u"QPSQL";
}

std::optional<qint64> dataVersion(QSqlQuery &prepared)
{
    if (!prepared.exec() || !prepared.next())
        return std::nullopt;
    const qint64 version = prepared.value(0).toLongLong();
    prepared.finish();
    return version;
}

Status notifyDue(const QSqlDatabase &db)
{
    if (!isPostgres(db))
        return Ok{};
    return exec(db, QStringLiteral("NOTIFY ") + QLatin1StringView(kDueChannel),
                QCoreApplication::translate("hookline::sql", "waking the delivery engines"));
}

Status exec(QSqlQuery &query, QStringView what)
{
    // Flags are INTEGER columns (SQLite has no boolean type). SQLite takes a
    // bound bool as 0/1; PostgreSQL refuses a boolean for a BIGINT parameter.
    if (query.driver() && query.driver()->dbmsType() == QSqlDriver::PostgreSQL) {
        const auto values = query.boundValues();
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (values[i].typeId() == QMetaType::Bool)
                query.bindValue(int(i), values[i].toBool() ? 1 : 0);
        }
    }
    // A statement that failed to prepare keeps the reason in lastError(), and
    // exec() then only says "Parameter count mismatch" or the like. But a
    // prepared statement whose last run failed (a busy database, a refused
    // row) keeps its error too, and must run again: so it always runs, and a
    // failure names the earlier reason as well when it differs.
    const QSqlError before = query.isActive() ? QSqlError() : query.lastError();
    if (query.exec())
        return Ok{};
    const QSqlError error = query.lastError();
    if (before.type() != QSqlError::NoError && before.text().trimmed() != error.text().trimmed())
        return sql::failure(what, error.text().trimmed() + QStringLiteral(" (") + before.text().trimmed() + u')');
    return failure(what, error);
}

QSqlQuery prepare(const QSqlDatabase &db, const QString &statement)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(statement);
    return query;
}

Status exec(const QSqlDatabase &db, const QString &statement, QStringView what)
{
    QSqlQuery query(db);
    if (!query.exec(statement))
        return failure(what, query.lastError());
    return Ok{};
}

QVariant optionalMs(const QDateTime &t)
{
    return t.isValid() ? QVariant(toMs(t)) : QVariant(QMetaType(QMetaType::LongLong));
}

QDateTime dateOrNull(const QVariant &value)
{
    return value.isNull() ? QDateTime() : fromMs(value.toLongLong());
}

Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db))
{
}

Transaction::~Transaction()
{
    rollback();
}

Status Transaction::begin()
{
    // IMMEDIATE takes the write lock up front. A deferred transaction that
    // reads and then writes fails at once with SQLITE_BUSY when another
    // connection (an engine worker, the CLI) committed in between; taking the
    // lock first makes writers queue behind the busy timeout instead.
    // PostgreSQL locks rows, not the database: a plain BEGIN.
    QSqlQuery q(m_db);
    if (!q.exec(isPostgres(m_db) ? QStringLiteral("BEGIN") : QStringLiteral("BEGIN IMMEDIATE")))
        return Error::database(QCoreApplication::translate("hookline::sql", "could not start a transaction: %1").arg(q.lastError().text()));
    m_open = true;
    return Ok{};
}

Status Transaction::commit()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("COMMIT"))) {
        const auto text = q.lastError().text();
        rollback();
        return Error::database(QCoreApplication::translate("hookline::sql", "could not commit: %1").arg(text));
    }
    m_open = false;
    return Ok{};
}

void Transaction::rollback()
{
    if (m_open) {
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("ROLLBACK"));
        m_open = false;
    }
}

QString placeholders(qsizetype n)
{
    QString out;
    out.reserve(n * 2);
    for (qsizetype i = 0; i < n; ++i)
        out += i ? QStringLiteral(",?") : QStringLiteral("?");
    return out;
}

} // namespace hookline::sql
