#include "PlanStore.h"

#include "store/Sql.h"

namespace hookline {

namespace {
constexpr auto kColumns = "SELECT name, webhook_quota, requests_per_minute, builtin, created_at FROM plans";

Plan fromRow(const QSqlQuery &q)
{
    const auto limit = [&q](int i) { return q.value(i).isNull() ? std::optional<int>() : std::optional<int>(q.value(i).toInt()); };
    return Plan{q.value(0).toString(), limit(1), limit(2), q.value(3).toBool(), sql::fromMs(q.value(4).toLongLong())};
}

QVariant limitValue(const std::optional<int> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType::fromType<int>());
}
} // namespace

Result<std::optional<Plan>> PlanStore::find(const QString &name) const
{
    auto q = sql::prepare(m_db, QLatin1StringView(kColumns) + QStringLiteral(" WHERE name = ?"));
    q.addBindValue(name.toUpper());
    if (auto s = sql::exec(q, tr("reading a plan")); !s)
        return s.error();
    if (!q.next())
        return std::optional<Plan>();
    return std::optional(fromRow(q));
}

Result<QList<Plan>> PlanStore::list() const
{
    // Smallest first, unlimited last: the order a person compares them in.
    auto q = sql::prepare(
        m_db, QLatin1StringView(kColumns)
                  + QStringLiteral(" ORDER BY webhook_quota IS NULL, webhook_quota, requests_per_minute IS NULL, requests_per_minute, name"));
    if (auto s = sql::exec(q, tr("listing plans")); !s)
        return s.error();
    QList<Plan> out;
    while (q.next())
        out << fromRow(q);
    return out;
}

Status PlanStore::insert(const Plan &plan)
{
    auto q = sql::prepare(m_db,
                          QStringLiteral("INSERT INTO plans (name, webhook_quota, requests_per_minute, builtin, created_at) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(plan.name);
    q.addBindValue(limitValue(plan.webhookQuota));
    q.addBindValue(limitValue(plan.requestsPerMinute));
    q.addBindValue(plan.builtin ? 1 : 0);
    q.addBindValue(sql::toMs(plan.createdAt));
    return sql::exec(q, tr("creating a plan"));
}

Status PlanStore::update(const Plan &plan)
{
    auto q = sql::prepare(m_db, QStringLiteral("UPDATE plans SET webhook_quota = ?, requests_per_minute = ? WHERE name = ?"));
    q.addBindValue(limitValue(plan.webhookQuota));
    q.addBindValue(limitValue(plan.requestsPerMinute));
    q.addBindValue(plan.name);
    return sql::exec(q, tr("changing a plan"));
}

Result<int> PlanStore::tenantCount(const QString &name) const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT COUNT(*) FROM tenants WHERE plan = ?"));
    q.addBindValue(name);
    if (auto s = sql::exec(q, tr("counting a plan's tenants")); !s)
        return s.error();
    return q.next() ? q.value(0).toInt() : 0;
}

} // namespace hookline
