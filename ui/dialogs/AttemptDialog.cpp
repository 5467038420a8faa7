#include "AttemptDialog.h"

#include "AppContext.h"
#include "CurlCommand.h"
#include "StatusText.h"
#include "TimeText.h"
#include "service/DeliveryService.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace hookline {

namespace {
QString prettyBody(const QByteArray &body)
{
    const auto doc = QJsonDocument::fromJson(body);
    return doc.isNull() ? QString::fromUtf8(body) : QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}
} // namespace

AttemptDialog::AttemptDialog(AppContext &context, const QString &deliveryId, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_deliveryId(deliveryId)
    , m_summary(new QLabel(this))
    , m_list(new QListWidget(this))
    , m_request(new QPlainTextEdit(this))
    , m_response(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Delivery")); // named after its event once loaded; the id is in the summary
    resize(980, 640);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAccessibleDescription(tr("Delivery summary")); // its text is the name a screen reader reads
    m_list->setAccessibleName(tr("Attempts"));
    m_list->setMaximumWidth(260);
    for (auto *edit : {m_request, m_response}) {
        edit->setReadOnly(true);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        edit->setFont(QFont(QStringLiteral("monospace")));
    }
    m_request->setAccessibleName(tr("Request headers and body"));
    m_response->setAccessibleName(tr("Response status, headers and body"));

    auto *requestBox = new QWidget;
    auto *requestLayout = new QVBoxLayout(requestBox);
    auto *requestLabel = new QLabel(tr("&Request"));
    requestLabel->setBuddy(m_request);
    requestLayout->addWidget(requestLabel);
    requestLayout->addWidget(m_request);
    auto *responseBox = new QWidget;
    auto *responseLayout = new QVBoxLayout(responseBox);
    auto *responseLabel = new QLabel(tr("R&esponse"));
    responseLabel->setBuddy(m_response);
    responseLayout->addWidget(responseLabel);
    responseLayout->addWidget(m_response);
    auto *panes = new QSplitter(Qt::Vertical);
    panes->addWidget(requestBox);
    panes->addWidget(responseBox);
    auto *body = new QHBoxLayout;
    body->addWidget(m_list);
    body->addWidget(panes, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto *curl = buttons->addButton(tr("Copy as c&url"), QDialogButtonBox::ActionRole);
    auto *payload = buttons->addButton(tr("Copy &payload"), QDialogButtonBox::ActionRole);
    curl->setAccessibleName(tr("Copy as curl"));
    payload->setAccessibleName(tr("Copy payload"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(curl, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(curlForCurrent()); });
    connect(payload, &QPushButton::clicked, this, [this] {
        const int i = m_list->currentRow();
        QGuiApplication::clipboard()->setText(QString::fromUtf8(i >= 0 ? requestBody(m_attempts.at(i)) : m_event.body));
    });
    connect(m_list, &QListWidget::currentRowChanged, this, &AttemptDialog::showAttempt);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(body, 1);
    layout->addWidget(buttons);

    m_summary->setText(tr("Loading…"));
    context.db().run<Result<DeliveryDetail>>(
        [deliveryId](QSqlDatabase db) { return DeliveryService(db).detail(deliveryId); }, this,
        [this](Result<DeliveryDetail> loaded) {
            if (!loaded) {
                m_summary->setText(loaded.error().code == Error::Code::NotFound ? tr("This delivery no longer exists.") : loaded.error().message);
                return;
            }
            const auto &d = loaded->delivery;
            m_event = loaded->event.value_or(Event{});
            m_url = loaded->url;
            m_attempts = loaded->attempts;
            setWindowTitle(tr("Delivery of %1 to %2").arg(d.eventType, m_url));
            m_summary->setText(tr("%1 of event %2 (%3) to %4 — %5 after %n attempts", nullptr, d.attempts)
                                   .arg(d.id, d.eventId, d.eventType, m_url, StatusText::label(d.status)));
            for (const auto &a : std::as_const(m_attempts)) {
                const auto result = a.responseStatus ? tr("HTTP %1").arg(*a.responseStatus) : tr("no response");
                m_list->addItem(tr("Attempt %1: %2 in %3 ms\n%4").arg(a.number).arg(result).arg(a.durationMs).arg(TimeText::absolute(a.startedAt)));
                m_list->item(m_list->count() - 1)->setToolTip(TimeText::exact(a.startedAt)); // to the millisecond
            }
            if (m_attempts.isEmpty())
                m_request->setPlainText(tr("No attempt yet. The body that will be sent:\n\n%1").arg(prettyBody(m_event.body)));
            else
                m_list->setCurrentRow(int(m_attempts.size()) - 1);
        });
}

QByteArray AttemptDialog::requestBody(const Attempt &a) const
{
    // Stored on the attempt only when a transformation changed it.
    return a.requestBody.isNull() ? m_event.body : a.requestBody;
}

void AttemptDialog::showAttempt(int index)
{
    if (index < 0 || index >= m_attempts.size())
        return;
    const auto &a = m_attempts.at(index);
    QString request = QStringLiteral("POST %1\n").arg(m_url);
    for (const auto &[name, value] : headersFromJson(a.requestHeaders))
        request += QString::fromUtf8(name + ": " + value) + u'\n';
    request += u'\n' + prettyBody(requestBody(a));
    m_request->setPlainText(request);
    QString response;
    if (a.responseStatus)
        response += tr("Status: %1\n").arg(*a.responseStatus);
    if (!a.error.isEmpty())
        response += tr("Error: %1\n").arg(a.error);
    response += tr("Duration: %1 ms\n").arg(a.durationMs);
    if (!a.remoteAddress.isEmpty())
        response += tr("Connected to: %1\n").arg(a.remoteAddress);
    if (const auto timings = timingsText(a.timings); !timings.isEmpty())
        response += tr("Timings: %1\n").arg(timings);
    if (!a.decision.isEmpty())
        response += tr("Then: %1\n").arg(a.decision);
    response += u'\n';
    for (const auto &[name, value] : headersFromJson(a.responseHeaders))
        response += QString::fromUtf8(name + ": " + value) + u'\n';
    response += u'\n' + QString::fromUtf8(a.responseBody);
    m_response->setPlainText(response);
}

QString AttemptDialog::timingsText(const QByteArray &json)
{
    // The steps in the order they happen; a step Qt did not report (a
    // kept-alive connection, plain HTTP) is not shown.
    const auto o = QJsonDocument::fromJson(json).object();
    const std::pair<const char *, QString> steps[] = {
        {"dns", tr("DNS %1 ms")},         {"connect", tr("connecting at %1 ms")},
        {"tls", tr("TLS done at %1 ms")}, {"firstByte", tr("first byte at %1 ms")},
        {"total", tr("total %1 ms")},
    };
    QStringList parts;
    for (const auto &[key, text] : steps) {
        const auto v = o.value(QLatin1StringView(key));
        if (v.isDouble())
            parts << text.arg(v.toInteger());
    }
    return parts.join(QStringLiteral(" · "));
}

QString AttemptDialog::curlForCurrent() const
{
    const int i = m_list->currentRow();
    if (i < 0 || i >= m_attempts.size())
        return {};
    const auto &a = m_attempts.at(i);
    return CurlCommand::build(m_url, headersFromJson(a.requestHeaders), requestBody(a));
}

} // namespace hookline
