#include "WebhookBody.h"

#include "RouteHelpers.h"

#include "model/ModelJson.h"
#include "signing/Secret.h"

#include <QJsonArray>
#include <QSet>

namespace hookline::api {

namespace {

std::optional<ApiReply> readString(const QJsonObject &o, const QString &key, QString &out, bool nullClears = false)
{
    const auto v = o.value(key);
    if (v.isNull() && nullClears) {
        out.clear();
        return std::nullopt;
    }
    if (!v.isString())
        return ApiReply::invalid(key, QStringLiteral("must be a string"));
    out = v.toString();
    return std::nullopt;
}

std::optional<ApiReply> readRetry(const QJsonValue &value, RetryPolicy &retry)
{
    const QString field = QStringLiteral("retryPolicy");
    if (!value.isObject())
        return ApiReply::invalid(field, QStringLiteral("must be an object"));
    const auto o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        const QString path = field + u'.' + key;
        const auto v = it.value();
        if (key == u"maxRetries" || key == u"autoDisableAfter") {
            if (!v.isDouble() || v.toDouble() != double(v.toInteger()) || v.toInteger() < 0 || v.toInteger() > 1000000)
                return ApiReply::invalid(path, QStringLiteral("must be a whole number from 0"));
            (key == u"maxRetries" ? retry.maxRetries : retry.autoDisableAfter) = int(v.toInteger());
            if (key == u"maxRetries")
                retry.schedule.clear();
        } else if (key == u"retryDelaySeconds" || key == u"jitter") {
            if (!v.isDouble())
                return ApiReply::invalid(path, QStringLiteral("must be a number"));
            (key == u"jitter" ? retry.jitter : retry.retryDelaySeconds) = v.toDouble();
        } else if (key == u"backoffStrategy") {
            const auto strategy = backoffFromName(v.toString());
            if (!v.isString() || !strategy)
                return ApiReply::invalid(path, QStringLiteral("must be \"exponential\" or \"fixed\""));
            retry.backoff = *strategy;
        } else if (key == u"schedule") {
            if (!v.isArray() && !v.isNull())
                return ApiReply::invalid(path, QStringLiteral("must be an array of seconds"));
            retry.schedule.clear();
            for (const auto &d : v.toArray()) {
                if (!d.isDouble())
                    return ApiReply::invalid(path, QStringLiteral("must be an array of seconds"));
                retry.schedule << d.toDouble();
            }
        } else {
            return ApiReply::invalid(
                path, QStringLiteral("unknown field (expected maxRetries, retryDelaySeconds, backoffStrategy, schedule, jitter, autoDisableAfter)"));
        }
    }
    return std::nullopt;
}

std::optional<ApiReply> readHeaders(const QJsonValue &value, QList<CustomHeader> &out)
{
    const QString field = QStringLiteral("headers");
    out.clear();
    if (value.isObject()) {
        const auto o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!it.value().isString())
                return ApiReply::invalid(field + u'.' + it.key(), QStringLiteral("must be a string"));
            out << CustomHeader{it.key(), it.value().toString()};
        }
        return std::nullopt;
    }
    if (!value.isArray())
        return ApiReply::invalid(field, QStringLiteral("must be [{\"name\", \"value\"}] or {\"Name\": \"value\"}"));
    for (const auto &h : value.toArray()) {
        const auto o = h.toObject();
        if (!h.isObject() || !o.value(QStringLiteral("name")).isString() || !o.value(QStringLiteral("value")).isString())
            return ApiReply::invalid(field, QStringLiteral("each header must be {\"name\": string, \"value\": string}"));
        out << CustomHeader{o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("value")).toString()};
    }
    return std::nullopt;
}

// Set by the server; answered by GET, so ignored when sent back.
const QSet<QString> &readOnlyFields()
{
    static const QSet<QString> fields{
        QStringLiteral("id"),         QStringLiteral("createdAt"),       QStringLiteral("created_at"),          QStringLiteral("updatedAt"),
        QStringLiteral("updated_at"), QStringLiteral("previousSecrets"), QStringLiteral("consecutiveFailures"), QStringLiteral("disabledReason"),
        QStringLiteral("disabledAt")};
    return fields;
}

} // namespace

std::optional<ApiReply> WebhookBody::apply(const QJsonObject &body, Webhook &w, Mode mode)
{
    // Two names for one thing in the same body is a mistake to point out, not to guess.
    const auto both = [&](std::initializer_list<const char *> names) -> std::optional<ApiReply> {
        QStringList present;
        for (const char *n : names) {
            if (body.contains(QLatin1String(n)))
                present << QLatin1String(n);
        }
        if (present.size() > 1)
            return ApiReply::invalid(present.constLast(), QStringLiteral("give only one of %1").arg(present.join(QStringLiteral(", "))));
        return std::nullopt;
    };
    if (auto r = both({"active", "is_active", "enabled", "status"}))
        return r;
    if (auto r = both({"events", "eventType"}))
        return r;
    if (auto r = both({"tenant", "tenantId"}))
        return r;

    for (auto it = body.begin(); it != body.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        std::optional<ApiReply> refusal;
        if (key == u"url") {
            refusal = readString(body, key, w.url);
            w.url = w.url.trimmed();
        } else if (key == u"name") {
            refusal = readString(body, key, w.name);
        } else if (key == u"description") {
            refusal = readString(body, key, w.description, true);
        } else if (key == u"events") {
            if (!v.isArray())
                return ApiReply::invalid(key, QStringLiteral("must be an array of event type names"));
            w.events.clear();
            for (const auto &e : v.toArray()) {
                if (!e.isString())
                    return ApiReply::invalid(key, QStringLiteral("must be an array of event type names"));
                w.events << e.toString();
            }
        } else if (key == u"eventType") {
            QString type;
            refusal = readString(body, key, type);
            w.events = QStringList{type};
        } else if (key == u"active" || key == u"is_active" || key == u"enabled") {
            if (!v.isBool())
                return ApiReply::invalid(key, QStringLiteral("must be true or false"));
            w.active = v.toBool();
        } else if (key == u"status") {
            const QString s = v.toString().toUpper();
            if (s != u"ACTIVE" && s != u"INACTIVE")
                return ApiReply::invalid(key, QStringLiteral("must be \"ACTIVE\" or \"INACTIVE\""));
            w.active = s == u"ACTIVE";
        } else if (key == u"tenant" || key == u"tenantId") {
            if (mode == Mode::Update && v.toString() != w.tenantId)
                return ApiReply::invalid(key, QStringLiteral("a webhook stays with its tenant"));
            refusal = readString(body, key, w.tenantId);
        } else if (key == u"scheme") {
            const auto scheme = schemeFromName(v.toString());
            if (!v.isString() || !scheme)
                return ApiReply::invalid(key, QStringLiteral("must be one of %1").arg(schemeNames().join(QStringLiteral(", "))));
            w.scheme = *scheme;
        } else if (key == u"secret") {
            if (mode == Mode::Create) {
                refusal = readString(body, key, w.secret);
            } else if (v.toString() != w.secret && v.toString() != Secret::mask(w.secret)) {
                return ApiReply::invalid(key, QStringLiteral("a secret changes only by rotation: POST /api/v1/webhooks/{id}/rotate-secret"));
            }
        } else if (key == u"headers") {
            refusal = readHeaders(v, w.headers);
        } else if (key == u"retryPolicy") {
            refusal = readRetry(v, w.retry);
        } else if (key == u"retention") {
            refusal = readOptionalInt(body, key, 0, 1000000000, QStringLiteral("the installation's setting"), w.retention);
        } else if (key == u"maxInFlight") {
            refusal = readOptionalInt(body, key, 0, 1000000000, QStringLiteral("the installation's setting"), w.maxInFlight);
        } else if (key == u"transform") {
            refusal = readString(body, key, w.transform, true);
        } else if (!readOnlyFields().contains(key)) {
            return ApiReply::invalid(key, QStringLiteral("unknown field"));
        }
        if (refusal)
            return refusal;
    }
    if (mode == Mode::Create) {
        if (!body.contains(QStringLiteral("url")))
            return ApiReply::invalid(QStringLiteral("url"), QStringLiteral("is required"));
        if (!body.contains(QStringLiteral("events")) && !body.contains(QStringLiteral("eventType")))
            return ApiReply::invalid(QStringLiteral("events"), QStringLiteral("is required (an array of event types, or eventType)"));
    }
    return std::nullopt;
}

Scheme WebhookBody::defaultScheme(const QString &collectionPath, const QJsonObject &body)
{
    if (collectionPath == u"/api/webhooks")
        return Scheme::HmacHex;
    if (collectionPath == u"/api/v1/developer/webhooks")
        return Scheme::HmacBase64;
    if (body.contains(QStringLiteral("is_active")))
        return Scheme::HmacHex;
    if (body.contains(QStringLiteral("enabled")) || body.contains(QStringLiteral("tenantId")))
        return Scheme::Timestamped;
    return Scheme::Standard;
}

QJsonObject WebhookBody::toJson(const Webhook &w, bool revealSecret)
{
    QJsonObject o = hookline::toJson(w, revealSecret ? SecretView::Revealed : SecretView::Masked);
    o.insert(QStringLiteral("tenantId"), w.tenantId);
    o.insert(QStringLiteral("is_active"), w.active);
    o.insert(QStringLiteral("enabled"), w.active);
    o.insert(QStringLiteral("status"), w.active ? QStringLiteral("ACTIVE") : QStringLiteral("INACTIVE"));
    o.insert(QStringLiteral("created_at"), o.value(QStringLiteral("createdAt")));
    o.insert(QStringLiteral("updated_at"), o.value(QStringLiteral("updatedAt")));
    if (w.events.size() == 1)
        o.insert(QStringLiteral("eventType"), w.events.constFirst());
    return o;
}

} // namespace hookline::api
