#pragma once

#include "ApiReply.h"
#include "model/Webhook.h"

#include <QJsonObject>
#include <optional>

namespace hookline::api {

// A webhook as the API reads and writes it. One canonical shape (the CLI's
// `webhook show --json`), plus the names each seed's product uses for the
// same fields, read and answered alike:
//   active | is_active (Alforis CRM) | enabled (Audit Trail) | status "ACTIVE"/"INACTIVE" (case tool)
//   events | eventType (case tool: a single type)
//   tenant | tenantId (Audit Trail)
//   headers as [{name, value}] or {"Name": "value"} (lead CRM)
//   createdAt | created_at (Alforis), updatedAt | updated_at
namespace WebhookBody {

enum class Mode { Create, Update };

// Applies the fields present in `body` to `webhook`; on Update only those
// fields change (PUT and PATCH alike: the seeds send partial PUTs). Unknown
// fields and fields of the wrong type are refused with the field named;
// fields the server sets itself (id, dates, counters) are ignored, so what a
// GET answered can be sent back.
std::optional<ApiReply> apply(const QJsonObject &body, Webhook &webhook, Mode mode);

// The scheme a webhook created without "scheme" signs with: the one the
// calling product's receivers verify, told by where and how it asks.
// FinSight (/api/webhooks) and Alforis CRM (is_active) check hmac-hex, the
// Audit Trail (enabled, tenantId) timestamped, the case tool
// (/api/v1/developer/webhooks) hmac-base64; anyone else gets the default,
// Standard Webhooks.
Scheme defaultScheme(const QString &collectionPath, const QJsonObject &body);

// The answer: the canonical fields and every seed's names for them. The
// secret shows in full only when `revealSecret` (the answer to a create).
QJsonObject toJson(const Webhook &webhook, bool revealSecret);

} // namespace WebhookBody

} // namespace hookline::api
