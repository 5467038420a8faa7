#include "SendEventDialog.h"

#include "AppContext.h"
#include "service/CatalogService.h"
#include "service/EventService.h"
#include "json/CanonicalJson.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace hookline {

SendEventDialog::SendEventDialog(AppContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_type(new QComboBox(this))
    , m_tenant(new QLineEdit(QStringLiteral("default"), this))
    , m_payload(new QPlainTextEdit(this))
    , m_result(new QLabel(this))
    , m_emit(new QPushButton(tr("&Emit"), this))
{
    setWindowTitle(tr("Send event"));
    m_type->setAccessibleName(tr("Event type"));
    m_tenant->setAccessibleName(tr("Tenant"));
    m_payload->setAccessibleName(tr("Event data"));
    m_payload->setAccessibleDescription(tr("A JSON object: the data of the event"));
    m_payload->setFont(QFont(QStringLiteral("monospace")));
    m_payload->setTabChangesFocus(true);
    m_result->setWordWrap(true);
    m_result->setAccessibleDescription(tr("Send result")); // its text is the name a screen reader reads
    m_emit->setAccessibleName(tr("Emit event"));
    auto *form = new QFormLayout;
    const auto row = [form](const QString &text, QWidget *field) {
        auto *label = new QLabel(text);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    row(tr("Event &type:"), m_type);
    row(tr("Te&nant:"), m_tenant);
    row(tr("&Data:"), m_payload);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_emit, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_emit, &QPushButton::clicked, this, &SendEventDialog::send);
    connect(m_payload, &QPlainTextEdit::textChanged, this, &SendEventDialog::validate);
    connect(m_type, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0 && i < m_types.size())
            m_payload->setPlainText(QString::fromUtf8(QJsonDocument::fromJson(m_types.at(i).samplePayload).toJson(QJsonDocument::Indented)));
    });
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_result);
    layout->addWidget(buttons);
    resize(620, 480);

    context.db().run<QList<EventType>>(
        [](QSqlDatabase db) {
            auto types = CatalogService(db).list();
            return types ? *types : QList<EventType>{};
        },
        this,
        [this](QList<EventType> types) {
            m_types = types;
            for (const auto &t : types)
                m_type->addItem(t.name);
        });
}

void SendEventDialog::validate()
{
    JsonParseError error;
    const bool ok = CanonicalJson::canonicalizeObject(m_payload->toPlainText().toUtf8(), &error).has_value();
    m_emit->setEnabled(ok && m_type->count() > 0);
    m_result->setText(ok ? QString() : tr("Not valid JSON: %1").arg(error.message));
}

void SendEventDialog::send()
{
    const auto type = m_type->currentText();
    const auto tenant = m_tenant->text().trimmed();
    const auto data = m_payload->toPlainText().toUtf8();
    m_emit->setEnabled(false);
    m_context.db().run<Result<EventService::Emitted>>(
        [tenant, type, data](QSqlDatabase db) { return EventService(db).emitEvent(tenant, type, data); }, this,
        [this](Result<EventService::Emitted> r) {
            m_emit->setEnabled(true);
            if (!r) {
                m_result->setText(r.error().message);
                return;
            }
            m_result->setText(tr("Event %1 recorded: %n deliveries queued.", nullptr, r->deliveries).arg(r->eventId));
            m_context.notifyEventsEmitted();
        });
}

} // namespace hookline
