#pragma once

#include "SigningSetup.h"

#include <QDialog>
#include <QList>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace hookline {

class AppContext;

// Tools → Signature debugger: paste or load a request's headers and body and
// give a secret, or pick a webhook whose current and previous secrets are
// tried; it says whether the signature verifies and, when not, which usual
// mistake explains it (SignatureDebugger), with the signed content shown
// byte for byte. The same checks as hookline-cli verify.
class SignatureDebuggerDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignatureDebuggerDialog)

public:
    explicit SignatureDebuggerDialog(AppContext &context, QWidget *parent = nullptr);

    QComboBox *webhookBox() const { return m_webhook; }
    QLineEdit *secretEdit() const { return m_secret; }
    QPlainTextEdit *headersEdit() const { return m_headers; }
    QPlainTextEdit *bodyEdit() const { return m_body; }
    QPushButton *checkButton() const { return m_check; }
    QLabel *verdict() const { return m_verdict; }
    QPlainTextEdit *details() const { return m_details; }

    void check();

Q_SIGNALS:
    void webhooksLoaded();

private:
    void loadBody();

    AppContext &m_context;
    SigningSetup m_setup;
    QComboBox *m_webhook;
    QLineEdit *m_secret;
    QComboBox *m_scheme;
    QLineEdit *m_prefix;
    QPlainTextEdit *m_headers;
    QPlainTextEdit *m_body;
    QPushButton *m_check;
    QLabel *m_verdict;
    QPlainTextEdit *m_details;
};

} // namespace hookline
