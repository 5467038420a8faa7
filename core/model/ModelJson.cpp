#include "model/ModelJson.h"

#include "signing/Secret.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace hookline {

QString isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

namespace {
QJsonValue jsonOrText(const QByteArray &text)
{
    const auto doc = QJsonDocument::fromJson(text);
    if (doc.isArray())
        return doc.array();
    if (doc.isObject())
        return doc.object();
    return QString::fromUtf8(text);
}
} // namespace

QJsonObject toJson(const Webhook &w, SecretView view)
{
    QJsonArray headers;
    for (const auto &h : w.headers)
        headers.append(QJsonObject{{QStringLiteral("name"), h.name}, {QStringLiteral("value"), h.value}});
    QJsonArray schedule;
    for (double d : w.retry.schedule)
        schedule.append(d);
    QJsonObject retry{
        {QStringLiteral("maxRetries"), w.retry.retryCount()},
        {QStringLiteral("retryDelaySeconds"), w.retry.retryDelaySeconds},
        {QStringLiteral("backoffStrategy"), backoffName(w.retry.backoff)},
        {QStringLiteral("schedule"), schedule},
        {QStringLiteral("jitter"), w.retry.jitter},
        {QStringLiteral("autoDisableAfter"), w.retry.autoDisableAfter},
    };
    const auto reveal = [&](const QString &s) { return view == SecretView::Revealed ? s : Secret::mask(s); };
    QJsonArray rotated;
    for (const auto &s : w.secrets) {
        if (s.expiresAt)
            rotated.append(QJsonObject{{QStringLiteral("secret"), reveal(s.secret)},
                                       {QStringLiteral("createdAt"), isoTime(s.createdAt)},
                                       {QStringLiteral("expiresAt"), isoTime(*s.expiresAt)}});
    }
    QJsonObject o{
        {QStringLiteral("id"), w.id},
        {QStringLiteral("tenant"), w.tenantId},
        {QStringLiteral("name"), w.name},
        {QStringLiteral("url"), w.url},
        {QStringLiteral("description"), w.description},
        {QStringLiteral("events"), QJsonArray::fromStringList(w.events)},
        {QStringLiteral("scheme"), schemeName(w.scheme)},
        {QStringLiteral("secret"), reveal(w.secret)},
        {QStringLiteral("previousSecrets"), rotated},
        {QStringLiteral("active"), w.active},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("retryPolicy"), retry},
        {QStringLiteral("retention"), w.retention ? QJsonValue(*w.retention) : QJsonValue()},
        {QStringLiteral("maxInFlight"), w.maxInFlight ? QJsonValue(*w.maxInFlight) : QJsonValue()},
        {QStringLiteral("transform"), w.transform.isEmpty() ? QJsonValue() : QJsonValue(w.transform)},
        {QStringLiteral("consecutiveFailures"), w.consecutiveFailures},
        {QStringLiteral("createdAt"), isoTime(w.createdAt)},
        {QStringLiteral("updatedAt"), isoTime(w.updatedAt)},
    };
    if (!w.disabledReason.isEmpty()) {
        o.insert(QStringLiteral("disabledReason"), w.disabledReason);
        o.insert(QStringLiteral("disabledAt"), isoTime(w.disabledAt));
    }
    if (w.failingSince.isValid())
        o.insert(QStringLiteral("failingSince"), isoTime(w.failingSince));
    return o;
}

QJsonObject toJson(const EventType &t)
{
    return {{QStringLiteral("name"), t.name},
            {QStringLiteral("group"), t.group},
            {QStringLiteral("description"), t.description},
            {QStringLiteral("catalog"), t.catalog},
            {QStringLiteral("samplePayload"), jsonOrText(t.samplePayload)}};
}

QJsonObject toJson(const Delivery &d)
{
    return {{QStringLiteral("id"), d.id},
            {QStringLiteral("eventId"), d.eventId},
            {QStringLiteral("webhookId"), d.webhookId},
            {QStringLiteral("event"), d.eventType},
            {QStringLiteral("tenant"), d.tenantId},
            {QStringLiteral("status"), deliveryStatusName(d.status)},
            {QStringLiteral("attempts"), d.attempts},
            {QStringLiteral("nextAttemptAt"), d.nextAttemptAt.isValid() && !isFinal(d.status) ? QJsonValue(isoTime(d.nextAttemptAt)) : QJsonValue()},
            {QStringLiteral("createdAt"), isoTime(d.createdAt)},
            {QStringLiteral("updatedAt"), isoTime(d.updatedAt)},
            {QStringLiteral("lastStatusCode"), d.lastStatusCode ? QJsonValue(*d.lastStatusCode) : QJsonValue()},
            {QStringLiteral("lastError"), d.lastError},
            {QStringLiteral("lastDurationMs"), d.lastDurationMs ? QJsonValue(double(*d.lastDurationMs)) : QJsonValue()}};
}

QJsonObject toJson(const Attempt &a)
{
    return {{QStringLiteral("number"), a.number},
            {QStringLiteral("startedAt"), isoTime(a.startedAt)},
            {QStringLiteral("durationMs"), double(a.durationMs)},
            {QStringLiteral("requestHeaders"), jsonOrText(a.requestHeaders)},
            {QStringLiteral("requestBody"), QString::fromUtf8(a.requestBody)},
            {QStringLiteral("responseStatus"), a.responseStatus ? QJsonValue(*a.responseStatus) : QJsonValue()},
            {QStringLiteral("responseHeaders"), jsonOrText(a.responseHeaders)},
            {QStringLiteral("responseBody"), QString::fromUtf8(a.responseBody)},
            {QStringLiteral("error"), a.error},
            {QStringLiteral("remoteAddress"), a.remoteAddress},
            {QStringLiteral("timings"), a.timings.isEmpty() ? QJsonValue(QJsonObject()) : jsonOrText(a.timings)},
            {QStringLiteral("decision"), a.decision}};
}

QJsonObject toJson(const Tenant &t)
{
    return {{QStringLiteral("id"), t.id}, {QStringLiteral("plan"), t.plan}, {QStringLiteral("createdAt"), isoTime(t.createdAt)}};
}

QJsonObject toJson(const Plan &p)
{
    const auto limit = [](const std::optional<int> &v) { return v ? QJsonValue(*v) : QJsonValue(); };
    return {{QStringLiteral("name"), p.name},
            {QStringLiteral("webhookQuota"), limit(p.webhookQuota)},
            {QStringLiteral("requestsPerMinute"), limit(p.requestsPerMinute)},
            {QStringLiteral("builtin"), p.builtin},
            {QStringLiteral("createdAt"), isoTime(p.createdAt)}};
}

} // namespace hookline
