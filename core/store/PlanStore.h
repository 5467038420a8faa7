#pragma once

#include "model/Plan.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <optional>

namespace hookline {

class PlanStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::PlanStore)
public:
    explicit PlanStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }
    Result<std::optional<Plan>> find(const QString &name) const;
    Result<QList<Plan>> list() const;
    Status insert(const Plan &plan);
    Status update(const Plan &plan);
    Result<int> tenantCount(const QString &name) const;

private:
    QSqlDatabase m_db;
};

} // namespace hookline
