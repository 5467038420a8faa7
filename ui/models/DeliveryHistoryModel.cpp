#include "DeliveryHistoryModel.h"

#include "AppContext.h"
#include "StatusText.h"
#include "Theme.h"
#include "TimeText.h"
#include "service/DeliveryService.h"

#include <QApplication>
#include <QColor>
#include <QLocale>
#include <QStyle>
#include <QTimer>

#include <algorithm>

namespace hookline {

DeliveryHistoryModel::DeliveryHistoryModel(AppContext &context, QObject *parent)
    : QAbstractTableModel(parent)
    , m_context(context)
    , m_fetch(new QTimer(this))
{
    m_filter.limit = kPageSize;
    connect(&context, &AppContext::deliveriesChanged, this, &DeliveryHistoryModel::refresh);
    connect(&context, &AppContext::deliveriesUpdated, this, &DeliveryHistoryModel::applyUpdates);
    // A view asks for many rows while it paints; the pages they fall on are
    // read once, after the paint.
    m_fetch->setSingleShot(true);
    m_fetch->setInterval(0);
    connect(m_fetch, &QTimer::timeout, this, [this] {
        for (const int page : std::exchange(m_wanted, {}))
            requestPage(page);
    });
}

void DeliveryHistoryModel::setFilter(const DeliveryFilter &filter)
{
    beginResetModel();
    m_filter = filter;
    m_filter.limit = kPageSize;
    m_filter.offset = 0;
    m_count = 0;
    ++m_generation;
    m_pages.clear();
    m_pageOrder.clear();
    m_requested.clear();
    m_wanted.clear();
    m_stale.clear();
    endResetModel();
    refresh();
}

void DeliveryHistoryModel::refresh()
{
    if (m_counting) {
        m_countAgain = true;
        return;
    }
    m_counting = true;
    const auto filter = m_filter;
    const auto job = [filter](QSqlDatabase db) { return DeliveryService(db).count(filter); };
    m_context.db().run<Result<int>>(job, this, [this, filter](Result<int> counted) {
        m_counting = false;
        if (!counted)
            Q_EMIT loadFailed(counted.error().message);
        if (counted && filter == m_filter) {
            const int count = *counted;
            const int added = count - m_count;
            if (added > 0) {
                // Newest first: what is new goes on top; the rows below
                // move down with their data, so nothing flickers.
                beginInsertRows({}, 0, added - 1);
                shiftCache(added, count);
                m_count = count;
                endInsertRows();
            } else if (added < 0) {
                // Retention removed old rows from the bottom.
                beginRemoveRows({}, count, m_count - 1);
                shiftCache(0, count);
                m_count = count;
                endRemoveRows();
            }
            // Pages asked for before the move would land on the wrong rows:
            // their answers are dropped, and whatever was asked meanwhile
            // (views read rows while they are inserted) is asked again.
            ++m_generation;
            const auto asked = std::exchange(m_requested, {});
            for (const int page : asked)
                requestPage(page);
            // Rows left or joined a status filter: read again the pages
            // most recently looked at, keeping their rows meanwhile.
            if (std::exchange(m_rereadRecent, false)) {
                for (int i = std::max(0, int(m_pageOrder.size()) - 3); i < m_pageOrder.size(); ++i)
                    requestPage(m_pageOrder.at(i));
            }
            Q_EMIT countChanged(m_count);
        }
        if (std::exchange(m_countAgain, false))
            refresh();
    });
}

void DeliveryHistoryModel::applyUpdates(const DeliveryUpdates &updates)
{
    if (m_filter.status) {
        m_rereadRecent = true;
        refresh();
        return;
    }
    QHash<QString, const DeliveryUpdate *> byId;
    byId.reserve(updates.size());
    for (const auto &u : updates)
        byId.insert(u.deliveryId, &u);
    for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
        for (int j = 0; j < it->size(); ++j) {
            auto &row = (*it)[j];
            const DeliveryUpdate *u = row ? byId.value(row->id) : nullptr;
            if (!u)
                continue;
            row->status = u->status;
            if (u->attempts)
                row->attempts = *u->attempts;
            row->nextAttemptAt = u->nextAttemptAt;
            row->updatedAt = u->updatedAt;
            row->lastStatusCode = u->lastStatusCode;
            row->lastError = u->lastError;
            row->lastDurationMs = u->lastDurationMs;
            const int at = it.key() * kPageSize + j;
            Q_EMIT dataChanged(index(at, 0), index(at, ColumnCount - 1));
        }
    }
    // A page on its way may have been read before these were committed.
    m_stale.unite(m_requested);
}

int DeliveryHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int DeliveryHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void DeliveryHistoryModel::requestPage(int page)
{
    if (m_requested.contains(page))
        return;
    m_requested.insert(page);
    auto filter = m_filter;
    filter.offset = page * kPageSize;
    filter.limit = kPageSize;
    if (filter.offset > m_count / 2) {
        // In the older half, read from the oldest end: OFFSET costs a walk
        // over the skipped rows, and this keeps the walk under half the table.
        const int end = std::min(m_count, filter.offset + kPageSize);
        filter.oldestFirst = true;
        filter.limit = end - filter.offset;
        filter.offset = m_count - end;
    }
    const auto generation = m_generation;
    m_context.db().run<Result<QList<Delivery>>>(
        [filter](QSqlDatabase db) {
            auto rows = DeliveryService(db).list(filter);
            if (rows && filter.oldestFirst)
                std::reverse(rows->begin(), rows->end());
            return rows;
        },
        this,
        [this, page, generation](Result<QList<Delivery>> rows) {
            if (!rows) {
                // The rows stay "Loading…"; the view says why, and a later refresh asks again.
                m_requested.remove(page);
                Q_EMIT loadFailed(rows.error().message);
                return;
            }
            pageArrived(page, generation, std::move(*rows));
        });
}

void DeliveryHistoryModel::pageArrived(int page, quint64 generation, QList<Delivery> rows)
{
    if (generation != m_generation)
        return; // rows moved since this page was asked for
    m_requested.remove(page);
    QList<std::optional<Delivery>> filled;
    filled.reserve(rows.size());
    for (auto &d : rows)
        filled.append(std::move(d));
    m_pages.insert(page, std::move(filled));
    if (m_stale.remove(page))
        requestPage(page);
    m_pageOrder.removeAll(page);
    m_pageOrder.append(page);
    while (m_pageOrder.size() > kMaxPages)
        m_pages.remove(m_pageOrder.takeFirst());
    const int first = page * kPageSize;
    const int last = std::min(m_count, first + kPageSize) - 1;
    if (last >= first)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    Q_EMIT pageLoaded(page);
}

void DeliveryHistoryModel::shiftCache(int delta, int newCount)
{
    QHash<int, QList<std::optional<Delivery>>> moved;
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
        for (int j = 0; j < it->size(); ++j) {
            const int to = it.key() * kPageSize + j + delta;
            if (!it->at(j) || to < 0 || to >= newCount)
                continue;
            auto &page = moved[to / kPageSize];
            if (page.isEmpty())
                page.resize(std::min(kPageSize, newCount - (to / kPageSize) * kPageSize));
            page[to % kPageSize] = it->at(j);
        }
    }
    // Rows that now fall on pages not yet read become holes, filled on demand.
    m_pages = std::move(moved);
    m_pageOrder = m_pages.keys();
}

const Delivery *DeliveryHistoryModel::delivery(int row) const
{
    const auto it = m_pages.constFind(row / kPageSize);
    const int i = row % kPageSize;
    if (it == m_pages.cend() || i >= it->size() || !it->at(i)) {
        if (!m_requested.contains(row / kPageSize)) {
            m_wanted.insert(row / kPageSize);
            m_fetch->start();
        }
        return nullptr;
    }
    return &*it->at(i);
}

bool DeliveryHistoryModel::isLoaded(int row) const
{
    const auto it = m_pages.constFind(row / kPageSize);
    const int i = row % kPageSize;
    return it != m_pages.cend() && i < it->size() && it->at(i).has_value();
}

QVariant DeliveryHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_count)
        return {};
    const auto *d = delivery(index.row());
    if (!d)
        return role == Qt::DisplayRole && index.column() == Status ? tr("Loading…") : QVariant();
    if (role == DeliveryIdRole)
        return d->id;
    switch (index.column()) {
    case Status:
        if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)
            return StatusText::label(d->status);
        if (role == RawDataRole)
            return int(d->status);
        if (role == Qt::DecorationRole) {
            const auto icon = d->status == DeliveryStatus::Succeeded ? QStyle::SP_DialogApplyButton
                              : d->status == DeliveryStatus::Failed  ? QStyle::SP_DialogCancelButton
                                                                     : QStyle::SP_BrowserReload;
            return QApplication::style()->standardIcon(icon);
        }
        if (role == Qt::ForegroundRole && d->status == DeliveryStatus::Failed)
            return Theme::color(Theme::Tone::Error);
        if (role == Qt::ToolTipRole && !d->lastError.isEmpty())
            return d->lastError;
        break;
    case Event:
        if (role == Qt::DisplayRole || role == RawDataRole)
            return d->eventType;
        break;
    case Created:
        if (role == RawDataRole)
            return d->createdAt;
        if (role == Qt::DisplayRole)
            return TimeText::absolute(d->createdAt);
        if (role == Qt::ToolTipRole)
            return TimeText::exact(d->createdAt);
        break;
    case Attempts:
        if (role == Qt::DisplayRole || role == RawDataRole)
            return d->attempts;
        break;
    case LastCode:
        if (role == RawDataRole)
            return d->lastStatusCode ? QVariant(*d->lastStatusCode) : QVariant();
        if (role == Qt::DisplayRole)
            return d->lastStatusCode ? QString::number(*d->lastStatusCode) : (d->lastError.isEmpty() ? QStringLiteral("—") : tr("error"));
        break;
    case Duration:
        if (role == RawDataRole)
            return d->lastDurationMs ? QVariant(*d->lastDurationMs) : QVariant();
        if (role == Qt::DisplayRole)
            return d->lastDurationMs ? tr("%1 ms").arg(*d->lastDurationMs) : QStringLiteral("—");
        break;
    case Webhook:
        // The name a person gave it; the id is in the tooltip and in Details.
        if (role == Qt::DisplayRole || role == RawDataRole)
            return m_webhookNames.value(d->webhookId, d->webhookId);
        if (role == Qt::ToolTipRole)
            return d->webhookId;
        break;
    case Id:
        if (role == Qt::DisplayRole || role == RawDataRole)
            return d->id;
        break;
    default: break;
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Attempts || index.column() == LastCode || index.column() == Duration))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

void DeliveryHistoryModel::setWebhookNames(const QHash<QString, QString> &names)
{
    m_webhookNames = names;
    if (m_count > 0)
        Q_EMIT dataChanged(index(0, Webhook), index(m_count - 1, Webhook), {Qt::DisplayRole});
}

QVariant DeliveryHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Status: return tr("Status");
    case Event: return tr("Event");
    case Created: return tr("Time");
    case Attempts: return tr("Attempts");
    case LastCode: return tr("Response");
    case Duration: return tr("Duration");
    case Webhook: return tr("Webhook");
    case Id: return tr("Delivery");
    default: return {};
    }
}

} // namespace hookline
