#include "HistoryView.h"

#include "AppContext.h"
#include "StatusText.h"
#include "CurlCommand.h"
#include "dialogs/AttemptDialog.h"
#include "models/DeliveryHistoryModel.h"
#include "service/WebhookService.h"
#include "store/DeliveryQueue.h"
#include "store/EventStore.h"
#include "store/Sql.h"

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
    m_since->setEnabled(false);
    m_until->setEnabled(false);
    m_count->setAccessibleName(tr("Number of deliveries"));
    m_message->setAccessibleName(tr("History message"));

    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Delivery history"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setTabKeyNavigation(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(DeliveryHistoryModel::Status, 120);
    m_view->setColumnWidth(DeliveryHistoryModel::Event, 170);
    m_view->setColumnWidth(DeliveryHistoryModel::Created, 150);

    auto *statusLabel = new QLabel(tr("St&atus:"), this);
    statusLabel->setBuddy(m_status);
    auto *eventLabel = new QLabel(tr("E&vent:"), this);
    eventLabel->setBuddy(m_event);
    auto *filters = new QHBoxLayout;
    filters->addWidget(statusLabel);
    filters->addWidget(m_status);
    filters->addWidget(eventLabel);
    filters->addWidget(m_event);
    filters->addWidget(m_useSince);
    filters->addWidget(m_since);
    filters->addWidget(m_useUntil);
    filters->addWidget(m_until);
    filters->addStretch();
    filters->addWidget(m_count);

    auto *retry = new QPushButton(tr("Retry &now"), this);
    auto *curl = new QPushButton(tr("Copy as c&url"), this);
    auto *payload = new QPushButton(tr("Copy &payload"), this);
    auto *details = new QPushButton(tr("&Details…"), this);
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
        m_count->setText(tr("%n delivery(ies)", nullptr, n));
    });
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
    const auto index = m_view->currentIndex();
    return index.isValid() ? m_model->data(index, DeliveryHistoryModel::DeliveryIdRole).toString() : QString();
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
    m_context.db().run<Result<int>>(
        [id](QSqlDatabase db) -> Result<int> {
            sql::Transaction tx(db);
            if (auto s = tx.begin(); !s)
                return s.error();
            auto n = DeliveryQueue(db).replay({id}, QDateTime::currentDateTimeUtc());
            if (!n)
                return n.error();
            if (auto s = tx.commit(); !s)
                return s.error();
            return *n;
        },
        this, [this, id](Result<int> n) {
            if (!n)
                m_message->setText(n.error().message);
            else if (*n == 0)
                m_message->setText(tr("%1 is being delivered right now.").arg(id));
            else
                m_message->setText(tr("%1 queued again.").arg(id));
            m_context.notifyEventsEmitted();
        });
}

void HistoryView::copyCurl()
{
    const auto id = currentDeliveryId();
    if (id.isEmpty())
        return;
    m_context.db().run<QString>(
        [id](QSqlDatabase db) {
            DeliveryStore store(db);
            auto d = store.find(id);
            auto attempts = store.attempts(id);
            if (!d || !*d || !attempts || attempts->isEmpty())
                return QString();
            auto e = EventStore(db).find((*d)->eventId);
            auto w = WebhookService(db).get((*d)->webhookId);
            const auto &a = attempts->constLast();
            const auto body = a.requestBody.isNull() && e && *e ? (*e)->body : a.requestBody;
            return CurlCommand::build(w ? w->url : QString(), CurlCommand::parseHeaders(a.requestHeaders), body);
        },
        this, [this](QString command) {
            if (command.isEmpty()) {
                m_message->setText(tr("No attempt to copy yet."));
                return;
            }
            QGuiApplication::clipboard()->setText(command);
            m_message->setText(tr("The last attempt's request is on the clipboard as a curl command."));
        });
}

void HistoryView::copyPayload()
{
    const auto id = currentDeliveryId();
    if (id.isEmpty())
        return;
    m_context.db().run<QByteArray>(
        [id](QSqlDatabase db) {
            auto d = DeliveryStore(db).find(id);
            if (!d || !*d)
                return QByteArray();
            auto e = EventStore(db).find((*d)->eventId);
            return e && *e ? (*e)->body : QByteArray();
        },
        this, [this](QByteArray body) {
            QGuiApplication::clipboard()->setText(QString::fromUtf8(body));
            m_message->setText(tr("Payload copied."));
        });
}

} // namespace hookline
