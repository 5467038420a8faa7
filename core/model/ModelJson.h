#pragma once

#include "model/Delivery.h"
#include "model/EventType.h"
#include "model/Tenant.h"
#include "model/Webhook.h"

#include <QJsonObject>

namespace hookline {

// The values as JSON: the one shape the CLI prints and the REST API answers.
enum class SecretView { Masked, Revealed };

QJsonObject toJson(const Webhook &webhook, SecretView secret);
QJsonObject toJson(const EventType &type);
QJsonObject toJson(const Delivery &delivery);
QJsonObject toJson(const Attempt &attempt);
QJsonObject toJson(const Tenant &tenant);
QJsonObject toJson(const Plan &plan); // a limit of null is unlimited
QString isoTime(const QDateTime &time);

} // namespace hookline
