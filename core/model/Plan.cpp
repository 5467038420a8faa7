#include "Plan.h"

#include <array>

namespace hookline {

namespace {
struct PlanInfo {
    Plan plan;
    const char *name;
    int webhookQuota;
    int requestsPerMinute;
};
constexpr std::array<PlanInfo, 4> kPlans{{
    {Plan::Free, "FREE", 0, 60},
    {Plan::Pro, "PRO", 5, 600},
    {Plan::Scale, "SCALE", 20, 6000},
    {Plan::Enterprise, "ENTERPRISE", 100, 6000},
}};

const PlanInfo &info(Plan plan)
{
    return kPlans[size_t(plan)];
}
} // namespace

QString planName(Plan plan)
{
    return QString::fromLatin1(info(plan).name);
}

std::optional<Plan> planFromName(QStringView name)
{
    for (const auto &p : kPlans) {
        if (name.compare(QLatin1StringView(p.name), Qt::CaseInsensitive) == 0)
            return p.plan;
    }
    return std::nullopt;
}

QStringList planNames()
{
    QStringList names;
    for (const auto &p : kPlans)
        names << QString::fromLatin1(p.name);
    return names;
}

int planWebhookQuota(Plan plan)
{
    return info(plan).webhookQuota;
}

int planRequestsPerMinute(Plan plan)
{
    return info(plan).requestsPerMinute;
}

} // namespace hookline
