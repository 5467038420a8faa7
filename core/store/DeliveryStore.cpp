#include "DeliveryStore.h"

#include "store/Sql.h"
#include "util/Clock.h"

namespace hookline {

namespace {
const QString kColumns = QStringLiteral("id, event_id, webhook_id, event_type, tenant_id, status, attempts, next_attempt_at, created_at, updated_at,"
                                        " last_status_code, last_error, last_duration_ms");

// An unknown status is an error that names the row, not "pending".
Result<Delivery> fromRow(const QSqlQuery &q)
{
    Delivery d;
    d.id = q.value(0).toString();
    d.eventId = q.value(1).toString();
    d.webhookId = q.value(2).toString();
    d.eventType = q.value(3).toString();
    d.tenantId = q.value(4).toString();
    const auto status = deliveryStatusFromName(q.value(5).toString());
    if (!status)
        return Error::database(DeliveryStore::tr("delivery %1 has the unknown status \"%2\" in the database").arg(d.id, q.value(5).toString()));
    d.status = *status;
    d.attempts = q.value(6).toInt();
    d.nextAttemptAt = sql::dateOrNull(q.value(7));
    d.createdAt = sql::fromMs(q.value(8).toLongLong());
    d.updatedAt = sql::fromMs(q.value(9).toLongLong());
    if (!q.value(10).isNull())
        d.lastStatusCode = q.value(10).toInt();
    d.lastError = q.value(11).toString();
    if (!q.value(12).isNull())
        d.lastDurationMs = q.value(12).toLongLong();
    return d;
}

// WHERE clause and its values for a filter, in order. `after` is the
// cursor row's created_at (see DeliveryFilter::after), when there is one.
std::pair<QString, QVariantList> whereClause(const DeliveryFilter &f, std::optional<qint64> after = std::nullopt)
{
    QStringList terms;
    QVariantList values;
    if (after) {
        // The order is (created_at, id) both ways, so the row after the
        // cursor is strictly beyond it in that pair.
        terms << (f.oldestFirst ? QStringLiteral("(created_at > ? OR (created_at = ? AND id > ?))")
                                : QStringLiteral("(created_at < ? OR (created_at = ? AND id < ?))"));
        values << *after << *after << f.after;
    }
    if (!f.webhookId.isEmpty()) {
        terms << QStringLiteral("webhook_id = ?");
        values << f.webhookId;
    }
    if (f.status) {
        terms << QStringLiteral("status = ?");
        values << deliveryStatusName(*f.status);
    }
    if (!f.eventType.isEmpty()) {
        terms << QStringLiteral("event_type = ?");
        values << f.eventType;
    }
    if (f.since.isValid()) {
        terms << QStringLiteral("created_at >= ?");
        values << sql::toMs(f.since);
    }
    if (f.until.isValid()) {
        terms << QStringLiteral("created_at < ?");
        values << sql::toMs(f.until);
    }
    return {terms.isEmpty() ? QString() : QStringLiteral(" WHERE ") + terms.join(QStringLiteral(" AND ")), values};
}
} // namespace

Result<QList<Delivery>> DeliveryStore::list(const DeliveryFilter &filter) const
{
    std::optional<qint64> after;
    if (!filter.after.isEmpty()) {
        auto cursor = sql::prepare(m_db, QStringLiteral("SELECT created_at FROM deliveries WHERE id = ?"));
        cursor.addBindValue(filter.after);
        if (auto s = sql::exec(cursor, tr("reading the delivery to continue after")); !s)
            return s.error();
        if (!cursor.next())
            return Error::notFound(tr("no delivery with id \"%1\" to continue after").arg(filter.after));
        after = cursor.value(0).toLongLong();
    }
    const auto [where, values] = whereClause(filter, after);
    auto q = sql::prepare(m_db, QStringLiteral("SELECT %1 FROM deliveries%2 ORDER BY created_at %3, id %3 LIMIT ? OFFSET ?")
                                    .arg(kColumns, where, filter.oldestFirst ? QStringLiteral("ASC") : QStringLiteral("DESC")));
    for (const auto &v : values)
        q.addBindValue(v);
    q.addBindValue(filter.limit);
    q.addBindValue(after ? 0 : filter.offset);
    if (auto s = sql::exec(q, tr("reading the delivery history")); !s)
        return s.error();
    QList<Delivery> out;
    while (q.next()) {
        auto d = fromRow(q);
        if (!d)
            return d.error();
        out << std::move(*d);
    }
    return out;
}

Result<int> DeliveryStore::count(const DeliveryFilter &filter) const
{
    const auto [where, values] = whereClause(filter);
    auto q = sql::prepare(m_db, QStringLiteral("SELECT COUNT(*) FROM deliveries%1").arg(where));
    for (const auto &v : values)
        q.addBindValue(v);
    if (auto s = sql::exec(q, tr("counting deliveries")); !s)
        return s.error();
    return q.next() ? q.value(0).toInt() : 0;
}

Result<std::optional<Delivery>> DeliveryStore::find(const QString &id) const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT %1 FROM deliveries WHERE id = ?").arg(kColumns));
    q.addBindValue(id);
    if (auto s = sql::exec(q, tr("reading a delivery")); !s)
        return s.error();
    if (!q.next())
        return std::optional<Delivery>();
    auto d = fromRow(q);
    if (!d)
        return d.error();
    return std::optional<Delivery>(std::move(*d));
}

Result<QList<Attempt>> DeliveryStore::attempts(const QString &deliveryId) const
{
    auto q
        = sql::prepare(m_db, QStringLiteral("SELECT id, delivery_id, number, started_at, duration_ms, request_headers, request_body, response_status,"
                                            " response_headers, response_body, error, remote_address, timings, decision FROM attempts WHERE delivery_id = ? ORDER BY number"));
    q.addBindValue(deliveryId);
    if (auto s = sql::exec(q, tr("reading attempts")); !s)
        return s.error();
    QList<Attempt> out;
    while (q.next()) {
        Attempt a;
        a.id = q.value(0).toLongLong();
        a.deliveryId = q.value(1).toString();
        a.number = q.value(2).toInt();
        a.startedAt = sql::fromMs(q.value(3).toLongLong());
        a.durationMs = q.value(4).toLongLong();
        a.requestHeaders = q.value(5).toString().toUtf8();
        a.requestBody = q.value(6).toByteArray();
        if (!q.value(7).isNull())
            a.responseStatus = q.value(7).toInt();
        a.responseHeaders = q.value(8).toString().toUtf8();
        a.responseBody = q.value(9).toByteArray();
        a.error = q.value(10).toString();
        a.remoteAddress = q.value(11).toString();
        a.timings = q.value(12).toString().toUtf8();
        a.decision = q.value(13).toString();
        out << a;
    }
    return out;
}

Result<DeliveryStore::QueueFigures> DeliveryStore::queueFigures(const QDateTime &now) const
{
    QueueFigures out;
    auto q = sql::prepare(m_db, QStringLiteral("SELECT status, COUNT(*) FROM deliveries GROUP BY status"));
    if (auto s = sql::exec(q, tr("counting deliveries")); !s)
        return s.error();
    while (q.next()) {
        if (const auto status = deliveryStatusFromName(q.value(0).toString()))
            out.byStatus.append({*status, q.value(1).toLongLong()});
    }
    auto due = sql::prepare(
        m_db, QStringLiteral("SELECT MIN(next_attempt_at) FROM deliveries WHERE status IN ('pending','retrying') AND next_attempt_at <= ?"));
    due.addBindValue(sql::toMs(now));
    if (auto s = sql::exec(due, tr("finding the oldest due delivery")); !s)
        return s.error();
    if (due.next() && !due.value(0).isNull())
        out.oldestDue = sql::fromMs(due.value(0).toLongLong());
    return out;
}

Result<WebhookActivity> DeliveryStore::activity(const QString &webhookId, const QDateTime &since) const
{
    WebhookActivity out;
    auto last = sql::prepare(
        m_db,
        QStringLiteral("SELECT updated_at, status, last_status_code, id FROM deliveries WHERE webhook_id = ? ORDER BY created_at DESC LIMIT 1"));
    last.addBindValue(webhookId);
    if (auto s = sql::exec(last, tr("reading the last delivery")); !s)
        return s.error();
    if (last.next()) {
        out.lastAt = sql::fromMs(last.value(0).toLongLong());
        out.lastDeliveryId = last.value(3).toString();
        out.lastStatus = deliveryStatusFromName(last.value(1).toString());
        if (!out.lastStatus)
            return Error::database(
                tr("a delivery of webhook %1 has the unknown status \"%2\" in the database").arg(webhookId, last.value(1).toString()));
        if (!last.value(2).isNull())
            out.lastStatusCode = last.value(2).toInt();
    }
    last.finish();
    auto counts = sql::prepare(
        m_db,
        QStringLiteral(
            "SELECT status, COUNT(*) FROM deliveries WHERE webhook_id = ? AND created_at >= ? AND status IN ('succeeded','failed') GROUP BY status"));
    counts.addBindValue(webhookId);
    counts.addBindValue(sql::toMs(since));
    if (auto s = sql::exec(counts, tr("counting recent deliveries")); !s)
        return s.error();
    while (counts.next())
        (counts.value(0).toString() == u"succeeded" ? out.succeeded : out.failed) = counts.value(1).toInt();
    return out;
}

Result<QList<DeliveryBucket>> DeliveryStore::histogram(const QString &webhookId, const QDateTime &since, int bucketSeconds) const
{
    const qint64 bucketMs = qint64(bucketSeconds) * 1000;
    const qint64 start = sql::toMs(since) / bucketMs * bucketMs;
    auto q = sql::prepare(m_db, QStringLiteral("SELECT (created_at - ?) / ? AS bucket, status, COUNT(*) FROM deliveries WHERE created_at >= ?%1"
                                               " AND status IN ('succeeded','failed') GROUP BY bucket, status")
                                    .arg(webhookId.isEmpty() ? QString() : QStringLiteral(" AND webhook_id = ?")));
    q.addBindValue(start);
    q.addBindValue(bucketMs);
    q.addBindValue(start);
    if (!webhookId.isEmpty())
        q.addBindValue(webhookId);
    if (auto s = sql::exec(q, tr("reading delivery counts")); !s)
        return s.error();
    const qint64 now = Clock::nowMs();
    QList<DeliveryBucket> out;
    for (qint64 t = start; t <= now; t += bucketMs)
        out.append({sql::fromMs(t), 0, 0});
    while (q.next()) {
        const auto index = q.value(0).toLongLong();
        if (index < 0 || index >= out.size())
            continue;
        auto &b = out[index];
        (q.value(1).toString() == u"succeeded" ? b.succeeded : b.failed) += q.value(2).toInt();
    }
    return out;
}

} // namespace hookline
