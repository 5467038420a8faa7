#pragma once

#include "model/Plan.h"
#include "model/Tenant.h"

#include <QAbstractTableModel>
#include <QList>

namespace hookline {

// Tenants with their plan's limits, as the Tenants and API keys dialog shows them.
class TenantModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TenantModel)

public:
    enum Column { Id, PlanName, WebhookQuota, RequestsPerMinute, ColumnCount };
    enum Role { RawDataRole = Qt::UserRole + 1 }; // the limits as numbers (-1: unlimited), the id as text

    explicit TenantModel(QObject *parent = nullptr)
        : QAbstractTableModel(parent)
    {
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setData(QList<Tenant> tenants, QList<Plan> plans);
    const QList<Plan> &plans() const { return m_plans; }
    QString tenantAt(int row) const { return m_tenants.value(row).id; }
    int rowOf(const QString &tenantId) const;

    // "unlimited" or the number, as a person reads a limit.
    static QString limitText(const std::optional<int> &limit);

private:
    const Plan *planOf(const Tenant &tenant) const;
    QList<Tenant> m_tenants;
    QList<Plan> m_plans;
};

} // namespace hookline
