#include "RouteHelpers.h"
#include "Router.h"
#include "Routes.h"
#include "model/ModelJson.h"
#include "service/DeliveryService.h"

#include <QJsonArray>

namespace hookline::api {

namespace {

ApiReply show(ApiContext &ctx, const ApiCall &call)
{
    auto found = visibleDelivery(ctx, call, call.param(QStringLiteral("id")));
    if (auto *r = std::get_if<ApiReply>(&found))
        return *r;
    auto attempts = DeliveryService(ctx.db()).attempts(std::get<Delivery>(found).id);
    if (!attempts)
        return ApiReply::fromError(attempts.error());
    QJsonObject o = deliveryJson(std::get<Delivery>(found));
    QJsonArray list;
    for (const auto &a : std::as_const(*attempts))
        list.append(toJson(a));
    o.insert(QStringLiteral("attemptList"), list);
    return ApiReply::json(200, o);
}

ApiReply retry(ApiContext &ctx, const ApiCall &call)
{
    auto found = visibleDelivery(ctx, call, call.param(QStringLiteral("id")));
    if (auto *r = std::get_if<ApiReply>(&found))
        return *r;
    const auto &d = std::get<Delivery>(found);
    if (auto s = DeliveryService(ctx.db()).retryNow(d.id); !s)
        return ApiReply::fromError(s.error());
    ctx.wakeEngine();
    return ApiReply::json(202, QJsonObject{{QStringLiteral("id"), d.id}, {QStringLiteral("status"), QStringLiteral("pending")}});
}

ApiReply replay(ApiContext &ctx, const ApiCall &call)
{
    QJsonObject body;
    if (auto refusal = call.readObject(body))
        return *refusal;
    ReplayFilter filter;
    for (auto it = body.begin(); it != body.end(); ++it) {
        const QString key = it.key();
        const auto v = it.value();
        if (key == u"webhookId" && v.isString()) {
            filter.webhookId = v.toString();
        } else if (key == u"status" && v.isString() && deliveryStatusFromName(v.toString())) {
            filter.status = deliveryStatusFromName(v.toString());
        } else if (key == u"since" && v.isString()) {
            auto t = timeParameter(key, v.toString());
            if (auto *r = std::get_if<ApiReply>(&t))
                return *r;
            filter.since = std::get<QDateTime>(t);
        } else {
            return ApiReply::invalid(key,
                                     QStringLiteral("unknown field or wrong type (expected webhookId, status: succeeded|failed, since: ISO time)"));
        }
    }
    if (filter.webhookId.isEmpty())
        return ApiReply::invalid(QStringLiteral("webhookId"), QStringLiteral("is required"));
    auto found = visibleWebhook(ctx, call, filter.webhookId);
    if (auto *r = std::get_if<ApiReply>(&found))
        return *r;
    auto ids = DeliveryService(ctx.db()).replay(filter);
    if (!ids)
        return ApiReply::fromError(ids.error());
    ctx.wakeEngine();
    return ApiReply::json(
        202, QJsonObject{{QStringLiteral("replayed"), int(ids->size())}, {QStringLiteral("deliveryIds"), QJsonArray::fromStringList(*ids)}});
}

} // namespace

void addDeliveryRoutes(Router &router, ApiContext &ctx)
{
    router.add("GET", QStringLiteral("/api/v1/deliveries/{id}"), [&ctx](ApiCall &call) { return show(ctx, call); });
    router.add("POST", QStringLiteral("/api/v1/deliveries/{id}/retry"), [&ctx](ApiCall &call) { return retry(ctx, call); });
    router.add("POST", QStringLiteral("/api/v1/replay"), [&ctx](ApiCall &call) { return replay(ctx, call); });
}

} // namespace hookline::api
