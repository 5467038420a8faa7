#include "SecretPanel.h"

#include "AppContext.h"
#include "Clipboard.h"
#include "TimeText.h"
#include "service/AuditLog.h"
#include "service/WebhookService.h"
#include "widgets/RetryTimeline.h"
#include "widgets/VerificationCodeView.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHideEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace hookline {

SecretPanel::SecretPanel(AppContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_secret(new QLineEdit(this))
    , m_reveal(new QToolButton(this))
    , m_copy(new QPushButton(tr("Co&py"), this))
    , m_rotate(new QPushButton(tr("R&otate…"), this))
    , m_grace(new QLabel(this))
    , m_status(new QLabel(this))
    , m_code(new VerificationCodeView(this))
{
    m_secret->setReadOnly(true);
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setAccessibleName(tr("Signing secret"));
    m_secret->setAccessibleDescription(tr("Masked; use Reveal to show it"));
    m_secret->setMinimumWidth(380);
    m_reveal->setText(tr("Re&veal"));
    m_reveal->setCheckable(true);
    m_reveal->setAccessibleName(tr("Reveal secret"));
    m_copy->setAccessibleName(tr("Copy secret"));
    m_copy->setAccessibleDescription(tr("Copies the secret; the clipboard is cleared after 30 seconds"));
    m_rotate->setAccessibleName(tr("Rotate secret"));
    m_rotate->setAccessibleDescription(tr("Issues a new secret; the old one keeps signing during the grace period"));
    // No fixed accessible names on these two: their text is what a screen
    // reader must read (in Qt 6.4 a fixed name hides it); the purpose is the description.
    m_grace->setWordWrap(true);
    m_grace->setAccessibleDescription(tr("Previous secret"));
    m_status->setWordWrap(true);
    m_status->setAccessibleDescription(tr("Secret status"));

    auto *label = new QLabel(tr("Secret &key:"), this);
    label->setBuddy(m_secret);
    auto *row = new QHBoxLayout;
    row->addWidget(label);
    row->addWidget(m_secret, 1);
    row->addWidget(m_reveal);
    row->addWidget(m_copy);
    row->addWidget(m_rotate);
    auto *layout = new QVBoxLayout(this);
    auto *explain = new QLabel(tr("Receivers verify every delivery with this secret. Keep it out of logs and chats."), this);
    explain->setWordWrap(true);
    layout->addWidget(explain);
    layout->addLayout(row);
    layout->addWidget(m_grace);
    layout->addWidget(m_status);
    layout->addSpacing(12);
    layout->addWidget(m_code, 1);

    connect(m_reveal, &QToolButton::toggled, this, [this](bool on) {
        m_secret->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
        m_reveal->setText(on ? tr("Hi&de") : tr("Re&veal"));
        m_reveal->setAccessibleName(on ? tr("Hide secret") : tr("Reveal secret")); // what it says, it is called
        m_secret->setAccessibleDescription(on ? tr("Shown; use Hide to mask it") : tr("Masked; use Reveal to show it"));
        if (!on)
            forgetRotation();
    });
    // Shown on the administrator's click (not when a rotation shows the new one): audited.
    connect(m_reveal, &QToolButton::clicked, this, [this](bool on) {
        if (on)
            recordAccess(false);
    });
    connect(m_copy, &QPushButton::clicked, this, &SecretPanel::copy);
    connect(m_rotate, &QPushButton::clicked, this, &SecretPanel::rotate);
    connect(Clipboard::instance(), &Clipboard::cleared, this, [this] {
        m_status->setText(tr("The clipboard was cleared."));
        if (!m_rotatedSecret.isEmpty())
            m_rotationNotice = tr("New secret issued. ") + m_status->text();
    });
}

void SecretPanel::setHeaderPrefix(const QString &prefix)
{
    m_code->setHeaderPrefix(prefix);
}

void SecretPanel::setWebhook(const Webhook &w)
{
    m_code->setScheme(w.scheme);
    // The window reloads the webhook after a rotation: the new secret stays shown.
    const bool keepRotation = !m_rotatedSecret.isEmpty() && w.id == m_webhook.id && w.secret == m_rotatedSecret;
    if (!keepRotation)
        forgetRotation();
    m_webhook = w;
    m_secret->setText(w.secret);
    m_reveal->setChecked(keepRotation);
    const bool exists = !w.id.isEmpty();
    m_copy->setEnabled(exists);
    m_rotate->setEnabled(exists);
    m_reveal->setEnabled(exists);
    if (!exists)
        m_secret->setPlaceholderText(tr("A secret is generated when the webhook is saved"));
    QStringList grace;
    QStringList exact;
    const auto now = QDateTime::currentDateTimeUtc();
    for (const auto &s : w.secrets) {
        if (s.expiresAt && *s.expiresAt > now) {
            grace << tr("The previous secret keeps signing beside this one until %1.").arg(TimeText::absolute(*s.expiresAt));
            exact << TimeText::exact(*s.expiresAt);
        }
    }
    m_grace->setText(grace.join(u'\n'));
    m_grace->setToolTip(exact.join(u'\n'));
    m_grace->setVisible(!grace.isEmpty());
    m_status->setText(keepRotation ? m_rotationNotice : QString());
}

void SecretPanel::forgetRotation()
{
    m_rotatedSecret.clear();
    m_rotationNotice.clear();
}

void SecretPanel::hideEvent(QHideEvent *event)
{
    // Leaving the panel (another tab, another webhook) masks the secret again;
    // a minimised window is not leaving.
    if (!event->spontaneous() && !m_rotatedSecret.isEmpty()) {
        forgetRotation();
        m_reveal->setChecked(false);
        m_status->clear();
    }
    QWidget::hideEvent(event);
}

void SecretPanel::recordAccess(bool copied)
{
    const auto id = m_webhook.id;
    const auto job = [id, copied](QSqlDatabase db) { return AuditLog(db).recordSecretAccess(id, copied); };
    m_context.db().run<Status>(job, this, [this](Status s) {
        if (!s)
            m_status->setText(s.error().message);
    });
}

void SecretPanel::copy()
{
    Clipboard::instance()->setSecret(m_webhook.secret);
    recordAccess(true);
    m_status->setText(
        tr("Copied. The clipboard is cleared in %n seconds unless you copy something else.", nullptr, Clipboard::instance()->clearDelayMs() / 1000));
}

void SecretPanel::rotate()
{
    const auto answer
        = QMessageBox::question(this, tr("Rotate secret"),
                                tr("Issue a new secret for “%1”?\n\nThe current secret keeps signing beside the new one for %2, so receivers can "
                                   "switch over. The new secret is shown and copied to the clipboard.")
                                    .arg(m_webhook.name, RetryTimeline::duration(m_graceSeconds)));
    if (answer == QMessageBox::Yes)
        rotateConfirmed();
}

void SecretPanel::rotateConfirmed()
{
    const auto id = m_webhook.id;
    const int grace = m_graceSeconds;
    m_rotate->setEnabled(false);
    struct Rotated {
        Webhook webhook;
        int retiredEarly = 0;
    };
    m_context.db().run<Result<Rotated>>(
        [id, grace](QSqlDatabase db) -> Result<Rotated> {
            WebhookService service(db);
            auto rotation = service.rotateSecret(id, grace);
            if (!rotation)
                return rotation.error();
            auto webhook = service.get(id);
            if (!webhook)
                return webhook.error();
            return Rotated{std::move(*webhook), rotation->retiredEarly};
        },
        this,
        [this](Result<Rotated> done) {
            m_rotate->setEnabled(true);
            if (!done) {
                m_status->setText(done.error().message);
                return;
            }
            const Webhook *result = &done->webhook;
            forgetRotation();
            setWebhook(*result);
            m_reveal->setChecked(true);
            copy();
            m_rotatedSecret = result->secret;
            m_rotationNotice = tr("New secret issued and copied to the clipboard, which is cleared in %n seconds unless you copy something else.",
                                  nullptr, Clipboard::instance()->clearDelayMs() / 1000);
            if (done->retiredEarly > 0)
                m_rotationNotice += u' '
                                    + tr("%n older secret(s) stopped signing now: at most %1 previous secrets sign beside the current one.", nullptr,
                                         done->retiredEarly)
                                          .arg(Webhook::kMaxPreviousSecrets);
            m_status->setText(m_rotationNotice);
            m_context.notifyWebhooksChanged();
            Q_EMIT rotated(result->id);
        });
}

} // namespace hookline
