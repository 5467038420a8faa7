#pragma once

#include "model/Delivery.h"
#include "model/DeliveryFilter.h"
#include "model/DeliveryUpdate.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

class QTimer;

#include <optional>

namespace hookline {

class AppContext;

// The delivery history, newest first, for one webhook or all, at any size:
// only the row count is known up front; rows come in pages of kPageSize from
// the database thread when the view asks for them, and at most kMaxPages stay
// in memory. New deliveries are inserted at the top without a reset, so the
// view keeps its selection and scroll position.
class DeliveryHistoryModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryHistoryModel)

public:
    enum Column { Status, Event, Created, Attempts, LastCode, Duration, Webhook, Id, ColumnCount };
    enum Role { RawDataRole = Qt::UserRole + 1, DeliveryIdRole };

    explicit DeliveryHistoryModel(AppContext &context, QObject *parent = nullptr);

    void setFilter(const DeliveryFilter &filter);
    DeliveryFilter filter() const { return m_filter; }
    // Re-counts; rows that are new since the last count appear at the top.
    void refresh();
    // The engine's committed attempts: rows held change in place, nothing is
    // read again. Under a status filter a row may leave it or join it, so the
    // count and the pages last looked at are read again instead.
    void applyUpdates(const DeliveryUpdates &updates);
    // Webhook names for the Webhook column (ids stay in its tooltip).
    void setWebhookNames(const QHash<QString, QString> &names);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The delivery at `row` when its page is loaded.
    const Delivery *delivery(int row) const;
    bool isLoaded(int row) const;
    int loadedPageCount() const { return int(m_pages.size()); }

    static constexpr int kPageSize = 200;
    static constexpr int kMaxPages = 40;

Q_SIGNALS:
    void countChanged(int count);
    void pageLoaded(int page);
    // The database could not be read (its message, for the view to show).
    void loadFailed(const QString &message);

private:
    void requestPage(int page);
    void pageArrived(int page, quint64 generation, QList<Delivery> rows);
    // Moves cached rows by `delta` (rows inserted above) and drops those past `newCount`.
    void shiftCache(int delta, int newCount);

    AppContext &m_context;
    DeliveryFilter m_filter;
    int m_count = 0;
    quint64 m_generation = 0; // bumps when rows shift: late pages of an older layout are dropped
    // Rows by page; a page may have holes after rows moved (new ones on top).
    QHash<int, QList<std::optional<Delivery>>> m_pages;
    QList<int> m_pageOrder;     // least recently loaded first
    QSet<int> m_requested;      // asked of the database, not arrived yet
    mutable QSet<int> m_wanted; // seen missing by data(), asked for after the paint
    QTimer *m_fetch;
    QHash<QString, QString> m_webhookNames;
    QSet<int> m_stale; // asked before an update landed: asked again on arrival
    bool m_counting = false;
    bool m_countAgain = false;
    bool m_rereadRecent = false; // after the count, read the last pages looked at again
};

} // namespace hookline
