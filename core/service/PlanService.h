#pragma once

#include "model/Plan.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

namespace hookline {

// The plans tenants are on (model/Plan.h): the built-in ones as the seeds
// define them, and those an administrator adds. Every change is audited.
class PlanService final {
    Q_DECLARE_TR_FUNCTIONS(hookline::PlanService)
public:
    explicit PlanService(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    Result<QList<Plan>> list() const;
    Result<Plan> get(const QString &name) const; // any case
    Result<Plan> add(Plan plan);
    // Changes a plan's limits; the built-in plans keep the seeds' figures.
    Result<Plan> update(const Plan &plan);
    // A name a plan could have, checked without the database (`field` names the input).
    static Status validateName(const QString &name, const QString &field = QStringLiteral("name"));

private:
    static Status validate(const Plan &plan);
    QSqlDatabase m_db;
};

} // namespace hookline
