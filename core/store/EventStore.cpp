#include "EventStore.h"

#include "store/DirectStatement.h"
#include "store/Sql.h"

namespace hookline {

Result<QHash<QString, QStringList>> EventStore::activeSubscriptions(const QString &tenantId) const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT w.id, s.pattern FROM webhooks w JOIN webhook_subscriptions s ON s.webhook_id = w.id"
                                               " WHERE w.tenant_id = ? AND w.active = 1 ORDER BY w.created_at, w.id, s.position"));
    q.addBindValue(tenantId);
    if (auto s = sql::exec(q, tr("reading subscriptions")); !s)
        return s.error();
    QHash<QString, QStringList> out;
    while (q.next())
        out[q.value(0).toString()] << q.value(1).toString();
    return out;
}

Status EventStore::insert(const Event &event, const QList<Delivery> &deliveries)
{
    // Prepared once and reused: a batch emit inserts thousands of rows, and
    // the API's ingestion as many a second (store/DirectStatement.h).
    if (!m_insertEvent) {
        m_insertEvent = std::make_shared<DirectStatement>(
            m_db, QStringLiteral("INSERT INTO events (id, tenant_id, type, created_at, body) VALUES (?, ?, ?, ?, ?)"));
        m_insertDelivery = std::make_shared<DirectStatement>(
            m_db, QStringLiteral("INSERT INTO deliveries (id, event_id, webhook_id, tenant_id, event_type, status, attempts,"
                                 " next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)"));
    }
    auto &e = *m_insertEvent;
    e.bind(event.id);
    e.bind(event.tenantId);
    e.bind(event.type);
    e.bind(sql::toMs(event.createdAt));
    e.bindUtf8(event.body); // canonical JSON, UTF-8 already
    if (auto s = e.exec(tr("recording an event")); !s)
        return s;
    auto &d = *m_insertDelivery;
    for (const auto &delivery : deliveries) {
        d.bind(delivery.id);
        d.bind(event.id);
        d.bind(delivery.webhookId);
        d.bind(event.tenantId);
        d.bind(event.type);
        d.bind(deliveryStatusName(delivery.status));
        d.bind(sql::toMs(delivery.nextAttemptAt));
        d.bind(sql::toMs(delivery.createdAt));
        d.bind(sql::toMs(delivery.createdAt));
        if (auto s = d.exec(tr("recording a delivery")); !s)
            return s;
    }
    // PostgreSQL sends one notification per channel and transaction, however
    // many events a batch inserts.
    return deliveries.isEmpty() ? Status(Ok{}) : sql::notifyDue(m_db);
}

Result<std::optional<Event>> EventStore::find(const QString &id) const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT id, tenant_id, type, created_at, body FROM events WHERE id = ?"));
    q.addBindValue(id);
    if (auto s = sql::exec(q, tr("reading an event")); !s)
        return s.error();
    if (!q.next())
        return std::optional<Event>();
    return std::optional<Event>(Event{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), sql::fromMs(q.value(3).toLongLong()),
                                      q.value(4).toString().toUtf8()});
}

} // namespace hookline
