#include "HistoryView.h"

#include "AppContext.h"
#include "CurlCommand.h"
#include "StatusText.h"
#include "Theme.h"
#include "TimeText.h"
#include "dialogs/AttemptDialog.h"
#include "engine/DeliveryEngine.h"
#include "models/DeliveryHistoryModel.h"
#include "service/DeliveryService.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace hookline {

HistoryView::HistoryView(AppContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new DeliveryHistoryModel(context, this))
    , m_view(new QTableView(this))
    , m_status(new QComboBox(this))
    , m_event(new QComboBox(this))
    , m_useSince(new QCheckBox(tr("Fro&m"), this))
    , m_since(new QDateTimeEdit(QDateTime::currentDateTime().addDays(-1), this))
    , m_useUntil(new QCheckBox(tr("T&o"), this))
    , m_until(new QDateTimeEdit(QDateTime::currentDateTime(), this))
    , m_count(new QLabel(this))
    , m_message(new QLabel(this))
{
    m_status->addItem(tr("All statuses"));
    for (const auto &name : deliveryStatusNames())
        m_status->addItem(StatusText::label(*deliveryStatusFromName(name)), name);
    m_event->addItem(tr("All events"));
    m_status->setAccessibleName(tr("Status filter"));
    m_event->setAccessibleName(tr("Event type filter"));
    m_useSince->setAccessibleName(tr("Filter from date"));
    m_useUntil->setAccessibleName(tr("Filter to date"));
    m_since->setAccessibleName(tr("From date"));
    m_until->setAccessibleName(tr("To date"));
    m_since->setCalendarPopup(true);
    m_until->setCalendarPopup(true);
    m_since->setDisplayFormat(TimeText::format());
    m_until->setDisplayFormat(TimeText::format());
    m_since->setEnabled(false);
    m_until->setEnabled(false);
    // Their text is what a screen reader reads: no fixed accessible name.
    m_count->setAccessibleDescription(tr("Number of deliveries"));
    m_message->setAccessibleDescription(tr("History message"));
    m_message->setTextFormat(Qt::PlainText);

    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Delivery history"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setTabKeyNavigation(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_view->setColumnWidth(DeliveryHistoryModel::Status, m_view->fontMetrics().horizontalAdvance(StatusText::label(DeliveryStatus::Retrying)) + 48);
    m_view->setColumnWidth(DeliveryHistoryModel::Event, 170);
    m_view->setColumnWidth(DeliveryHistoryModel::Created,
                           m_view->fontMetrics().horizontalAdvance(TimeText::absolute(QDateTime::currentDateTime())) + 24);
    // Ids are for the curious: hidden until asked for (right-click the header).
    m_view->setColumnHidden(DeliveryHistoryModel::Id, true);
    auto *header = m_view->horizontalHeader();
    header->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (int column = 0; column < DeliveryHistoryModel::ColumnCount; ++column) {
        auto *toggle = new QAction(m_model->headerData(column, Qt::Horizontal).toString(), header);
        toggle->setCheckable(true);
        toggle->setChecked(!m_view->isColumnHidden(column));
        connect(toggle, &QAction::toggled, this, [this, column](bool on) { m_view->setColumnHidden(column, !on); });
        header->addAction(toggle);
    }

    auto *statusLabel = new QLabel(tr("St&atus:"), this);
    statusLabel->setBuddy(m_status);
    auto *eventLabel = new QLabel(tr("E&vent:"), this);
    eventLabel->setBuddy(m_event);
    // Two rows: on one, the filters would make the pane (and so the
    // window's split) as wide as their longest translation.
    auto *what = new QHBoxLayout;
    what->addWidget(statusLabel);
    what->addWidget(m_status, 1);
    what->addWidget(eventLabel);
    what->addWidget(m_event, 1);
    what->addStretch();
    what->addWidget(m_count);
    auto *when = new QHBoxLayout;
    when->addWidget(m_useSince);
    when->addWidget(m_since);
    when->addWidget(m_useUntil);
    when->addWidget(m_until);
    when->addStretch();
    auto *filters = new QVBoxLayout;
    filters->addLayout(what);
    filters->addLayout(when);

    auto *retry = new QPushButton(tr("Retry &now"), this);
    auto *curl = new QPushButton(tr("Copy as c&url"), this);
    auto *payload = new QPushButton(tr("Copy &payload"), this);
    auto *details = new QPushButton(tr("&Details…"), this);
    m_retry = retry;
    m_curl = curl;
    m_payload = payload;
    m_details = details;
    for (auto *b : {retry, curl, payload, details}) {
        b->setAccessibleDescription(tr("Acts on the delivery selected in the table"));
        b->setToolTip(b->accessibleDescription());
    }
    retry->setAccessibleName(tr("Retry now"));
    curl->setAccessibleName(tr("Copy as curl"));
    payload->setAccessibleName(tr("Copy payload"));
    details->setAccessibleName(tr("Attempt details"));
    auto *actions = new QHBoxLayout;
    actions->addWidget(retry);
    actions->addWidget(curl);
    actions->addWidget(payload);
    actions->addWidget(details);
    actions->addWidget(m_message, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addLayout(actions);

    connect(m_status, &QComboBox::currentIndexChanged, this, &HistoryView::applyFilter);
    connect(m_event, &QComboBox::currentIndexChanged, this, &HistoryView::applyFilter);
    connect(m_useSince, &QCheckBox::toggled, m_since, &QWidget::setEnabled);
    connect(m_useUntil, &QCheckBox::toggled, m_until, &QWidget::setEnabled);
    connect(m_useSince, &QCheckBox::toggled, this, &HistoryView::applyFilter);
    connect(m_useUntil, &QCheckBox::toggled, this, &HistoryView::applyFilter);
    connect(m_since, &QDateTimeEdit::dateTimeChanged, this, &HistoryView::applyFilter);
    connect(m_until, &QDateTimeEdit::dateTimeChanged, this, &HistoryView::applyFilter);
    connect(retry, &QPushButton::clicked, this, &HistoryView::retryNow);
    connect(curl, &QPushButton::clicked, this, &HistoryView::copyCurl);
    connect(payload, &QPushButton::clicked, this, &HistoryView::copyPayload);
    connect(details, &QPushButton::clicked, this, [this] {
        if (const auto id = currentDeliveryId(); !id.isEmpty())
            showDetails(id);
    });
    connect(m_view, &QTableView::activated, this, [this] {
        if (const auto id = currentDeliveryId(); !id.isEmpty())
            showDetails(id);
    });
    connect(m_model, &DeliveryHistoryModel::countChanged, this, [this](int n) {
        m_count->setText(tr("%n deliveries", nullptr, n));
        updateButtons();
    });
    // After Retry now, the message follows that delivery to its outcome.
    connect(&context, &AppContext::deliveriesUpdated, this, [this](const DeliveryUpdates &updates) {
        for (const auto &u : updates) {
            if (u.deliveryId != m_retried)
                continue;
            m_message->setText(tr("Sent again: %1.").arg(StatusText::label(u.status)));
            if (isFinal(u.status))
                m_retried.clear();
        }
    });
    // A history that cannot be read says so, rather than showing nothing.
    connect(m_model, &DeliveryHistoryModel::loadFailed, this, [this](const QString &message) {
        m_message->setText(tr("The history could not be read: %1").arg(message));
        m_showsLoadError = true;
        Theme::setTone(m_message, Theme::Tone::Error);
    });
    connect(m_model, &DeliveryHistoryModel::pageLoaded, this, [this] {
        // Read again: the error it showed is over.
        if (std::exchange(m_showsLoadError, false))
            m_message->clear();
        Theme::setTone(m_message, Theme::Tone::Normal);
    });
    // The buttons act on the selected delivery: enabled only when they can.
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryView::updateButtons);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &HistoryView::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &HistoryView::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryView::updateButtons);
    updateButtons();
}

void HistoryView::setWebhook(const QString &webhookId)
{
    m_webhookId = webhookId;
    applyFilter();
}

void HistoryView::setEventTypes(const QStringList &names)
{
    const auto current = m_event->currentData().toString();
    const QSignalBlocker block(m_event);
    m_event->clear();
    m_event->addItem(tr("All events"));
    for (const auto &n : names)
        m_event->addItem(n, n);
    m_event->setCurrentIndex(std::max(0, m_event->findData(current)));
}

void HistoryView::showStatus(DeliveryStatus status)
{
    {
        const QSignalBlocker blockStatus(m_status);
        const QSignalBlocker blockEvent(m_event);
        const QSignalBlocker blockSince(m_useSince);
        const QSignalBlocker blockUntil(m_useUntil);
        m_status->setCurrentIndex(std::max(0, m_status->findData(deliveryStatusName(status))));
        m_event->setCurrentIndex(0);
        m_useSince->setChecked(false);
        m_useUntil->setChecked(false);
    }
    m_since->setEnabled(false);
    m_until->setEnabled(false);
    applyFilter();
}

void HistoryView::applyFilter()
{
    DeliveryFilter f;
    f.webhookId = m_webhookId;
    if (m_status->currentIndex() > 0)
        f.status = deliveryStatusFromName(m_status->currentData().toString());
    f.eventType = m_event->currentData().toString();
    if (m_useSince->isChecked())
        f.since = m_since->dateTime().toUTC();
    if (m_useUntil->isChecked())
        f.until = m_until->dateTime().toUTC();
    m_model->setFilter(f);
}

QString HistoryView::currentDeliveryId() const
{
    const auto rows = m_view->selectionModel()->selectedRows();
    return rows.size() == 1 ? m_model->data(rows.constFirst(), DeliveryHistoryModel::DeliveryIdRole).toString() : QString();
}

void HistoryView::updateButtons()
{
    const auto rows = m_view->selectionModel()->selectedRows();
    const auto *d = rows.size() == 1 ? m_model->delivery(rows.constFirst().row()) : nullptr;
    m_details->setEnabled(d);
    m_payload->setEnabled(d);
    m_curl->setEnabled(d && d->attempts > 0);
    // A delivery on its way cannot be queued again.
    m_retry->setEnabled(d && d->status != DeliveryStatus::Delivering);
}

void HistoryView::showDetails(const QString &deliveryId)
{
    auto *dialog = new AttemptDialog(m_context, deliveryId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void HistoryView::retryNow()
{
    const auto id = currentDeliveryId();
    if (id.isEmpty())
        return;
    const auto job = [id](QSqlDatabase db) { return DeliveryService(db).retryNow(id); };
    m_context.db().run<Status>(job, this, [this, id](Status s) {
        if (!s && s.error().code == Error::Code::Conflict)
            m_message->setText(tr("This delivery is being delivered right now."));
        else if (!s)
            m_message->setText(s.error().message);
        else
            m_message->setText(tr("Queued again: it is sent as soon as a worker is free."));
        // The message follows the delivery until its attempt is recorded.
        m_retried = s ? id : QString();
        m_context.notifyEventsEmitted();
    });
}

void HistoryView::copyCurl()
{
    const auto id = currentDeliveryId();
    if (id.isEmpty())
        return;
    m_context.db().run<Result<SentRequest>>(
        [id](QSqlDatabase db) { return DeliveryService(db).lastRequest(id); }, this,
        [this](Result<SentRequest> request) {
            if (!request) {
                m_message->setText(request.error().code == Error::Code::NotFound ? tr("No attempt to copy yet.") : request.error().message);
                return;
            }
            QGuiApplication::clipboard()->setText(CurlCommand::build(request->url, request->headers, request->body));
            m_message->setText(tr("The last attempt's request is on the clipboard as a curl command."));
        });
}

void HistoryView::copyPayload()
{
    const auto id = currentDeliveryId();
    if (id.isEmpty())
        return;
    const auto job = [id](QSqlDatabase db) { return DeliveryService(db).payload(id); };
    m_context.db().run<Result<QByteArray>>(job, this, [this](Result<QByteArray> body) {
        if (!body) {
            m_message->setText(body.error().message);
            return;
        }
        QGuiApplication::clipboard()->setText(QString::fromUtf8(*body));
        m_message->setText(tr("Payload copied."));
    });
}

} // namespace hookline
