#pragma once

#include "model/DeliveryActivity.h"
#include "model/DeliveryUpdate.h"
#include "model/Webhook.h"

#include <QAbstractTableModel>
#include <QList>

namespace hookline {

class AppContext;

// The webhook list: one row a webhook with its recent activity. Loaded on the
// database thread; reloads keep rows in place by id so selections survive.
class WebhookListModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookListModel)

public:
    enum Column { Name, Url, Status, LastDelivery, SuccessRate, ColumnCount };
    enum Role { RawDataRole = Qt::UserRole + 1, IdRole };

    struct Row {
        Webhook webhook;
        WebhookActivity activity;
    };

    explicit WebhookListModel(AppContext &context, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void reload();
    // The engine's committed attempts, applied to the rows held: the counts
    // of finished deliveries grow, and the newest delivery's state follows.
    // (A reload reads both again; until then a delivery replayed and
    // finished again counts twice.)
    void applyUpdates(const DeliveryUpdates &updates);
    const Row *rowFor(const QString &id) const;
    QModelIndex indexFor(const QString &id) const;
    bool isLoading() const { return m_loading; }

    // What the Status column says, in the order it sorts.
    enum class Health { Active, Failing, Inactive, AutoDisabled };
    static Health healthOf(const Webhook &w);
    static QString statusText(const Webhook &w);

Q_SIGNALS:
    void loaded();

private:
    void apply(QList<Row> rows);

    AppContext &m_context;
    QList<Row> m_rows;
    bool m_loading = false;
    bool m_reloadAgain = false;
};

} // namespace hookline
