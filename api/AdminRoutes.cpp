#include "RouteHelpers.h"
#include "Router.h"
#include "Routes.h"
#include "model/ModelJson.h"
#include "service/PlanService.h"
#include "service/TenantService.h"

#include <QJsonArray>

namespace hookline::api {

namespace {

std::optional<ApiReply> readPlanBody(const QJsonObject &body, Plan &plan, bool create)
{
    for (auto it = body.begin(); it != body.end(); ++it) {
        const QString key = it.key();
        std::optional<ApiReply> refusal;
        if (key == u"name" && create) {
            if (!it.value().isString())
                return ApiReply::invalid(key, QStringLiteral("must be a string"));
            plan.name = it.value().toString();
        } else if (key == u"webhookQuota") {
            refusal = readOptionalInt(body, key, 0, Plan::kMaxQuota, QStringLiteral("unlimited"), plan.webhookQuota);
        } else if (key == u"requestsPerMinute") {
            refusal = readOptionalInt(body, key, 1, Plan::kMaxRequestsPerMinute, QStringLiteral("unlimited"), plan.requestsPerMinute);
        } else {
            return ApiReply::invalid(
                key, QStringLiteral("unknown field (expected %1webhookQuota, requestsPerMinute)").arg(create ? QStringLiteral("name, ") : QString()));
        }
        if (refusal)
            return refusal;
    }
    if (create && (!body.contains(QStringLiteral("webhookQuota")) || !body.contains(QStringLiteral("requestsPerMinute"))))
        return ApiReply::invalid(body.contains(QStringLiteral("webhookQuota")) ? QStringLiteral("requestsPerMinute") : QStringLiteral("webhookQuota"),
                                 QStringLiteral("is required (a number, or null for unlimited)"));
    return std::nullopt;
}

ApiReply listPlans(ApiContext &ctx, const ApiCall &)
{
    auto plans = PlanService(ctx.db()).list();
    if (!plans)
        return ApiReply::fromError(plans.error());
    QJsonArray out;
    for (const auto &p : std::as_const(*plans))
        out.append(toJson(p));
    return ApiReply::json(200, QJsonObject{{QStringLiteral("plans"), out}});
}

ApiReply addPlan(ApiContext &ctx, const ApiCall &call)
{
    QJsonObject body;
    if (auto r = call.readObject(body))
        return *r;
    Plan plan;
    if (auto r = readPlanBody(body, plan, true))
        return *r;
    auto saved = PlanService(ctx.db()).add(plan);
    return saved ? ApiReply::json(201, toJson(*saved)) : ApiReply::fromError(saved.error());
}

ApiReply updatePlan(ApiContext &ctx, const ApiCall &call)
{
    PlanService plans(ctx.db());
    auto existing = plans.get(call.param(QStringLiteral("name")));
    if (!existing)
        return ApiReply::fromError(existing.error());
    QJsonObject body;
    if (auto r = call.readObject(body))
        return *r;
    Plan plan = *existing;
    if (auto r = readPlanBody(body, plan, false))
        return *r;
    auto saved = plans.update(plan);
    return saved ? ApiReply::json(200, toJson(*saved)) : ApiReply::fromError(saved.error());
}

ApiReply listTenants(ApiContext &ctx, const ApiCall &call)
{
    auto tenants = TenantService(ctx.db()).list();
    if (!tenants)
        return ApiReply::fromError(tenants.error());
    QJsonArray out;
    for (const auto &t : std::as_const(*tenants)) {
        if (call.principal.sees(t.id))
            out.append(toJson(t));
    }
    return ApiReply::json(200, QJsonObject{{QStringLiteral("tenants"), out}});
}

ApiReply addTenant(ApiContext &ctx, const ApiCall &call)
{
    QJsonObject body;
    if (auto r = call.readObject(body))
        return *r;
    QString id;
    QString plan = Plan::unlimitedName();
    for (auto it = body.begin(); it != body.end(); ++it) {
        if ((it.key() == u"id" || it.key() == u"plan") && it.value().isString())
            (it.key() == u"id" ? id : plan) = it.value().toString();
        else
            return ApiReply::invalid(it.key(), QStringLiteral("unknown field or not a string (expected id, plan)"));
    }
    if (id.isEmpty())
        return ApiReply::invalid(QStringLiteral("id"), QStringLiteral("is required"));
    auto tenant = TenantService(ctx.db()).create(id, plan);
    return tenant ? ApiReply::json(201, toJson(*tenant)) : ApiReply::fromError(tenant.error());
}

ApiReply setTenantPlan(ApiContext &ctx, const ApiCall &call)
{
    QJsonObject body;
    if (auto r = call.readObject(body))
        return *r;
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != u"plan" || !it.value().isString())
            return ApiReply::invalid(it.key(), QStringLiteral("unknown field or not a string (expected plan)"));
    }
    if (!body.contains(QStringLiteral("plan")))
        return ApiReply::invalid(QStringLiteral("plan"), QStringLiteral("is required"));
    auto tenant = TenantService(ctx.db()).setPlan(call.param(QStringLiteral("id")), body.value(QStringLiteral("plan")).toString());
    return tenant ? ApiReply::json(200, toJson(*tenant)) : ApiReply::fromError(tenant.error());
}

} // namespace

void addAdminRoutes(Router &router, ApiContext &ctx)
{
    router.add("GET", QStringLiteral("/api/v1/plans"), [&ctx](ApiCall &call) { return listPlans(ctx, call); });
    // Plans and tenants are the installation's: changed with an admin key only.
    router.add(
        "POST", QStringLiteral("/api/v1/plans"), [&ctx](ApiCall &call) { return addPlan(ctx, call); }, Router::Access::Admin);
    router.add(
        "PATCH", QStringLiteral("/api/v1/plans/{name}"), [&ctx](ApiCall &call) { return updatePlan(ctx, call); }, Router::Access::Admin);
    router.add("GET", QStringLiteral("/api/v1/tenants"), [&ctx](ApiCall &call) { return listTenants(ctx, call); });
    router.add(
        "POST", QStringLiteral("/api/v1/tenants"), [&ctx](ApiCall &call) { return addTenant(ctx, call); }, Router::Access::Admin);
    router.add(
        "PATCH", QStringLiteral("/api/v1/tenants/{id}"), [&ctx](ApiCall &call) { return setTenantPlan(ctx, call); }, Router::Access::Admin);
}

} // namespace hookline::api
