#include "TenantModel.h"

namespace hookline {

int TenantModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tenants.size());
}

int TenantModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TenantModel::limitText(const std::optional<int> &limit)
{
    return limit ? QLocale().toString(*limit) : tr("unlimited");
}

const Plan *TenantModel::planOf(const Tenant &tenant) const
{
    for (const auto &p : m_plans) {
        if (p.name == tenant.plan)
            return &p;
    }
    return nullptr;
}

QVariant TenantModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_tenants.size())
        return {};
    const auto &t = m_tenants.at(index.row());
    const Plan *plan = planOf(t);
    const auto limit = [&](const std::optional<int> Plan::*member) -> QVariant {
        if (!plan)
            return role == RawDataRole ? QVariant(-2) : QVariant(tr("unknown plan"));
        const auto &v = plan->*member;
        return role == RawDataRole ? QVariant(v.value_or(-1)) : QVariant(limitText(v));
    };
    if (role != Qt::DisplayRole && role != RawDataRole && role != Qt::AccessibleTextRole)
        return {};
    switch (Column(index.column())) {
    case Id: return t.id;
    case PlanName: return t.plan;
    case WebhookQuota: return limit(&Plan::webhookQuota);
    case RequestsPerMinute: return limit(&Plan::requestsPerMinute);
    case ColumnCount: break;
    }
    return {};
}

QVariant TenantModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Id: return tr("Tenant");
    case PlanName: return tr("Plan");
    case WebhookQuota: return tr("Webhooks allowed");
    case RequestsPerMinute: return tr("API requests a minute");
    case ColumnCount: break;
    }
    return {};
}

void TenantModel::setData(QList<Tenant> tenants, QList<Plan> plans)
{
    beginResetModel();
    m_tenants = std::move(tenants);
    m_plans = std::move(plans);
    endResetModel();
}

int TenantModel::rowOf(const QString &tenantId) const
{
    for (int i = 0; i < m_tenants.size(); ++i) {
        if (m_tenants.at(i).id == tenantId)
            return i;
    }
    return -1;
}

} // namespace hookline
