#include "TenantStore.h"

#include "store/Sql.h"

namespace hookline {

namespace {
Result<Tenant> fromRow(const QSqlQuery &q)
{
    return Tenant{q.value(0).toString(), q.value(1).toString(), sql::fromMs(q.value(2).toLongLong())};
}
} // namespace

Result<std::optional<Tenant>> TenantStore::find(const QString &id) const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT id, plan, created_at FROM tenants WHERE id = ?"));
    q.addBindValue(id);
    if (auto s = sql::exec(q, tr("reading a tenant")); !s)
        return s.error();
    if (!q.next())
        return std::optional<Tenant>();
    auto t = fromRow(q);
    if (!t)
        return t.error();
    return std::optional<Tenant>(std::move(*t));
}

Result<QList<Tenant>> TenantStore::list() const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT id, plan, created_at FROM tenants ORDER BY id"));
    if (auto s = sql::exec(q, tr("listing tenants")); !s)
        return s.error();
    QList<Tenant> out;
    while (q.next()) {
        auto t = fromRow(q);
        if (!t)
            return t.error();
        out << std::move(*t);
    }
    return out;
}

Status TenantStore::insert(const Tenant &tenant)
{
    auto q = sql::prepare(m_db, QStringLiteral("INSERT INTO tenants (id, plan, created_at) VALUES (?, ?, ?)"));
    q.addBindValue(tenant.id);
    q.addBindValue(tenant.plan);
    q.addBindValue(sql::toMs(tenant.createdAt));
    return sql::exec(q, tr("creating a tenant"));
}

Status TenantStore::setPlan(const QString &id, const QString &plan)
{
    auto q = sql::prepare(m_db, QStringLiteral("UPDATE tenants SET plan = ? WHERE id = ?"));
    q.addBindValue(plan);
    q.addBindValue(id);
    return sql::exec(q, tr("changing a tenant's plan"));
}

} // namespace hookline
