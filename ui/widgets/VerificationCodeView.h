#pragma once

#include "signing/Scheme.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace hookline {

// The secret panel's "verification code": a short receiver, in the language
// picked, that verifies this webhook's deliveries (ReceiverSnippets, the
// same code as hookline-cli snippet). It never holds the secret: the code
// reads WEBHOOK_SECRET, so copying it needs no care.
class VerificationCodeView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VerificationCodeView)

public:
    explicit VerificationCodeView(QWidget *parent = nullptr);

    void setScheme(Scheme scheme);
    void setHeaderPrefix(const QString &prefix);

    QComboBox *languageBox() const { return m_language; }
    QPlainTextEdit *codeView() const { return m_code; }
    QPushButton *copyButton() const { return m_copy; }

private:
    void refresh();

    Scheme m_scheme = Scheme::Standard;
    QString m_prefix = QStringLiteral("X-Webhook");
    QComboBox *m_language;
    QPlainTextEdit *m_code;
    QPushButton *m_copy;
    QLabel *m_status;
};

} // namespace hookline
