#pragma once

#include "ApiCall.h"
#include "ApiContext.h"
#include "ApiReply.h"
#include "model/Delivery.h"
#include "model/Webhook.h"

#include <QDateTime>
#include <QJsonObject>
#include <optional>
#include <variant>

namespace hookline::api {

// A value a handler needs, or the answer that refuses the request.
template <typename T>
using Found = std::variant<T, ApiReply>;

// The webhook of `id` when the caller's key sees its tenant; 404 otherwise,
// the same 404 as for an id that does not exist, so a tenant learns nothing
// of another's webhooks.
Found<Webhook> visibleWebhook(const ApiContext &context, const ApiCall &call, const QString &id);
Found<Delivery> visibleDelivery(const ApiContext &context, const ApiCall &call, const QString &id);

// The tenant a request acts for: the key's, or for an admin key the one the
// body or query names (default: "default"). A tenant key naming another
// tenant gets 404, as if that tenant did not exist.
Found<QString> actingTenant(const ApiContext &context, const ApiCall &call, const QString &named);

// "2025-01-15T10:30:00Z" (or with an offset, or milliseconds); 400 naming `field` otherwise.
Found<QDateTime> timeParameter(const QString &field, const QString &text);

// A member that is a whole number from `min` to `max`, or null (`nullMeans`
// says what null stands for: "unlimited", "the installation's setting").
std::optional<ApiReply> readOptionalInt(const QJsonObject &object, const QString &key, int min, int max, const QString &nullMeans,
                                        std::optional<int> &out);

// A delivery as the API answers it: the CLI's shape and the Audit Trail's
// names (timestamp, duration, success, retryAt).
QJsonObject deliveryJson(const Delivery &delivery);

} // namespace hookline::api
