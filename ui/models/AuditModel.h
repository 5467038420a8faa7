#pragma once

#include "model/AuditEntry.h"

#include <QAbstractTableModel>
#include <QList>

namespace hookline {

// The audit log's rows, newest first, as the Audit dialog shows them.
class AuditModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditModel)

public:
    enum Column { At, Actor, Action, Object, Changes, ColumnCount };
    enum Role { RawDataRole = Qt::UserRole + 1 }; // At: the QDateTime; Changes: the QJsonObject

    explicit AuditModel(QObject *parent = nullptr)
        : QAbstractTableModel(parent)
    {
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setEntries(QList<AuditEntry> entries);
    // "name: Old → New; url: …": what a person reads in the Changes column.
    static QString describeChanges(const QJsonObject &changes);

private:
    QList<AuditEntry> m_entries;
};

} // namespace hookline
