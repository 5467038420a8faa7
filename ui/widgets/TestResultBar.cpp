#include "TestResultBar.h"

#include "AppContext.h"
#include "Theme.h"
#include "TimeText.h"
#include "engine/DeliveryEngine.h"
#include "service/DeliveryService.h"
#include "service/EventService.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace hookline {

TestResultBar::TestResultBar(AppContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_label(new QLabel(this))
    , m_details(new QPushButton(tr("Ping detai&ls…"), this))
{
    // No fixed accessible name: in Qt 6.4 it would hide the text from AT-SPI.
    // Without one the text is the name, and QLabel announces each new text
    // (NameChanged); the purpose goes into the description.
    m_label->setTextFormat(Qt::PlainText);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setAccessibleDescription(tr("Test ping result"));
    m_details->setAccessibleName(tr("Test ping details"));
    m_details->setAccessibleDescription(tr("Opens the request and the response of the last test ping"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_details);
    // Two lines of text are reserved: a result appearing moves nothing.
    setMinimumHeight(std::max(m_details->sizeHint().height(), 2 * fontMetrics().lineSpacing()) + 8);
    connect(m_details, &QPushButton::clicked, this, [this] {
        const auto it = m_results.constFind(m_webhookId);
        if (it != m_results.cend() && !it->deliveryId.isEmpty())
            Q_EMIT detailsRequested(it->deliveryId);
    });
    connect(&context, &AppContext::deliveriesUpdated, this, [this](const DeliveryUpdates &updates) {
        for (const auto &u : updates) {
            if (m_pending.contains(u.deliveryId))
                showResult(u.deliveryId);
        }
    });
    connect(&context.engine(), &DeliveryEngine::deliveryRefused, this, [this](const QString &id, const QString &why) {
        if (!m_pending.contains(id))
            return;
        const auto pending = m_pending.take(id);
        recordNotSent(pending.webhookId, pending.askedAt, why);
    });
    display();
}

void TestResultBar::setWebhook(const QString &webhookId, const QString &name)
{
    m_webhookId = webhookId;
    if (!webhookId.isEmpty())
        m_names.insert(webhookId, name);
    display();
}

void TestResultBar::record(const QString &webhookId, const Shown &shown)
{
    m_results.insert(webhookId, shown);
    if (webhookId == m_webhookId)
        display();
}

void TestResultBar::display()
{
    const auto it = m_results.constFind(m_webhookId);
    if (m_webhookId.isEmpty() || it == m_results.cend()) {
        m_label->setText(m_webhookId.isEmpty() ? QString()
                                               : tr("Send test ping (Ctrl+T) checks that the receiver answers and accepts the signature."));
        Theme::setTone(m_label, Theme::Tone::Muted);
        m_details->setEnabled(false);
        return;
    }
    m_label->setText(it->text);
    Theme::setTone(m_label, it->success ? Theme::Tone::Success : (it->failed ? Theme::Tone::Error : Theme::Tone::Normal));
    m_details->setEnabled(!it->deliveryId.isEmpty());
}

void TestResultBar::recordNotSent(const QString &webhookId, const QDateTime &asked, const QString &why)
{
    record(webhookId, {tr("✗ Test ping to “%1” at %2 not sent: %3").arg(m_names.value(webhookId), TimeText::absolute(asked), why), {}, false, true});
}

void TestResultBar::test(const QString &webhookId, const QString &name)
{
    m_names.insert(webhookId, name);
    const auto asked = QDateTime::currentDateTimeUtc();
    record(webhookId, {tr("Sending a test ping to “%1”…").arg(name), {}, false, false});
    const auto job = [webhookId](QSqlDatabase db) { return EventService(db).emitTestPing(webhookId); };
    m_context.db().run<Result<QString>>(job, this, [this, webhookId, asked](Result<QString> id) {
        if (!id) {
            recordNotSent(webhookId, asked, id.error().message);
            return;
        }
        m_pending.insert(*id, {webhookId, asked});
        m_context.engine().deliverNow(*id);
    });
}

void TestResultBar::showResult(const QString &deliveryId)
{
    const auto pending = m_pending.take(deliveryId);
    const auto webhookId = pending.webhookId;
    const auto asked = pending.askedAt;
    m_context.db().run<QList<Attempt>>(
        [deliveryId](QSqlDatabase db) {
            auto attempts = DeliveryService(db).attempts(deliveryId);
            return attempts ? *attempts : QList<Attempt>{};
        },
        this,
        [this, deliveryId, webhookId, asked](QList<Attempt> attempts) {
            const auto name = m_names.value(webhookId);
            if (attempts.isEmpty()) {
                record(webhookId, {tr("✗ Test ping to “%1” at %2 was not sent.").arg(name, TimeText::absolute(asked)), {}, false, true});
                return;
            }
            const auto &a = attempts.constLast();
            const bool ok = a.responseStatus && *a.responseStatus >= 200 && *a.responseStatus < 300;
            const auto status = a.responseStatus ? tr("HTTP %1").arg(*a.responseStatus) : tr("no response");
            const auto excerpt = QString::fromUtf8(a.responseBody.left(160)).simplified();
            const auto text
                = tr("%1 Test ping to “%2” at %3: %4 in %5 ms%6%7")
                      .arg(ok ? tr("✓ Succeeded.") : tr("✗ Failed."), name, TimeText::absolute(a.startedAt.isValid() ? a.startedAt : asked), status)
                      .arg(a.durationMs)
                      // The error adds to the status ("timed out"), unless it only repeats it.
                      .arg(a.error.isEmpty() || a.error == QStringLiteral("HTTP %1").arg(a.responseStatus.value_or(0))
                               ? QString()
                               : QStringLiteral(" (%1)").arg(a.error),
                           excerpt.isEmpty() ? QString() : tr(", response: “%1”").arg(excerpt));
            // 401 and 403 are what a receiver answers to a signature it cannot verify.
            const bool refused = a.responseStatus && (*a.responseStatus == 401 || *a.responseStatus == 403);
            record(webhookId,
                   {refused ? text + u' '
                                  + tr("The receiver refused it: check that it has the current secret and verifies this webhook's signing scheme.")
                            : text,
                    deliveryId, ok, !ok});
            m_context.notifyEventsEmitted();
            Q_EMIT finished(deliveryId, ok);
        });
}

} // namespace hookline
