#include "AlertBanner.h"

#include "AlertText.h"
#include "AppContext.h"
#include "Theme.h"
#include "TimeText.h"
#include "service/AlertService.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace hookline {

AlertBanner::AlertBanner(AppContext &context, QWidget *parent)
    : QFrame(parent)
    , m_context(context)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_showFailures(new QPushButton(tr("Show &failures"), this))
    , m_reenable(new QPushButton(tr("Re-&enable"), this))
{
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Webhook alert"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setFocusPolicy(Qt::TabFocus); // reachable by Tab: a screen reader reads it
    m_showFailures->setAccessibleDescription(tr("Shows this webhook's deliveries that failed, or that wait to be retried"));
    m_reenable->setAccessibleDescription(tr("Turns the webhook back on; its failures are counted afresh"));
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_showFailures, 0, Qt::AlignVCenter);
    layout->addWidget(m_reenable, 0, Qt::AlignVCenter);
    connect(m_showFailures, &QPushButton::clicked, this, [this] {
        // Deliveries that ended failed, when there are some in a row;
        // otherwise the failures are attempts still being retried.
        Q_EMIT showFailuresRequested(m_webhook.consecutiveFailures > 0 || !m_webhook.active ? DeliveryStatus::Failed : DeliveryStatus::Retrying);
    });
    connect(m_reenable, &QPushButton::clicked, this, [this] { Q_EMIT reenableRequested(m_webhook.id); });
    connect(&context, &AppContext::alertsArrived, this, [this](const Alerts &alerts) {
        for (const auto &a : alerts) {
            if (a.webhookId == m_webhook.id && isVisible())
                return readAlert();
        }
    });
    hide();
}

void AlertBanner::setWebhook(const Webhook &webhook)
{
    const bool same = webhook.id == m_webhook.id && webhook.failingSince == m_webhook.failingSince && webhook.active == m_webhook.active
                      && webhook.disabledAt == m_webhook.disabledAt;
    m_webhook = webhook;
    const bool failing = webhook.active && webhook.failingSince.isValid();
    const bool disabled = !webhook.active && !webhook.disabledReason.isEmpty();
    const bool shown = !webhook.id.isEmpty() && (failing || disabled);
    setVisible(shown);
    if (!shown || same)
        return;
    display(QString());
    readAlert();
}

void AlertBanner::readAlert()
{
    const auto id = m_webhook.id;
    const auto job = [id](QSqlDatabase db) {
        AlertFilter filter;
        filter.webhookId = id;
        filter.openOnly = true;
        filter.limit = 1;
        auto alerts = AlertService(db).list(filter);
        return alerts && !alerts->isEmpty() ? AlertText::detail(alerts->constFirst()) : QString();
    };
    m_context.db().run<QString>(job, this, [this, id](const QString &detail) {
        if (id == m_webhook.id)
            display(detail);
    });
}

void AlertBanner::display(const QString &detail)
{
    const bool failing = m_webhook.active;
    const auto *style = QApplication::style();
    const int size = style->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style->standardIcon(failing ? QStyle::SP_MessageBoxWarning : QStyle::SP_MessageBoxCritical).pixmap(size, size));
    Theme::setTone(m_text, failing ? Theme::Tone::Warning : Theme::Tone::Error);
    QString text;
    if (failing) {
        text = tr("This webhook is failing since %1.").arg(TimeText::absolute(m_webhook.failingSince));
        if (!detail.isEmpty())
            text += QLatin1Char(' ') + detail + QLatin1Char('.');
        text += QLatin1Char(' ') + tr("It keeps being retried; you will be told when it delivers again.");
    } else {
        // The alert says why in the window's language; an older deactivation has only the engine's words.
        text = tr("The engine deactivated this webhook %1: %2. New events make no deliveries for it until it is re-enabled.")
                   .arg(TimeText::absolute(m_webhook.disabledAt), detail.isEmpty() ? m_webhook.disabledReason : detail);
    }
    m_text->setText(text);
    m_text->setAccessibleName(text);
    m_reenable->setVisible(!failing);
}

} // namespace hookline
