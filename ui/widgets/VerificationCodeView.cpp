#include "VerificationCodeView.h"

#include "signing/ReceiverSnippets.h"

#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace hookline {

VerificationCodeView::VerificationCodeView(QWidget *parent)
    : QWidget(parent)
    , m_language(new QComboBox(this))
    , m_code(new QPlainTextEdit(this))
    , m_copy(new QPushButton(tr("Copy co&de"), this))
    , m_status(new QLabel(this))
{
    for (const auto l : ReceiverSnippets::languages())
        m_language->addItem(ReceiverSnippets::title(l), ReceiverSnippets::name(l));
    m_language->setAccessibleName(tr("Language of the verification code"));
    m_code->setReadOnly(true);
    m_code->setFont(QFont(QStringLiteral("monospace")));
    m_code->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_code->setAccessibleName(tr("Verification code"));
    m_code->setTabChangesFocus(true);
    m_copy->setAccessibleDescription(tr("Copies the code; the secret is not in it"));
    m_status->setAccessibleDescription(tr("Verification code status"));

    auto *label = new QLabel(tr("Verification code &in:"), this);
    label->setBuddy(m_language);
    auto *row = new QHBoxLayout;
    row->addWidget(label);
    row->addWidget(m_language, 1);
    row->addWidget(m_copy);
    auto *explain = new QLabel(tr("A receiver that verifies this webhook's deliveries. It reads the secret from the environment "
                                  "variable WEBHOOK_SECRET; the secret is never in the code."),
                               this);
    explain->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(explain);
    layout->addLayout(row);
    layout->addWidget(m_code, 1);
    layout->addWidget(m_status);

    connect(m_language, &QComboBox::currentIndexChanged, this, &VerificationCodeView::refresh);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_code->toPlainText());
        m_status->setText(tr("Copied."));
    });
    refresh();
}

void VerificationCodeView::setScheme(Scheme scheme)
{
    m_scheme = scheme;
    refresh();
}

void VerificationCodeView::setHeaderPrefix(const QString &prefix)
{
    m_prefix = prefix.isEmpty() ? QStringLiteral("X-Webhook") : prefix;
    refresh();
}

void VerificationCodeView::refresh()
{
    const auto language = ReceiverSnippets::fromName(m_language->currentData().toString());
    m_code->setPlainText(language ? ReceiverSnippets::code(m_scheme, m_prefix.toUtf8(), *language) : QString());
    m_status->clear();
}

} // namespace hookline
