#include "TestResultBar.h"

#include "AppContext.h"
#include "engine/DeliveryEngine.h"
#include "service/EventService.h"
#include "store/DeliveryStore.h"

#include <QHBoxLayout>
#include <QLabel>

namespace hookline {

TestResultBar::TestResultBar(AppContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_label(new QLabel(this))
{
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_label->setAccessibleName(tr("Test ping result"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(m_label);
    connect(m_label, &QLabel::linkActivated, this, [this](const QString &link) { Q_EMIT detailsRequested(link); });
    connect(&context.engine(), &DeliveryEngine::deliveryFinished, this, [this](const QString &id, int) {
        if (id == m_pending)
            showResult(id);
    });
    hide();
}

void TestResultBar::test(const QString &webhookId)
{
    setVisible(true);
    m_label->setText(tr("Sending a test ping…"));
    m_context.db().run<Result<QString>>(
        [webhookId](QSqlDatabase db) { return EventService(db).emitTestPing(webhookId); },
        this, [this](Result<QString> id) {
            if (!id) {
                m_label->setText(tr("Test failed: %1").arg(id.error().message.toHtmlEscaped()));
                return;
            }
            m_pending = *id;
            m_context.engine().deliverNow(*id);
        });
}

void TestResultBar::showResult(const QString &deliveryId)
{
    m_pending.clear();
    m_context.db().run<QList<Attempt>>(
        [deliveryId](QSqlDatabase db) {
            auto attempts = DeliveryStore(db).attempts(deliveryId);
            return attempts ? *attempts : QList<Attempt>{};
        },
        this, [this, deliveryId](QList<Attempt> attempts) {
            if (attempts.isEmpty()) {
                m_label->setText(tr("The test ping was not sent."));
                return;
            }
            const auto &a = attempts.constLast();
            const bool ok = a.responseStatus && *a.responseStatus >= 200 && *a.responseStatus < 300;
            const auto status = a.responseStatus ? tr("HTTP %1").arg(*a.responseStatus) : tr("no response");
            const auto excerpt = QString::fromUtf8(a.responseBody.left(160)).simplified().toHtmlEscaped();
            m_label->setText(tr("%1 Test ping: %2 in %3 ms%4%5 — <a href=\"%6\">details</a>")
                                 .arg(ok ? tr("✓ Succeeded.") : tr("✗ Failed."), status)
                                 .arg(a.durationMs)
                                 .arg(a.error.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(a.error.toHtmlEscaped()),
                                      excerpt.isEmpty() ? QString() : tr(", response: “%1”").arg(excerpt), deliveryId));
            m_context.notifyEventsEmitted();
            Q_EMIT finished(deliveryId, ok);
        });
}

} // namespace hookline
