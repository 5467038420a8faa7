#include "SignatureDebuggerDialog.h"

#include "AppContext.h"
#include "SigningSetup.h"
#include "Theme.h"
#include "signing/SchemeDescriptor.h"
#include "signing/SignatureDebugger.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace hookline {

SignatureDebuggerDialog::SignatureDebuggerDialog(AppContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_webhook(new QComboBox(this))
    , m_secret(new QLineEdit(this))
    , m_scheme(new QComboBox(this))
    , m_prefix(new QLineEdit(this))
    , m_headers(new QPlainTextEdit(this))
    , m_body(new QPlainTextEdit(this))
    , m_check(new QPushButton(tr("&Check signature"), this))
    , m_verdict(new QLabel(this))
    , m_details(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Signature debugger"));
    const QFont fixed(QStringLiteral("monospace"));

    m_webhook->addItem(tr("None: the secret typed below"), QString());
    m_webhook->setAccessibleName(tr("Webhook"));
    m_webhook->setToolTip(tr("Its current and previous secrets are tried, with its signing scheme"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setAccessibleName(tr("Secret"));
    m_secret->setPlaceholderText(tr("The receiver's secret"));
    m_scheme->addItem(tr("Detect from the headers"), QString());
    for (const SchemeDescriptor &d : SchemeDescriptor::all())
        m_scheme->addItem(QCoreApplication::translate(SchemeDescriptor::kTranslationContext, d.label), d.name.toString());
    m_scheme->setAccessibleName(tr("Signing scheme"));
    m_prefix->setText(QStringLiteral("X-Webhook"));
    m_prefix->setAccessibleName(tr("Header prefix"));
    m_headers->setFont(fixed);
    m_headers->setAccessibleName(tr("Headers"));
    m_headers->setPlaceholderText(tr("Name: value, one header a line, as the receiver got them"));
    m_headers->setTabChangesFocus(true);
    m_body->setFont(fixed);
    m_body->setAccessibleName(tr("Body"));
    m_body->setPlaceholderText(tr("The body exactly as received"));
    m_body->setTabChangesFocus(true);
    auto *load = new QPushButton(tr("&Load body from a file…"), this);
    connect(load, &QPushButton::clicked, this, &SignatureDebuggerDialog::loadBody);
    m_check->setDefault(true);
    connect(m_check, &QPushButton::clicked, this, &SignatureDebuggerDialog::check);
    connect(m_webhook, &QComboBox::currentIndexChanged, this, [this](int index) {
        // A picked webhook brings its own secrets and scheme.
        m_secret->setEnabled(index <= 0);
        if (const Webhook *w = m_setup.chosen(m_webhook))
            m_scheme->setCurrentIndex(std::max(0, m_scheme->findData(schemeName(w->scheme))));
    });
    m_verdict->setWordWrap(true);
    m_verdict->setAccessibleDescription(tr("Signature check result"));
    m_details->setReadOnly(true);
    m_details->setFont(fixed);
    m_details->setAccessibleName(tr("Signature check details"));
    m_details->setLineWrapMode(QPlainTextEdit::WidgetWidth);

    auto *form = new QFormLayout;
    const auto row = [form](const QString &text, QWidget *field) {
        auto *label = new QLabel(text);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    row(tr("&Webhook:"), m_webhook);
    row(tr("S&ecret:"), m_secret);
    row(tr("Sc&heme:"), m_scheme);
    row(tr("Header &prefix:"), m_prefix);
    row(tr("He&aders:"), m_headers);
    row(tr("&Body:"), m_body);
    form->addRow(QString(), load);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_check, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form, 2);
    layout->addWidget(m_verdict);
    layout->addWidget(m_details, 3);
    layout->addWidget(buttons);
    resize(860, 760);

    SigningSetup::load(m_context, this, [this](Result<SigningSetup> loaded) {
        if (!loaded) {
            m_verdict->setText(loaded.error().message);
            Theme::setTone(m_verdict, Theme::Tone::Error);
            return;
        }
        m_setup = *loaded;
        m_setup.addTo(m_webhook);
        if (!m_setup.headerPrefix.isEmpty())
            m_prefix->setText(m_setup.headerPrefix);
        Q_EMIT webhooksLoaded();
    });
}

void SignatureDebuggerDialog::loadBody()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Load the body"));
    if (file.isEmpty())
        return;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        m_verdict->setText(tr("Cannot read %1: %2").arg(file, f.errorString()));
        Theme::setTone(m_verdict, Theme::Tone::Error);
        return;
    }
    m_body->setPlainText(QString::fromUtf8(f.readAll()));
}

void SignatureDebuggerDialog::check()
{
    SignatureCase input;
    for (const QString &line : m_headers->toPlainText().split(u'\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const auto header = SignatureDebugger::headerFromLine(line);
        if (!header) {
            m_verdict->setText(tr("\"%1\" is not a header: write Name: value").arg(line.trimmed()));
            Theme::setTone(m_verdict, Theme::Tone::Error);
            m_details->clear();
            return;
        }
        input.headers.append(*header);
    }
    input.body = m_body->toPlainText().toUtf8();
    input.headerPrefix = m_prefix->text().trimmed().toUtf8();
    if (const auto scheme = m_scheme->currentData().toString(); !scheme.isEmpty())
        input.scheme = schemeFromName(scheme);
    if (const Webhook *w = m_setup.chosen(m_webhook))
        input.secrets = SigningSetup::secrets(*w);
    else
        input.secrets << m_secret->text();
    const auto d = SignatureDebugger::diagnose(input);

    m_verdict->setText(
        d.valid ? (d.secretIndex > 0 ? tr("✓ The signature verifies, with a secret from before a rotation.") : tr("✓ The signature verifies."))
                : tr("✗ The signature does not verify: %1").arg(d.reason));
    Theme::setTone(m_verdict, d.valid && d.findings.isEmpty() ? Theme::Tone::Success : d.valid ? Theme::Tone::Warning : Theme::Tone::Error);
    QStringList out;
    out << tr("Scheme: %1")
               .arg(d.scheme ? QCoreApplication::translate(SchemeDescriptor::kTranslationContext, SchemeDescriptor::find(*d.scheme)->label)
                             : tr("not recognised"));
    for (const auto &f : d.findings)
        out << QString() << tr("Mistake: %1").arg(f.message) << tr("Fix: %1").arg(f.fix);
    out << QString() << tr("Signed content, byte for byte (↵ line feed, ← carriage return, → tab, · space at a line's end):") << d.visibleContent
        << QString() << tr("Expected:") << QStringLiteral("  ") + QString::fromUtf8(d.expected) << tr("Given:")
        << QStringLiteral("  ") + QString::fromUtf8(d.given);
    if (!d.valid && d.firstDifference >= 0)
        out << QString(2 + int(d.firstDifference), u' ') + tr("^ first difference, at character %1").arg(d.firstDifference + 1);
    m_details->setPlainText(out.join(u'\n'));
}

} // namespace hookline
