#include "WebhookListModel.h"

#include "AppContext.h"
#include "StatusText.h"
#include "Theme.h"
#include "TimeText.h"
#include "service/DeliveryService.h"
#include "service/WebhookService.h"

#include <QApplication>
#include <QColor>
#include <QIcon>
#include <QLocale>
#include <QStyle>
#include <QTimer>

namespace hookline {

WebhookListModel::WebhookListModel(AppContext &context, QObject *parent)
    : QAbstractTableModel(parent)
    , m_context(context)
{
    connect(&context, &AppContext::webhooksChanged, this, &WebhookListModel::reload);
    // New deliveries: read again (reload() folds what arrives meanwhile into
    // one more read). Attempts: the rows change in place.
    connect(&context, &AppContext::deliveriesChanged, this, &WebhookListModel::reload);
    connect(&context, &AppContext::deliveriesUpdated, this, &WebhookListModel::applyUpdates);
    // "Just now" turns into "2 min ago" with no new data: the views are told.
    auto *clock = new QTimer(this);
    connect(clock, &QTimer::timeout, this, [this] {
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, LastDelivery), index(int(m_rows.size()) - 1, LastDelivery), {Qt::DisplayRole});
    });
    clock->start(10000);
}

int WebhookListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int WebhookListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

WebhookListModel::Health WebhookListModel::healthOf(const Webhook &w)
{
    if (w.active)
        return w.failingSince.isValid() ? Health::Failing : Health::Active;
    return w.disabledReason.isEmpty() ? Health::Inactive : Health::AutoDisabled;
}

QString WebhookListModel::statusText(const Webhook &w)
{
    switch (healthOf(w)) {
    case Health::Active: return tr("Active");
    case Health::Failing: return tr("Failing");
    case Health::Inactive: return tr("Inactive");
    case Health::AutoDisabled: return tr("Auto-disabled");
    }
    return {};
}

QVariant WebhookListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const auto &row = m_rows.at(index.row());
    const auto &w = row.webhook;
    const auto &a = row.activity;
    if (role == IdRole)
        return w.id;
    const int finished = a.succeeded + a.failed;
    switch (index.column()) {
    case Name:
        if (role == Qt::DisplayRole || role == RawDataRole)
            return w.name;
        if (role == Qt::ToolTipRole)
            return w.description.isEmpty() ? w.name : w.description;
        break;
    case Url:
        if (role == Qt::DisplayRole || role == RawDataRole || role == Qt::ToolTipRole)
            return w.url;
        break;
    case Status:
        // Told by words and an icon, never by colour alone.
        if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)
            return statusText(w);
        if (role == RawDataRole)
            return int(healthOf(w));
        if (role == Qt::ForegroundRole) {
            static constexpr Theme::Tone tones[] = {Theme::Tone::Success, Theme::Tone::Warning, Theme::Tone::Muted, Theme::Tone::Error};
            return Theme::color(tones[int(healthOf(w))]);
        }
        if (role == Qt::DecorationRole) {
            static constexpr QStyle::StandardPixmap icons[]
                = {QStyle::SP_DialogApplyButton, QStyle::SP_MessageBoxWarning, QStyle::SP_MediaPause, QStyle::SP_MessageBoxCritical};
            return QApplication::style()->standardIcon(icons[int(healthOf(w))]);
        }
        if (role == Qt::ToolTipRole && !w.disabledReason.isEmpty())
            return tr("Deactivated %1: %2").arg(TimeText::absolute(w.disabledAt), w.disabledReason);
        if (role == Qt::ToolTipRole && w.active && w.failingSince.isValid())
            return tr("Failing since %1").arg(TimeText::absolute(w.failingSince));
        break;
    case LastDelivery:
        if (role == RawDataRole)
            return a.lastAt;
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
            if (!a.lastAt.isValid())
                return tr("Never");
            // Relative where a person scans the list; exact in the tooltip.
            // The code says something when the delivery failed; a success's 200 is in the tooltip.
            const bool failed = a.lastStatus && *a.lastStatus == DeliveryStatus::Failed;
            const auto code = a.lastStatusCode && (failed || role == Qt::ToolTipRole) ? QStringLiteral(" (%1)").arg(*a.lastStatusCode) : QString();
            const auto status = a.lastStatus ? StatusText::label(*a.lastStatus) : QString();
            if (role == Qt::ToolTipRole)
                return QStringLiteral("%1 — %2%3\n%4").arg(TimeText::absolute(a.lastAt), status, code, TimeText::exact(a.lastAt));
            return QStringLiteral("%1 — %2%3").arg(TimeText::relative(a.lastAt), status, code);
        }
        break;
    case SuccessRate:
        if (role == RawDataRole)
            return finished ? double(a.succeeded) / finished : -1.0;
        if (role == Qt::DisplayRole)
            return finished ? QStringLiteral("%1 %").arg(QLocale().toString(100.0 * a.succeeded / finished, 'f', 1)) : tr("—");
        if (role == Qt::AccessibleTextRole && !finished)
            return tr("No delivery finished in the last 24 hours");
        if (role == Qt::ToolTipRole)
            return tr("%1 succeeded, %2 failed in the last 24 hours").arg(a.succeeded).arg(a.failed);
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default: break;
    }
    return {};
}

QVariant WebhookListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case Url: return tr("URL");
    case Status: return tr("Status");
    case LastDelivery: return tr("Last delivery");
    case SuccessRate: return tr("Success (24 h)");
    default: return {};
    }
}

void WebhookListModel::reload()
{
    if (m_loading) {
        m_reloadAgain = true;
        return;
    }
    m_loading = true;
    m_context.db().run<QList<Row>>(
        [](QSqlDatabase db) {
            QList<Row> rows;
            auto list = WebhookService(db).list();
            if (!list)
                return rows;
            const auto since = QDateTime::currentDateTimeUtc().addDays(-1);
            DeliveryService deliveries(db);
            for (auto &w : *list) {
                auto activity = deliveries.activity(w.id, since);
                rows.append({std::move(w), activity ? *activity : WebhookActivity{}});
            }
            return rows;
        },
        this,
        [this](QList<Row> rows) {
            m_loading = false;
            apply(std::move(rows));
            Q_EMIT loaded();
            if (std::exchange(m_reloadAgain, false))
                reload();
        });
}

void WebhookListModel::apply(QList<Row> rows)
{
    // Rows are matched by id: removed ones go, new ones come at the end in
    // the order loaded, kept ones change in place (selection and sorting stay).
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        const auto &id = m_rows.at(i).webhook.id;
        const bool kept = std::any_of(rows.cbegin(), rows.cend(), [&](const Row &r) { return r.webhook.id == id; });
        if (!kept) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    for (auto &row : rows) {
        const auto index = indexFor(row.webhook.id);
        if (index.isValid()) {
            m_rows[index.row()] = std::move(row);
            Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
        } else {
            const int at = int(m_rows.size());
            beginInsertRows({}, at, at);
            m_rows.append(std::move(row));
            endInsertRows();
        }
    }
}

void WebhookListModel::applyUpdates(const DeliveryUpdates &updates)
{
    for (const auto &u : updates) {
        const auto index = indexFor(u.webhookId);
        if (!index.isValid())
            continue;
        auto &activity = m_rows[index.row()].activity;
        if (u.status == DeliveryStatus::Succeeded)
            ++activity.succeeded;
        else if (u.status == DeliveryStatus::Failed)
            ++activity.failed;
        // The newest delivery decides the column. Ids begin with their
        // creation time (util/Ids.h), so a greater id is a newer delivery:
        // one made after the list was read (the first ever of a webhook, too)
        // takes the place of the one read; an older one's retry does not.
        if (activity.lastDeliveryId.isEmpty() || u.deliveryId >= activity.lastDeliveryId) {
            activity.lastDeliveryId = u.deliveryId;
            activity.lastStatus = u.status;
            activity.lastStatusCode = u.lastStatusCode;
            activity.lastAt = u.updatedAt;
        }
        Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    }
}

const WebhookListModel::Row *WebhookListModel::rowFor(const QString &id) const
{
    for (const auto &row : m_rows) {
        if (row.webhook.id == id)
            return &row;
    }
    return nullptr;
}

QModelIndex WebhookListModel::indexFor(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).webhook.id == id)
            return index(i, 0);
    }
    return {};
}

} // namespace hookline
