#include "RouteHelpers.h"

#include "model/ModelJson.h"
#include "service/DeliveryService.h"
#include "service/TenantService.h"
#include "service/WebhookService.h"

namespace hookline::api {

Found<Webhook> visibleWebhook(const ApiContext &context, const ApiCall &call, const QString &id)
{
    auto w = WebhookService(context.db()).get(id);
    if (!w && w.error().code != Error::Code::NotFound)
        return ApiReply::fromError(w.error());
    if (!w || !call.principal.sees(w->tenantId))
        return ApiReply::notFound(QStringLiteral("no webhook with id \"%1\"").arg(id));
    return std::move(*w);
}

Found<Delivery> visibleDelivery(const ApiContext &context, const ApiCall &call, const QString &id)
{
    auto d = DeliveryService(context.db()).get(id);
    if (!d && d.error().code != Error::Code::NotFound)
        return ApiReply::fromError(d.error());
    if (!d || !call.principal.sees(d->tenantId))
        return ApiReply::notFound(QStringLiteral("no delivery with id \"%1\"").arg(id));
    return std::move(*d);
}

Found<QString> actingTenant(const ApiContext &context, const ApiCall &call, const QString &named)
{
    if (named.isEmpty())
        return call.principal.tenantId;
    if (!call.principal.sees(named))
        return ApiReply::notFound(QStringLiteral("no tenant \"%1\"").arg(named));
    auto tenant = TenantService(context.db()).get(named);
    if (!tenant && tenant.error().code == Error::Code::NotFound)
        return ApiReply::notFound(QStringLiteral("no tenant \"%1\"").arg(named));
    if (!tenant)
        return ApiReply::fromError(tenant.error());
    return named;
}

Found<QDateTime> timeParameter(const QString &field, const QString &text)
{
    const auto t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        return ApiReply::invalid(field, QStringLiteral("\"%1\" is not an ISO 8601 time such as 2025-01-15T10:30:00Z").arg(text));
    return t;
}

std::optional<ApiReply> readOptionalInt(const QJsonObject &object, const QString &key, int min, int max, const QString &nullMeans,
                                        std::optional<int> &out)
{
    const auto v = object.value(key);
    if (v.isNull()) {
        out.reset();
        return std::nullopt;
    }
    if (!v.isDouble() || v.toDouble() != double(v.toInteger()) || v.toInteger() < min || v.toInteger() > max)
        return ApiReply::invalid(key, QStringLiteral("must be a whole number from %1 to %2, or null (%3)").arg(min).arg(max).arg(nullMeans));
    out = int(v.toInteger());
    return std::nullopt;
}

QJsonObject deliveryJson(const Delivery &d)
{
    QJsonObject o = toJson(d);
    o.insert(QStringLiteral("timestamp"), o.value(QStringLiteral("createdAt")));
    o.insert(QStringLiteral("duration"), o.value(QStringLiteral("lastDurationMs")));
    o.insert(QStringLiteral("success"), d.status == DeliveryStatus::Succeeded);
    o.insert(QStringLiteral("retryAt"), o.value(QStringLiteral("nextAttemptAt")));
    return o;
}

} // namespace hookline::api
