#include "ApiKeyModel.h"

#include "TimeText.h"

namespace hookline {

int ApiKeyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_keys.size());
}

int ApiKeyModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ApiKeyModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_keys.size())
        return {};
    const auto &k = m_keys.at(index.row());
    if (role != Qt::DisplayRole && role != RawDataRole && role != Qt::AccessibleTextRole)
        return {};
    switch (Column(index.column())) {
    case Name: return k.name.isEmpty() ? tr("(no name)") : k.name;
    case Tenant: return k.admin ? tr("all tenants (admin)") : k.tenantId;
    case Hint: return k.hint;
    case Created: return role == RawDataRole ? QVariant(k.createdAt) : QVariant(TimeText::absolute(k.createdAt));
    case State:
        if (role == RawDataRole)
            return k.isRevoked() ? 1 : 0;
        return k.isRevoked() ? tr("revoked %1").arg(TimeText::absolute(*k.revokedAt)) : tr("active");
    case ColumnCount: break;
    }
    return {};
}

QVariant ApiKeyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name: return tr("Name");
    case Tenant: return tr("Tenant");
    case Hint: return tr("Key begins");
    case Created: return tr("Created");
    case State: return tr("State");
    case ColumnCount: break;
    }
    return {};
}

void ApiKeyModel::setKeys(QList<ApiKey> keys)
{
    beginResetModel();
    m_keys = std::move(keys);
    endResetModel();
}

} // namespace hookline
