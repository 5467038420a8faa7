#include "Sql.h"

#include <QSqlError>

namespace hookline::sql {

namespace {
Error failure(QStringView what, const QSqlError &error)
{
    return Error::database(QStringLiteral("database error while %1: %2").arg(what, error.text().trimmed()));
}
} // namespace

Status exec(QSqlQuery &query, QStringView what)
{
    if (!query.exec())
        return failure(what, query.lastError());
    return Ok{};
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
    if (!m_db.transaction())
        return Error::database(QStringLiteral("could not start a transaction: %1").arg(m_db.lastError().text()));
    m_open = true;
    return Ok{};
}

Status Transaction::commit()
{
    if (!m_db.commit()) {
        const auto text = m_db.lastError().text();
        rollback();
        return Error::database(QStringLiteral("could not commit: %1").arg(text));
    }
    m_open = false;
    return Ok{};
}

void Transaction::rollback()
{
    if (m_open) {
        m_db.rollback();
        m_open = false;
    }
}

} // namespace hookline::sql
