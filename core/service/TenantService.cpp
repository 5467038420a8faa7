#include "TenantService.h"

#include "service/AuditLog.h"
#include "service/PlanService.h"
#include "store/Sql.h"
#include "store/TenantStore.h"
#include "util/Clock.h"

#include <QJsonObject>

namespace hookline {

Result<Tenant> TenantService::create(const QString &id, const QString &planName)
{
    if (!Tenant::isValidId(id))
        return Error::validation(QStringLiteral("tenant"),
                                 tr("\"%1\" is not a valid tenant id (letters, digits, '.', '_', '-'; at most 64)").arg(id));
    auto plan = PlanService(m_db).get(planName);
    if (!plan)
        return plan.error();
    TenantStore store(m_db);
    auto existing = store.find(id);
    if (!existing)
        return existing.error();
    if (*existing)
        return Error{Error::Code::Conflict, tr("tenant \"%1\" already exists").arg(id), QStringLiteral("tenant")};
    const Tenant tenant{id, plan->name, Clock::now()};
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    if (auto s = store.insert(tenant); !s)
        return s.error();
    if (auto s = AuditLog(m_db).record(QStringLiteral("tenant.created"), QStringLiteral("tenant"), id,
                                       QJsonObject{{QStringLiteral("plan"), QJsonObject{{QStringLiteral("new"), plan->name}}}});
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return get(id);
}

Result<Tenant> TenantService::setPlan(const QString &id, const QString &planName)
{
    auto existing = get(id);
    if (!existing)
        return existing.error();
    auto found = PlanService(m_db).get(planName);
    if (!found)
        return found.error();
    const QString plan = found->name;
    if (existing->plan == plan)
        return existing;
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    if (auto s = TenantStore(m_db).setPlan(id, plan); !s)
        return s.error();
    if (auto s = AuditLog(m_db).record(QStringLiteral("tenant.plan-changed"), QStringLiteral("tenant"), id,
                                       QJsonObject{{QStringLiteral("plan"), AuditLog::change(existing->plan, plan)}});
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return get(id);
}

Result<Tenant> TenantService::get(const QString &id) const
{
    auto found = TenantStore(m_db).find(id);
    if (!found)
        return found.error();
    if (!*found)
        return Error::notFound(tr("no tenant \"%1\"").arg(id));
    return **found;
}

Result<Plan> TenantService::planOf(const QString &id) const
{
    auto tenant = get(id);
    if (!tenant)
        return tenant.error();
    return planOf(*tenant);
}

Result<Plan> TenantService::planOf(const Tenant &tenant) const
{
    auto plan = PlanService(m_db).get(tenant.plan);
    if (!plan && plan.error().code == Error::Code::NotFound)
        return Error::database(tr("tenant %1 is on the plan \"%2\", which is not in the database").arg(tenant.id, tenant.plan));
    return plan;
}

Result<QList<Tenant>> TenantService::list() const
{
    return TenantStore(m_db).list();
}

} // namespace hookline
