#include "PlanService.h"

#include "service/AuditLog.h"
#include "store/PlanStore.h"
#include "store/Sql.h"
#include "util/Clock.h"

#include <QJsonObject>

namespace hookline {

namespace {
QJsonValue limit(const std::optional<int> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QStringLiteral("unlimited"));
}
} // namespace

Result<QList<Plan>> PlanService::list() const
{
    return PlanStore(m_db).list();
}

Result<Plan> PlanService::get(const QString &name) const
{
    auto found = PlanStore(m_db).find(name);
    if (!found)
        return found.error();
    if (!*found) {
        QStringList names;
        if (auto all = list()) {
            for (const auto &p : std::as_const(*all))
                names << p.name;
        }
        return Error{Error::Code::NotFound, tr("no plan \"%1\" (plans: %2)").arg(name, names.join(QStringLiteral(", "))), QStringLiteral("plan")};
    }
    return **found;
}

Status PlanService::validateName(const QString &name, const QString &field)
{
    if (!Plan::isValidName(name))
        return Error::validation(field, tr("\"%1\" is not a valid plan name (letters, digits, '_', '-'; at most 32)").arg(name));
    return Ok{};
}

Status PlanService::validate(const Plan &plan)
{
    if (auto s = validateName(plan.name); !s)
        return s;
    if (plan.webhookQuota && (*plan.webhookQuota < 0 || *plan.webhookQuota > Plan::kMaxQuota))
        return Error::validation(QStringLiteral("webhookQuota"), tr("must be from 0 to %1, or unlimited").arg(Plan::kMaxQuota));
    if (plan.requestsPerMinute && (*plan.requestsPerMinute < 1 || *plan.requestsPerMinute > Plan::kMaxRequestsPerMinute))
        return Error::validation(QStringLiteral("requestsPerMinute"), tr("must be from 1 to %1, or unlimited").arg(Plan::kMaxRequestsPerMinute));
    return Ok{};
}

Result<Plan> PlanService::add(Plan plan)
{
    plan.name = plan.name.toUpper();
    plan.builtin = false;
    plan.createdAt = Clock::now();
    if (auto s = validate(plan); !s)
        return s.error();
    PlanStore store(m_db);
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    auto existing = store.find(plan.name);
    if (!existing)
        return existing.error();
    if (*existing)
        return Error{Error::Code::Conflict, tr("the plan \"%1\" exists already").arg(plan.name), QStringLiteral("name")};
    if (auto s = store.insert(plan); !s)
        return s.error();
    if (auto s = AuditLog(m_db).record(QStringLiteral("plan.created"), QStringLiteral("plan"), plan.name,
                                       QJsonObject{{QStringLiteral("webhookQuota"), AuditLog::change({}, limit(plan.webhookQuota))},
                                                   {QStringLiteral("requestsPerMinute"), AuditLog::change({}, limit(plan.requestsPerMinute))}});
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return get(plan.name);
}

Result<Plan> PlanService::update(const Plan &changed)
{
    auto existing = get(changed.name);
    if (!existing)
        return existing.error();
    if (existing->builtin)
        return Error{Error::Code::Conflict, tr("%1 is a built-in plan and keeps its limits; add a plan of your own instead").arg(existing->name),
                     QStringLiteral("name")};
    Plan plan = *existing;
    plan.webhookQuota = changed.webhookQuota;
    plan.requestsPerMinute = changed.requestsPerMinute;
    if (auto s = validate(plan); !s)
        return s.error();
    QJsonObject what;
    if (plan.webhookQuota != existing->webhookQuota)
        what.insert(QStringLiteral("webhookQuota"), AuditLog::change(limit(existing->webhookQuota), limit(plan.webhookQuota)));
    if (plan.requestsPerMinute != existing->requestsPerMinute)
        what.insert(QStringLiteral("requestsPerMinute"), AuditLog::change(limit(existing->requestsPerMinute), limit(plan.requestsPerMinute)));
    if (what.isEmpty())
        return existing;
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    if (auto s = PlanStore(m_db).update(plan); !s)
        return s.error();
    if (auto s = AuditLog(m_db).record(QStringLiteral("plan.updated"), QStringLiteral("plan"), plan.name, what); !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return get(plan.name);
}

} // namespace hookline
