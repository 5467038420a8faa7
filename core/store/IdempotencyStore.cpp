#include "IdempotencyStore.h"

#include "store/Sql.h"

namespace hookline {

Result<std::optional<IdempotencyStore::Kept>> IdempotencyStore::find(const QString &tenantId, const QString &key, const QDateTime &since) const
{
    auto q
        = sql::prepare(m_db, QStringLiteral("SELECT request_hash, answer FROM idempotency_keys WHERE tenant_id = ? AND key = ? AND created_at >= ?"));
    q.addBindValue(tenantId);
    q.addBindValue(key);
    q.addBindValue(sql::toMs(since));
    if (auto s = sql::exec(q, tr("reading an idempotency key")); !s)
        return s.error();
    if (!q.next())
        return std::optional<Kept>();
    return std::optional(Kept{q.value(0).toString().toLatin1(), q.value(1).toString().toUtf8()});
}

Status IdempotencyStore::keep(const QString &tenantId, const QString &key, const Kept &kept, const QDateTime &at)
{
    // A key past its window may be used again: its old row goes first.
    auto del = sql::prepare(m_db, QStringLiteral("DELETE FROM idempotency_keys WHERE tenant_id = ? AND key = ?"));
    del.addBindValue(tenantId);
    del.addBindValue(key);
    if (auto s = sql::exec(del, tr("replacing an idempotency key")); !s)
        return s;
    auto q = sql::prepare(m_db,
                          QStringLiteral("INSERT INTO idempotency_keys (tenant_id, key, request_hash, answer, created_at) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(tenantId);
    q.addBindValue(key);
    q.addBindValue(sql::text(QString::fromLatin1(kept.requestHash))); // empty, not NULL, for an event's own key
    q.addBindValue(QString::fromUtf8(kept.answer));
    q.addBindValue(sql::toMs(at));
    return sql::exec(q, tr("keeping an idempotency key"));
}

Status IdempotencyStore::forgetBefore(const QDateTime &before)
{
    auto q = sql::prepare(m_db, QStringLiteral("DELETE FROM idempotency_keys WHERE created_at < ?"));
    q.addBindValue(sql::toMs(before));
    return sql::exec(q, tr("forgetting old idempotency keys"));
}

} // namespace hookline
