#include "DeliveryService.h"

#include "service/AuditLog.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "store/DeliveryQueue.h"
#include "store/DeliveryStore.h"
#include "store/EventStore.h"
#include "store/Sql.h"
#include "store/WebhookStore.h"
#include "util/Clock.h"

#include <QJsonObject>

namespace hookline {

Result<QList<Delivery>> DeliveryService::list(const DeliveryFilter &filter) const
{
    if (filter.limit < 1)
        return Error::validation(QStringLiteral("limit"), tr("a page holds at least one delivery"));
    if (filter.offset < 0)
        return Error::validation(QStringLiteral("offset"), tr("the offset cannot be negative"));
    if (!filter.after.isEmpty() && filter.offset != 0)
        return Error::validation(QStringLiteral("after"), tr("continue after a delivery or skip an offset, not both"));
    return DeliveryStore(m_db).list(filter);
}

Result<int> DeliveryService::count(const DeliveryFilter &filter) const
{
    return DeliveryStore(m_db).count(filter);
}

Result<Delivery> DeliveryService::get(const QString &id) const
{
    auto found = DeliveryStore(m_db).find(id);
    if (!found)
        return found.error();
    if (!*found)
        return Error::notFound(tr("no delivery with id \"%1\"").arg(id));
    return std::move(**found);
}

Result<QList<Attempt>> DeliveryService::attempts(const QString &deliveryId) const
{
    return DeliveryStore(m_db).attempts(deliveryId);
}

Result<DeliveryDetail> DeliveryService::detail(const QString &id) const
{
    auto delivery = get(id);
    if (!delivery)
        return delivery.error();
    DeliveryDetail out;
    out.delivery = std::move(*delivery);
    auto event = EventStore(m_db).find(out.delivery.eventId);
    if (!event)
        return event.error();
    out.event = std::move(*event);
    // A webhook removed since keeps its history; the detail then has no URL.
    if (auto w = WebhookService(m_db).get(out.delivery.webhookId))
        out.url = w->url;
    else if (w.error().code != Error::Code::NotFound)
        return w.error();
    auto attempts = DeliveryStore(m_db).attempts(id);
    if (!attempts)
        return attempts.error();
    out.attempts = std::move(*attempts);
    return out;
}

Result<QByteArray> DeliveryService::payload(const QString &deliveryId) const
{
    auto delivery = get(deliveryId);
    if (!delivery)
        return delivery.error();
    auto event = EventStore(m_db).find(delivery->eventId);
    if (!event)
        return event.error();
    if (!*event)
        return Error::notFound(tr("the event of delivery %1 is no longer kept").arg(deliveryId));
    return (*event)->body;
}

Result<SentRequest> DeliveryService::lastRequest(const QString &deliveryId) const
{
    auto detailed = detail(deliveryId);
    if (!detailed)
        return detailed.error();
    if (detailed->attempts.isEmpty())
        return Error::notFound(tr("delivery %1 has no attempt yet").arg(deliveryId));
    const Attempt &last = detailed->attempts.constLast();
    SentRequest out;
    out.url = detailed->url;
    out.headers = headersFromJson(last.requestHeaders);
    // Bodies are kept on the attempt only when a transformation changed them.
    out.body = last.requestBody.isNull() && detailed->event ? detailed->event->body : last.requestBody;
    return out;
}

Result<int> DeliveryService::unfinishedCount() const
{
    return DeliveryQueue(m_db).unfinishedCount();
}

Result<bool> DeliveryService::anyUnfinished() const
{
    return DeliveryQueue(m_db).anyUnfinished();
}

Result<DeliveryService::QueueFigures> DeliveryService::queueFigures() const
{
    const auto now = Clock::now();
    auto figures = DeliveryStore(m_db).queueFigures(now);
    if (!figures)
        return figures.error();
    QueueFigures out;
    out.byStatus = figures->byStatus;
    for (const auto &[status, n] : std::as_const(out.byStatus)) {
        if (!isFinal(status))
            out.unfinished += n;
    }
    if (figures->oldestDue.isValid())
        out.oldestDueAgeSeconds = double(figures->oldestDue.msecsTo(now)) / 1000.0;
    return out;
}

Result<WebhookActivity> DeliveryService::activity(const QString &webhookId, const QDateTime &since) const
{
    return DeliveryStore(m_db).activity(webhookId, since);
}

Result<QList<DeliveryBucket>> DeliveryService::histogram(const QString &webhookId, const QDateTime &since, int bucketSeconds) const
{
    if (bucketSeconds < 1)
        return Error::validation(QStringLiteral("bucket"), tr("a bucket lasts at least one second"));
    return DeliveryStore(m_db).histogram(webhookId, since, bucketSeconds);
}

Status DeliveryService::retryNow(const QString &deliveryId)
{
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s;
    auto delivery = get(deliveryId);
    if (!delivery)
        return delivery.error();
    auto n = DeliveryQueue(m_db).replay({deliveryId}, Clock::now());
    if (!n)
        return n.error();
    // The row was read in this transaction, so a miss means a worker holds it.
    if (*n == 0)
        return Error{Error::Code::Conflict, tr("delivery %1 is being delivered right now").arg(deliveryId), {}};
    if (auto s = AuditLog(m_db).record(QStringLiteral("delivery.replayed"), QStringLiteral("delivery"), deliveryId,
                                       QJsonObject{{QStringLiteral("webhook"), delivery->webhookId}});
        !s)
        return s;
    return tx.commit();
}

Result<QStringList> DeliveryService::replay(const ReplayFilter &filter)
{
    if (filter.status && !isFinal(*filter.status))
        return Error::validation(QStringLiteral("status"),
                                 tr("only finished deliveries are replayed: succeeded or failed, not %1").arg(deliveryStatusName(*filter.status)));
    if (auto w = WebhookService(m_db).get(filter.webhookId); !w)
        return w.error();
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    DeliveryQueue queue(m_db);
    auto ids = queue.findForReplay(filter.webhookId, filter.status, filter.since);
    if (!ids)
        return ids.error();
    if (auto n = queue.replay(*ids, Clock::now()); !n)
        return n.error();
    QJsonObject what{{QStringLiteral("deliveries"), int(ids->size())}};
    if (filter.status)
        what.insert(QStringLiteral("status"), deliveryStatusName(*filter.status));
    if (filter.since.isValid())
        what.insert(QStringLiteral("since"), filter.since.toString(Qt::ISODateWithMs));
    if (auto s = AuditLog(m_db).record(QStringLiteral("deliveries.replayed"), QStringLiteral("webhook"), filter.webhookId, what); !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return std::move(*ids);
}

Result<PruneReport> DeliveryService::prune(const QString &webhookId, bool vacuum)
{
    constexpr int kBatch = 1000;
    if (!webhookId.isEmpty()) {
        if (auto w = WebhookService(m_db).get(webhookId); !w)
            return w.error();
    }
    auto routes = WebhookStore(m_db).routes();
    if (!routes)
        return routes.error();
    const int keepDefault = Settings(m_db).retention();
    DeliveryQueue queue(m_db);
    PruneReport report;
    auto size = queue.fileBytes();
    if (!size)
        return size.error();
    report.bytesBefore = *size;
    for (const auto &route : std::as_const(*routes)) {
        if (!webhookId.isEmpty() && route.id != webhookId)
            continue;
        ++report.webhooks;
        for (;;) {
            sql::Transaction tx(m_db);
            if (auto s = tx.begin(); !s)
                return s.error();
            auto pruned = queue.pruneWebhook(route.id, route.retention.value_or(keepDefault), kBatch);
            if (!pruned)
                return pruned.error();
            if (auto s = tx.commit(); !s)
                return s.error();
            report.removed += pruned->removed;
            if (pruned->removed < kBatch)
                break;
        }
    }
    if (vacuum) {
        if (auto s = queue.vacuum(); !s)
            return s.error();
    } else if (auto free = queue.pageCounts(); !free) {
        return free.error();
    } else if (auto released = queue.releaseFreePages(free->first); !released) {
        return released.error();
    }
    size = queue.fileBytes();
    if (!size)
        return size.error();
    report.bytesAfter = *size;
    return report;
}

} // namespace hookline
