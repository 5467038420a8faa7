#pragma once

#include "model/ApiKey.h"

#include <QAbstractTableModel>
#include <QList>

namespace hookline {

// API keys (never the keys themselves: their names, tenants and hints).
class ApiKeyModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiKeyModel)

public:
    enum Column { Name, Tenant, Hint, Created, State, ColumnCount };
    enum Role { RawDataRole = Qt::UserRole + 1 }; // Created: the QDateTime; State: 1 when revoked

    explicit ApiKeyModel(QObject *parent = nullptr)
        : QAbstractTableModel(parent)
    {
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setKeys(QList<ApiKey> keys);
    const ApiKey *keyAt(int row) const { return row >= 0 && row < m_keys.size() ? &m_keys.at(row) : nullptr; }

private:
    QList<ApiKey> m_keys;
};

} // namespace hookline
