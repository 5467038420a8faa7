#include "InspectorModel.h"

#include "TimeText.h"

namespace hookline {

int InspectorModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int InspectorModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant InspectorModel::data(const QModelIndex &index, int role) const
{
    const Row *row = rowAt(index.row());
    if (!row)
        return {};
    const auto &r = row->request;
    if (role == RawDataRole) {
        switch (index.column()) {
        case Number: return r.index;
        case Time: return r.receivedAt;
        case Answered: return r.answeredStatus;
        default: break;
        }
        role = Qt::DisplayRole;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Number: return r.index;
    case Time: return TimeText::exact(r.receivedAt);
    case Method: return QString::fromUtf8(r.method);
    case Target: return QString::fromUtf8(r.target);
    case Answered: return r.answeredStatus ? QString::number(r.answeredStatus) : tr("dropped");
    case Signature: return row->verdict;
    default: return {};
    }
}

QVariant InspectorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Number: return tr("#");
    case Time: return tr("Received");
    case Method: return tr("Method");
    case Target: return tr("Path");
    case Answered: return tr("Answered");
    case Signature: return tr("Signature");
    default: return {};
    }
}

void InspectorModel::append(Row row)
{
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append(std::move(row));
    endInsertRows();
}

void InspectorModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

} // namespace hookline
