#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace hookline {

// A tenant's plan decides how many webhooks it may have and, once the REST
// API exists, how fast it may call it.
enum class Plan { Free, Pro, Scale, Enterprise };

QString planName(Plan plan);                       // "FREE", "PRO", ...
std::optional<Plan> planFromName(QStringView name); // case-insensitive
QStringList planNames();
int planWebhookQuota(Plan plan);         // 0 / 5 / 20 / 100
int planRequestsPerMinute(Plan plan);    // 60 / 600 / 6000 / 6000

} // namespace hookline
