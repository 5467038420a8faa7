#pragma once

#include "model/Tenant.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace hookline {

class TenantStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::TenantStore)
public:
    explicit TenantStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    Result<std::optional<Tenant>> find(const QString &id) const;
    Result<QList<Tenant>> list() const;
    Status insert(const Tenant &tenant);
    Status setPlan(const QString &id, const QString &plan);

private:
    QSqlDatabase m_db;
};

} // namespace hookline
