#include "RouteHelpers.h"
#include "Router.h"
#include "Routes.h"
#include "WebhookBody.h"
#include "model/ModelJson.h"
#include "service/CatalogService.h"
#include "service/DeliveryService.h"
#include "service/EventService.h"
#include "service/WebhookService.h"

#include <QJsonArray>

namespace hookline::api {

namespace {

// Where each seed's product manages its webhooks, and whether its answers
// wrap the webhook in {"webhook": …} (FinSight) or give it bare.
struct Collection {
    QString path;
    bool wrapped;
};

const QList<Collection> &collections()
{
    static const QList<Collection> list{
        {QStringLiteral("/api/v1/webhooks"), false},           // canonical; Alforis CRM, Audit Trail
        {QStringLiteral("/api/webhooks"), true},               // FinSight
        {QStringLiteral("/api/v1/developer/webhooks"), false}, // the case tool
    };
    return list;
}

QJsonObject shaped(const Collection &c, const QJsonObject &webhook)
{
    return c.wrapped ? QJsonObject{{QStringLiteral("webhook"), webhook}} : webhook;
}

std::optional<bool> boolParameter(const QString &text)
{
    if (text == u"true" || text == u"1")
        return true;
    if (text == u"false" || text == u"0")
        return false;
    return std::nullopt;
}

ApiReply list(ApiContext &ctx, const ApiCall &call, const Collection &)
{
    QString tenant = call.principal.tenantId;
    if (call.principal.admin)
        tenant = call.query.queryItemValue(QStringLiteral("tenant"));
    std::optional<bool> active;
    for (const char *name : {"active", "is_active", "enabled"}) {
        const QString key = QLatin1String(name);
        if (!call.query.hasQueryItem(key))
            continue;
        active = boolParameter(call.query.queryItemValue(key));
        if (!active)
            return ApiReply::invalid(key, QStringLiteral("must be true or false"));
    }
    auto webhooks = WebhookService(ctx.db()).list(tenant);
    if (!webhooks)
        return ApiReply::fromError(webhooks.error());
    QJsonArray out;
    for (const auto &w : std::as_const(*webhooks)) {
        if (!active || w.active == *active)
            out.append(WebhookBody::toJson(w, false));
    }
    return ApiReply::json(200, QJsonObject{{QStringLiteral("webhooks"), out}});
}

ApiReply create(ApiContext &ctx, const ApiCall &call, const Collection &c)
{
    QJsonObject body;
    if (auto refusal = call.readObject(body))
        return *refusal;
    Webhook draft;
    draft.tenantId.clear();
    draft.scheme = WebhookBody::defaultScheme(c.path, body);
    if (auto refusal = WebhookBody::apply(body, draft, WebhookBody::Mode::Create))
        return *refusal;
    auto tenant = actingTenant(ctx, call, draft.tenantId);
    if (const auto *refusal = std::get_if<ApiReply>(&tenant))
        return *refusal;
    draft.tenantId = std::get<QString>(tenant);
    auto created = WebhookService(ctx.db()).create(draft);
    if (!created)
        return ApiReply::fromError(created.error());
    // The only answer that carries the secret in full.
    return ApiReply::json(201, shaped(c, WebhookBody::toJson(*created, true)));
}

ApiReply show(ApiContext &, const ApiCall &, const Collection &c, const Webhook &webhook)
{
    return ApiReply::json(200, shaped(c, WebhookBody::toJson(webhook, false)));
}

ApiReply update(ApiContext &ctx, const ApiCall &call, const Collection &c, const Webhook &webhook)
{
    QJsonObject body;
    if (auto refusal = call.readObject(body))
        return *refusal;
    Webhook w = webhook;
    if (auto refusal = WebhookBody::apply(body, w, WebhookBody::Mode::Update))
        return *refusal;
    auto updated = WebhookService(ctx.db()).update(w);
    if (!updated)
        return ApiReply::fromError(updated.error());
    return ApiReply::json(200, shaped(c, WebhookBody::toJson(*updated, false)));
}

ApiReply remove(ApiContext &ctx, const ApiCall &, const Collection &, const Webhook &webhook)
{
    if (auto s = WebhookService(ctx.db()).remove(webhook.id); !s)
        return ApiReply::fromError(s.error());
    return ApiReply::noContent();
}

ApiReply rotate(ApiContext &ctx, const ApiCall &call, const Collection &, const Webhook &webhook)
{
    QJsonObject body;
    if (auto refusal = call.readObject(body, true))
        return *refusal;
    std::optional<int> grace;
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != u"graceSeconds")
            return ApiReply::invalid(it.key(), QStringLiteral("unknown field (expected graceSeconds)"));
        const auto v = it.value();
        if (!v.isDouble() || v.toDouble() != double(v.toInteger()) || v.toInteger() < 0 || v.toInteger() > 30 * 24 * 3600)
            return ApiReply::invalid(QStringLiteral("graceSeconds"), QStringLiteral("must be a whole number of seconds from 0 to 2592000"));
        grace = int(v.toInteger());
    }
    auto rotation = WebhookService(ctx.db()).rotateSecret(webhook.id, grace);
    if (!rotation)
        return ApiReply::fromError(rotation.error());
    return ApiReply::json(200, QJsonObject{
                                   {QStringLiteral("id"), webhook.id},
                                   {QStringLiteral("secret"), rotation->secret},
                                   {QStringLiteral("previousSecretExpiresAt"), isoTime(rotation->previousExpiresAt)},
                                   {QStringLiteral("retiredEarly"), rotation->retiredEarly},
                               });
}

ApiReply test(ApiContext &ctx, const ApiCall &, const Collection &, const Webhook &webhook)
{
    auto delivery = EventService(ctx.db()).emitTestPing(webhook.id);
    if (!delivery)
        return ApiReply::fromError(delivery.error());
    ctx.wakeEngine();
    return ApiReply::json(202, QJsonObject{{QStringLiteral("deliveryId"), *delivery},
                                           {QStringLiteral("webhookId"), webhook.id},
                                           {QStringLiteral("status"), QStringLiteral("pending")}});
}

ApiReply deliveries(ApiContext &ctx, const ApiCall &call, const Collection &, const Webhook &webhook)
{
    DeliveryFilter filter;
    filter.webhookId = webhook.id;
    const auto &q = call.query;
    for (const auto &[key, value] : q.queryItems(QUrl::FullyDecoded)) {
        if (key == u"status") {
            filter.status = deliveryStatusFromName(value);
            if (!filter.status)
                return ApiReply::invalid(key, QStringLiteral("must be one of %1").arg(deliveryStatusNames().join(QStringLiteral(", "))));
        } else if (key == u"event") {
            filter.eventType = value;
        } else if (key == u"since" || key == u"until") {
            auto t = timeParameter(key, value);
            if (const auto *refusal = std::get_if<ApiReply>(&t))
                return *refusal;
            (key == u"since" ? filter.since : filter.until) = std::get<QDateTime>(t);
        } else if (key == u"limit") {
            bool ok = false;
            filter.limit = value.toInt(&ok);
            if (!ok || filter.limit < 1 || filter.limit > 1000)
                return ApiReply::invalid(key, QStringLiteral("must be a whole number from 1 to 1000"));
        } else if (key == u"cursor") {
            filter.after = value;
        } else {
            return ApiReply::invalid(key, QStringLiteral("unknown parameter (expected status, event, since, until, limit, cursor)"));
        }
    }
    if (!filter.after.isEmpty()) {
        // A cursor is a delivery of this webhook; anything else is refused, not read as "from the start".
        auto at = visibleDelivery(ctx, call, filter.after);
        if (std::holds_alternative<ApiReply>(at) || std::get<Delivery>(at).webhookId != filter.webhookId)
            return ApiReply::invalid(QStringLiteral("cursor"), QStringLiteral("not a cursor of this list"));
    }
    auto page = DeliveryService(ctx.db()).list(filter);
    if (!page)
        return ApiReply::fromError(page.error());
    QJsonArray out;
    for (const auto &d : std::as_const(*page))
        out.append(deliveryJson(d));
    const bool more = page->size() == filter.limit;
    return ApiReply::json(
        200, QJsonObject{{QStringLiteral("deliveries"), out}, {QStringLiteral("next"), more ? QJsonValue(page->constLast().id) : QJsonValue()}});
}

ApiReply availableEvents(ApiContext &ctx, const ApiCall &)
{
    auto types = CatalogService(ctx.db()).list();
    if (!types)
        return ApiReply::fromError(types.error());
    QJsonArray out;
    for (const auto &t : std::as_const(*types)) {
        if (t.name != EventType::testEventName())
            out.append(toJson(t));
    }
    return ApiReply::json(200, QJsonObject{{QStringLiteral("events"), out}});
}

} // namespace

void addWebhookRoutes(Router &router, ApiContext &ctx)
{
    router.add("GET", QStringLiteral("/api/v1/webhooks/events/available"), [&ctx](ApiCall &call) { return availableEvents(ctx, call); });
    using Handler = ApiReply (*)(ApiContext &, const ApiCall &, const Collection &);
    using OnWebhook = ApiReply (*)(ApiContext &, const ApiCall &, const Collection &, const Webhook &);
    const struct {
        const char *method;
        const char *suffix;
        Handler handler;
    } collectionRoutes[] = {
        {"GET", "", list},
        {"POST", "", create},
    };
    // The routes of one webhook: each handler gets it only when the key sees
    // its tenant; otherwise the same 404 as for an id that does not exist.
    const struct {
        const char *method;
        const char *suffix;
        OnWebhook handler;
    } webhookRoutes[] = {
        {"GET", "/{id}", show},
        {"PUT", "/{id}", update},
        {"PATCH", "/{id}", update},
        {"DELETE", "/{id}", remove},
        {"POST", "/{id}/rotate-secret", rotate},
        {"POST", "/{id}/test", test},
        {"GET", "/{id}/deliveries", deliveries},
    };
    for (const auto &c : collections()) {
        for (const auto &r : collectionRoutes)
            router.add(r.method, c.path + QLatin1String(r.suffix), [&ctx, c, handler = r.handler](ApiCall &call) { return handler(ctx, call, c); });
        for (const auto &r : webhookRoutes) {
            router.add(r.method, c.path + QLatin1String(r.suffix), [&ctx, c, handler = r.handler](ApiCall &call) {
                auto found = visibleWebhook(ctx, call, call.param(QStringLiteral("id")));
                if (const auto *refusal = std::get_if<ApiReply>(&found))
                    return *refusal;
                return handler(ctx, call, c, std::get<Webhook>(found));
            });
        }
    }
}

} // namespace hookline::api
