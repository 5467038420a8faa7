#include "InspectorDialog.h"

#include "AppContext.h"
#include "SigningSetup.h"
#include "Theme.h"
#include "engine/DeliveryEngine.h"
#include "models/InspectorModel.h"
#include "net/Inspector.h"
#include "service/EventService.h"
#include "service/WebhookService.h"
#include "signing/SignatureDebugger.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace hookline {

InspectorDialog::InspectorDialog(AppContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_inspector(new Inspector(this))
    , m_model(new InspectorModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_port(new QSpinBox(this))
    , m_start(new QPushButton(tr("&Start"), this))
    , m_address(new QLabel(this))
    , m_copyAddress(new QPushButton(tr("Copy &URL"), this))
    , m_status(new QSpinBox(this))
    , m_delay(new QSpinBox(this))
    , m_retryAfter(new QSpinBox(this))
    , m_drop(new QCheckBox(tr("&Drop the connection without answering"), this))
    , m_webhook(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_details(new QPlainTextEdit(this))
    , m_note(new QLabel(this))
{
    setWindowTitle(tr("Request inspector"));
    m_port->setRange(0, 65535);
    m_port->setValue(8788);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setAccessibleName(tr("Port"));
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_address->setAccessibleDescription(tr("Inspector address"));
    m_address->setText(tr("Not listening."));
    m_copyAddress->setEnabled(false);
    m_status->setRange(100, 599);
    m_status->setValue(204);
    m_status->setAccessibleName(tr("Answer status"));
    m_delay->setRange(0, 600'000);
    m_delay->setSuffix(tr(" ms"));
    m_delay->setAccessibleName(tr("Answer delay"));
    m_retryAfter->setRange(-1, 86'400);
    m_retryAfter->setValue(-1);
    m_retryAfter->setSpecialValueText(tr("none"));
    m_retryAfter->setSuffix(tr(" s"));
    m_retryAfter->setAccessibleName(tr("Retry-After"));
    m_webhook->addItem(tr("No verification"), QString());
    m_webhook->setAccessibleName(tr("Verify with the secrets of"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(InspectorModel::RawDataRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(InspectorModel::Number, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setTabKeyNavigation(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setAccessibleName(tr("Requests received"));
    m_details->setReadOnly(true);
    m_details->setFont(QFont(QStringLiteral("monospace")));
    m_details->setTabChangesFocus(true);
    m_details->setAccessibleName(tr("Request details"));

    auto *listenRow = new QHBoxLayout;
    auto *portLabel = new QLabel(tr("&Port:"), this);
    portLabel->setBuddy(m_port);
    listenRow->addWidget(portLabel);
    listenRow->addWidget(m_port);
    listenRow->addWidget(m_start);
    listenRow->addWidget(m_address, 1);
    listenRow->addWidget(m_copyAddress);
    auto *form = new QFormLayout;
    const auto row = [this, form](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    row(tr("Answer &with status:"), m_status);
    row(tr("A&fter:"), m_delay);
    row(tr("&Retry-After:"), m_retryAfter);
    form->addRow(QString(), m_drop);
    row(tr("&Verify with:"), m_webhook);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_note->setAccessibleDescription(tr("Inspection note"));
    m_note->hide();
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_details);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(listenRow);
    layout->addLayout(form);
    layout->addWidget(m_note);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(980, 760);

    connect(m_start, &QPushButton::clicked, this, &InspectorDialog::toggle);
    connect(m_copyAddress, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(m_inspector->url()); });
    for (auto *box : {m_status, m_delay, m_retryAfter})
        connect(box, &QSpinBox::valueChanged, this, &InspectorDialog::applyAnswer);
    connect(m_drop, &QCheckBox::toggled, this, &InspectorDialog::applyAnswer);
    connect(m_inspector, &Inspector::requestReceived, this, &InspectorDialog::received);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &InspectorDialog::showSelected);

    SigningSetup::load(m_context, this, [this](Result<SigningSetup> loaded) {
        if (!loaded)
            return;
        m_setup = *loaded;
        m_setup.addTo(m_webhook);
        Q_EMIT webhooksLoaded();
    });
}

InspectorDialog::~InspectorDialog() = default;

void InspectorDialog::toggle()
{
    if (m_inspector->isListening()) {
        m_inspector->close();
        m_start->setText(tr("&Start"));
        m_address->setText(tr("Not listening."));
        m_copyAddress->setEnabled(false);
        m_port->setEnabled(true);
        return;
    }
    applyAnswer();
    auto port = m_inspector->listen(QHostAddress::LocalHost, quint16(m_port->value()));
    if (!port) {
        m_address->setText(port.error().message);
        Theme::setTone(m_address, Theme::Tone::Error);
        return;
    }
    Theme::setTone(m_address, Theme::Tone::Normal);
    m_address->setText(tr("Listening on %1").arg(m_inspector->url()));
    m_start->setText(tr("&Stop"));
    m_copyAddress->setEnabled(true);
    m_port->setEnabled(false);
}

void InspectorDialog::inspect(const QString &webhookId)
{
    if (!m_inspector->isListening())
        toggle();
    if (!m_inspector->isListening())
        return; // the address label says why
    m_note->show();
    m_note->setText(tr("Making a copy of the webhook that points here…"));
    const auto base = m_inspector->url(QString());
    const auto job = [webhookId, base](QSqlDatabase db) { return WebhookService(db).inspectorCopy(webhookId, base); };
    m_context.db().run<Result<Webhook>>(job, this, [this](Result<Webhook> copy) {
        if (!copy) {
            m_note->setText(tr("No copy was made: %1").arg(copy.error().message));
            Theme::setTone(m_note, Theme::Tone::Error);
            return;
        }
        Theme::setTone(m_note, Theme::Tone::Normal);
        m_note->setText(tr("“%1” is an inactive copy pointed here (the original is untouched); a test ping is on its way. "
                           "Activate the copy to watch its real deliveries; delete it when done.")
                            .arg(copy->name));
        const auto id = copy->id;
        Q_EMIT copyMade(id);
        // Verified with the copy's secrets: read the webhooks again, it is new.
        SigningSetup::load(m_context, this, [this, id](Result<SigningSetup> loaded) {
            if (!loaded)
                return;
            m_setup = *loaded;
            const QSignalBlocker block(m_webhook);
            while (m_webhook->count() > 1)
                m_webhook->removeItem(1);
            m_setup.addTo(m_webhook);
            m_webhook->setCurrentIndex(std::max(0, m_webhook->findData(id)));
            const auto ping = [id](QSqlDatabase db) { return EventService(db).emitTestPing(id); };
            m_context.db().run<Result<QString>>(ping, this, [this](Result<QString> delivery) {
                if (delivery)
                    m_context.engine().deliverNow(*delivery);
                else
                    m_note->setText(tr("The test ping was not sent: %1").arg(delivery.error().message));
            });
        });
    });
}

void InspectorDialog::applyAnswer()
{
    InspectorAnswer answer;
    answer.status = m_status->value();
    answer.delayMs = m_delay->value();
    if (m_retryAfter->value() >= 0)
        answer.retryAfterSeconds = m_retryAfter->value();
    answer.drop = m_drop->isChecked();
    m_inspector->setAnswer(answer);
}

void InspectorDialog::received(const InspectedRequest &request)
{
    InspectorModel::Row row{request, QString(), QString()};
    if (const Webhook *webhook = m_setup.chosen(m_webhook)) {
        const Webhook &w = *webhook;
        SignatureCase c;
        c.headers = request.headers;
        c.body = request.body;
        m_setup.use(w, c);
        const auto d = SignatureDebugger::diagnose(c);
        row.verdict = d.valid ? tr("valid") : tr("invalid");
        QStringList lines{d.valid ? tr("Signature: valid (%1)").arg(w.name) : tr("Signature: not valid for %1: %2").arg(w.name, d.reason)};
        for (const auto &f : d.findings)
            lines << tr("Mistake: %1").arg(f.message) << tr("Fix: %1").arg(f.fix);
        row.details = lines.join(u'\n');
    }
    m_model->append(std::move(row));
    if (!m_table->currentIndex().isValid())
        m_table->selectRow(0);
}

void InspectorDialog::showSelected()
{
    const auto *row = m_model->rowAt(m_proxy->mapToSource(m_table->currentIndex()).row());
    if (!row) {
        m_details->clear();
        return;
    }
    const auto &r = row->request;
    QStringList out{QStringLiteral("%1 %2").arg(QString::fromUtf8(r.method), QString::fromUtf8(r.target))};
    for (const auto &[name, value] : r.headers)
        out << QStringLiteral("%1: %2").arg(QString::fromUtf8(name), QString::fromUtf8(value));
    if (!row->details.isEmpty())
        out << QString() << row->details;
    const auto json = QJsonDocument::fromJson(r.body);
    if (!json.isNull())
        out << QString() << tr("Body, pretty:") << QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed();
    out << QString() << tr("Body, raw (%n bytes):", nullptr, int(r.body.size())) << SignatureDebugger::visible(r.body);
    m_details->setPlainText(out.join(u'\n'));
}

} // namespace hookline
