#include "AlertStore.h"

#include "store/Sql.h"

#include <QJsonDocument>

namespace hookline {

Result<QHash<QString, AlertStore::Health>> AlertStore::health(const QStringList &webhookIds) const
{
    QHash<QString, Health> out;
    if (webhookIds.isEmpty())
        return out;
    auto q = sql::prepare(m_db, QStringLiteral("SELECT id, tenant_id, name, active, consecutive_failures, disabled_reason, failing_since"
                                               " FROM webhooks WHERE id IN (%1)")
                                    .arg(sql::placeholders(webhookIds.size())));
    for (const auto &id : webhookIds)
        q.addBindValue(id);
    if (auto s = sql::exec(q, tr("reading the health of webhooks")); !s)
        return s.error();
    while (q.next()) {
        Health h;
        h.id = q.value(0).toString();
        h.tenantId = q.value(1).toString();
        h.name = q.value(2).toString();
        h.active = q.value(3).toInt() != 0;
        h.consecutiveFailures = q.value(4).toInt();
        h.disabledReason = q.value(5).toString();
        h.failingSince = sql::dateOrNull(q.value(6));
        out.insert(h.id, h);
    }
    return out;
}

Result<QStringList> AlertStore::failingWebhooks() const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT id FROM webhooks WHERE failing_since IS NOT NULL"));
    if (auto s = sql::exec(q, tr("reading the failing webhooks")); !s)
        return s.error();
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

Result<AlertStore::AttemptCounts> AlertStore::attemptsSince(const QString &webhookId, const QDateTime &since) const
{
    // A delivery's row is updated with each of its attempts: one not updated
    // since then has no attempt since then either (and the webhook's index
    // finds the rest).
    auto q = sql::prepare(m_db, QStringLiteral("SELECT COUNT(*), COALESCE(SUM(CASE WHEN a.response_status BETWEEN 200 AND 299 THEN 1 ELSE 0 END), 0)"
                                               " FROM attempts a JOIN deliveries d ON d.id = a.delivery_id"
                                               " WHERE d.webhook_id = ? AND d.updated_at >= ? AND a.started_at >= ?"));
    q.addBindValue(webhookId);
    q.addBindValue(sql::toMs(since));
    q.addBindValue(sql::toMs(since));
    if (auto s = sql::exec(q, tr("counting a webhook's attempts")); !s)
        return s.error();
    AttemptCounts counts;
    if (q.next()) {
        counts.total = q.value(0).toInt();
        counts.succeeded = q.value(1).toInt();
    }
    return counts;
}

Result<std::optional<QDateTime>> AlertStore::lastClosed(const QString &webhookId) const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT MAX(created_at) FROM alerts WHERE webhook_id = ? AND kind IN ('recovered', 'reenabled')"));
    q.addBindValue(webhookId);
    if (auto s = sql::exec(q, tr("reading a webhook's alerts")); !s)
        return s.error();
    if (!q.next() || q.value(0).isNull())
        return std::optional<QDateTime>();
    return std::optional<QDateTime>(sql::fromMs(q.value(0).toLongLong()));
}

Status AlertStore::raise(Alert &alert)
{
    auto insert = sql::prepare(m_db, QStringLiteral("INSERT INTO alerts (webhook_id, tenant_id, kind, detail, delivery_id, created_at, facts)"
                                                    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    insert.addBindValue(alert.webhookId);
    insert.addBindValue(alert.tenantId);
    insert.addBindValue(alertKindName(alert.kind));
    insert.addBindValue(sql::text(alert.detail));
    insert.addBindValue(alert.deliveryId.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(alert.deliveryId));
    insert.addBindValue(sql::toMs(alert.createdAt));
    insert.addBindValue(QString::fromUtf8(QJsonDocument(alert.facts).toJson(QJsonDocument::Compact)));
    if (auto s = sql::exec(insert, tr("recording an alert")); !s)
        return s;
    if (insert.next())
        alert.id = insert.value(0).toLongLong();
    insert.finish();
    auto state = sql::prepare(m_db, QStringLiteral("UPDATE webhooks SET failing_since = ? WHERE id = ?"));
    state.addBindValue(alert.kind == Alert::Kind::Failing ? QVariant(sql::toMs(alert.createdAt)) : QVariant(QMetaType(QMetaType::LongLong)));
    state.addBindValue(alert.webhookId);
    return sql::exec(state, tr("recording a webhook's health"));
}

Result<Alerts> AlertStore::list(const AlertFilter &filter) const
{
    QStringList where{QStringLiteral("a.id > ?")};
    QVariantList values{filter.afterId};
    if (filter.since.isValid()) {
        where << QStringLiteral("a.created_at >= ?");
        values << sql::toMs(filter.since);
    }
    if (!filter.webhookId.isEmpty()) {
        where << QStringLiteral("a.webhook_id = ?");
        values << filter.webhookId;
    }
    if (filter.openOnly)
        where << QStringLiteral("a.kind IN ('failing', 'disabled', 'gone')")
              << QStringLiteral("a.id = (SELECT MAX(l.id) FROM alerts l WHERE l.webhook_id = a.webhook_id)")
              << QStringLiteral("(w.failing_since IS NOT NULL OR (w.active = 0 AND w.disabled_reason <> ''))");
    if (!filter.tenantId.isEmpty()) {
        where << QStringLiteral("a.tenant_id = ?");
        values << filter.tenantId;
    }
    auto q
        = sql::prepare(m_db, QStringLiteral("SELECT a.id, a.webhook_id, w.name, a.tenant_id, a.kind, a.detail, a.delivery_id, a.created_at, a.facts"
                                            " FROM alerts a JOIN webhooks w ON w.id = a.webhook_id WHERE %1 ORDER BY a.id DESC LIMIT ?")
                                 .arg(where.join(QStringLiteral(" AND "))));
    for (const auto &v : std::as_const(values))
        q.addBindValue(v);
    q.addBindValue(std::max(1, filter.limit));
    if (auto s = sql::exec(q, tr("reading alerts")); !s)
        return s.error();
    Alerts out;
    while (q.next()) {
        const auto kind = alertKindFromName(q.value(4).toString());
        if (!kind)
            return Error::database(tr("alert %1 has the unknown kind \"%2\" in the database").arg(q.value(0).toString(), q.value(4).toString()));
        Alert a;
        a.id = q.value(0).toLongLong();
        a.webhookId = q.value(1).toString();
        a.webhookName = q.value(2).toString();
        a.tenantId = q.value(3).toString();
        a.kind = *kind;
        a.detail = q.value(5).toString();
        a.deliveryId = q.value(6).toString();
        a.createdAt = sql::fromMs(q.value(7).toLongLong());
        a.facts = QJsonDocument::fromJson(q.value(8).toString().toUtf8()).object();
        out.append(a);
    }
    return out;
}

Result<qint64> AlertStore::latestId() const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM alerts"));
    if (auto s = sql::exec(q, tr("reading alerts")); !s)
        return s.error();
    return q.next() ? q.value(0).toLongLong() : 0;
}

Result<int> AlertStore::prune(const QDateTime &before)
{
    auto q = sql::prepare(m_db, QStringLiteral("DELETE FROM alerts WHERE created_at < ?"));
    q.addBindValue(sql::toMs(before));
    if (auto s = sql::exec(q, tr("removing old alerts")); !s)
        return s.error();
    return q.numRowsAffected();
}

} // namespace hookline
