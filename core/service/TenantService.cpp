#include "TenantService.h"

#include "store/TenantStore.h"
#include "util/Clock.h"

namespace hookline {

Result<Tenant> TenantService::create(const QString &id, Plan plan)
{
    if (!Tenant::isValidId(id))
        return Error::validation(QStringLiteral("tenant"), tr("\"%1\" is not a valid tenant id (letters, digits, '.', '_', '-'; at most 64)").arg(id));
    TenantStore store(m_db);
    auto existing = store.find(id);
    if (!existing)
        return existing.error();
    if (*existing)
        return Error{Error::Code::Conflict, tr("tenant \"%1\" already exists").arg(id), QStringLiteral("tenant")};
    const Tenant tenant{id, plan, Clock::now()};
    if (auto s = store.insert(tenant); !s)
        return s.error();
    return get(id);
}

Result<Tenant> TenantService::setPlan(const QString &id, Plan plan)
{
    if (auto existing = get(id); !existing)
        return existing.error();
    if (auto s = TenantStore(m_db).setPlan(id, plan); !s)
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

Result<QList<Tenant>> TenantService::list() const
{
    return TenantStore(m_db).list();
}

} // namespace hookline
