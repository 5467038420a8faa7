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
    explicit TenantService(QSqlDatabase db) : m_db(std::move(db)) {}

    Result<Tenant> create(const QString &id, Plan plan);
    Result<Tenant> setPlan(const QString &id, Plan plan);
    Result<Tenant> get(const QString &id) const;
    Result<QList<Tenant>> list() const;

private:
    QSqlDatabase m_db;
};

} // namespace hookline
