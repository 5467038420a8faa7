#pragma once

#include "model/Webhook.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace hookline {

class AppContext;
class VerificationCodeView;

// The signing secret: masked by default, revealed on demand, copied to the
// clipboard for 30 s, rotated with a confirmation that states the grace period.
class SecretPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretPanel)

public:
    explicit SecretPanel(AppContext &context, QWidget *parent = nullptr);

    void setWebhook(const Webhook &webhook);
    void setGraceSeconds(int seconds) { m_graceSeconds = seconds; }
    void setHeaderPrefix(const QString &prefix);

    QLineEdit *secretField() const { return m_secret; }
    QToolButton *revealButton() const { return m_reveal; }
    QPushButton *copyButton() const { return m_copy; }
    QPushButton *rotateButton() const { return m_rotate; }
    VerificationCodeView *verificationCode() const { return m_code; }

public Q_SLOTS:
    void copy();
    // The audit log's row for a secret shown or copied (off the GUI thread).
    void recordAccess(bool copied);
    void rotate();
    // Rotates without asking (after the caller has confirmed).
    void rotateConfirmed();

Q_SIGNALS:
    void rotated(const QString &webhookId);

protected:
    void hideEvent(QHideEvent *event) override;

private:
    void forgetRotation();

    AppContext &m_context;
    Webhook m_webhook;
    int m_graceSeconds = 86400;
    // The secret a rotation just issued: it stays revealed, with its notice,
    // through the reloads that follow, until the user hides it or leaves.
    QString m_rotatedSecret;
    QString m_rotationNotice;
    QLineEdit *m_secret;
    QToolButton *m_reveal;
    QPushButton *m_copy;
    QPushButton *m_rotate;
    QLabel *m_grace;
    QLabel *m_status;
    VerificationCodeView *m_code;
};

} // namespace hookline
