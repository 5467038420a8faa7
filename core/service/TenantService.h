#pragma once

#include "model/Tenant.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

namespace hookline {

class TenantService final {
    Q_DECLARE_TR_FUNCTIONS(hookline::TenantService)
public:
    explicit TenantService(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    // `plan` names an existing plan, in any case (PlanService).
    Result<Tenant> create(const QString &id, const QString &plan);
    Result<Tenant> setPlan(const QString &id, const QString &plan);
    // The tenant's plan, for its quota and request rate.
    Result<Plan> planOf(const QString &id) const;
    Result<Plan> planOf(const Tenant &tenant) const; // a tenant already read
    Result<Tenant> get(const QString &id) const;
    Result<QList<Tenant>> list() const;

private:
    QSqlDatabase m_db;
};

} // namespace hookline
