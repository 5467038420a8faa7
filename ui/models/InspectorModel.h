#pragma once

#include "net/Inspector.h"

#include <QAbstractTableModel>
#include <QList>

namespace hookline {

// The requests the inspector received, newest last, each with its
// signature verdict ("" when nothing to verify with).
class InspectorModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorModel)

public:
    enum Column { Number, Time, Method, Target, Answered, Signature, ColumnCount };
    enum Role { RawDataRole = Qt::UserRole + 1 }; // Number: the index; Time: the QDateTime; Answered: the status (0: dropped)

    struct Row {
        InspectedRequest request;
        QString verdict;
        QString details; // what the detail pane shows of the verification
    };

    explicit InspectorModel(QObject *parent = nullptr)
        : QAbstractTableModel(parent)
    {
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(Row row);
    void clear();
    const Row *rowAt(int row) const { return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr; }

private:
    QList<Row> m_rows;
};

} // namespace hookline
