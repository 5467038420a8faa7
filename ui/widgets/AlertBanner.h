#pragma once

#include "model/DeliveryStatus.h"
#include "model/Webhook.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace hookline {

class AppContext;

// Above a webhook's details while something is wrong with it: failing (since
// when, and why, from its open alert) or deactivated by the engine. Offers
// what an administrator does next: look at the failures, turn it back on.
// Hidden while the webhook is healthy.
class AlertBanner final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertBanner)

public:
    explicit AlertBanner(AppContext &context, QWidget *parent = nullptr);

    // The webhook on screen, as the list holds it (empty id: none).
    void setWebhook(const Webhook &webhook);
    QLabel *label() const { return m_text; }
    QPushButton *showFailuresButton() const { return m_showFailures; }
    QPushButton *reenableButton() const { return m_reenable; }

Q_SIGNALS:
    // Show the webhook's history under this status.
    void showFailuresRequested(hookline::DeliveryStatus status);
    void reenableRequested(const QString &webhookId);

private:
    void readAlert();
    void display(const QString &detail);

    AppContext &m_context;
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_showFailures;
    QPushButton *m_reenable;
    Webhook m_webhook;
};

} // namespace hookline
