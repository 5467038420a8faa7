#include "SettingsDialog.h"

#include "AppContext.h"
#include "Theme.h"
#include "TrayIcon.h"
#include "service/Installation.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "widgets/DurationEdit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSystemTrayIcon>
#include <QUrl>
#include <QVBoxLayout>

namespace hookline {

namespace {
QLabel *warning(const QString &text)
{
    auto *label = new QLabel(QStringLiteral("⚠ ") + text);
    label->setWordWrap(true);
    Theme::setTone(label, Theme::Tone::Warning);
    return label;
}
} // namespace

SettingsDialog::SettingsDialog(AppContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_database(new QLineEdit(this))
    , m_masterKey(new QLineEdit(this))
    , m_language(new QComboBox(this))
    , m_closeToTray(new QCheckBox(tr("Keep delivering in the &tray when the window is closed"), this))
    , m_prefix(new QLineEdit(this))
    , m_timeout(new DurationEdit(this))
    , m_retention(new QSpinBox(this))
    , m_perWebhook(new QSpinBox(this))
    , m_perHost(new QSpinBox(this))
    , m_slowAfter(new DurationEdit(this))
    , m_grace(new DurationEdit(this))
    , m_alertInRow(new QSpinBox(this))
    , m_alertRate(new QSpinBox(this))
    , m_alertEvents(new QComboBox(this))
    , m_caFile(new QLineEdit(this))
    , m_insecure(new QCheckBox(tr("Allow plain &http:// URLs"), this))
    , m_private(new QCheckBox(tr("Allow private and &local addresses"), this))
    , m_problem(new QLabel(this))
{
    setWindowTitle(tr("Settings"));
    m_database->setText(QSettings().value(QStringLiteral("database")).toString());
    // Never the password: the placeholder shows the URL without it.
    m_database->setPlaceholderText(context.installation().displayLocation());
    m_database->setAccessibleName(tr("Database"));
    m_database->setAccessibleDescription(
        tr("A SQLite file path or a PostgreSQL URL; empty keeps the one in use now: %1").arg(context.installation().displayLocation()));
    m_database->setToolTip(tr("A SQLite file path, or a PostgreSQL URL such as postgresql://user@host:5432/hookline "
                              "(leave the password out to use ~/.pgpass); used from the next start"));
    // The window's language: the system's unless chosen here (or --lang), from the next start.
    // Where the key of the webhook secrets is: known since the database was
    // opened, so nothing to wait for. Read-only: `hookline-cli secrets rekey` changes it.
    const auto key = context.installation().keyInfo();
    m_masterKey->setReadOnly(true);
    m_masterKey->setText(tr("%1 (%2), fingerprint %3").arg(key.where, key.source, key.fingerprint));
    m_masterKey->setCursorPosition(0);
    m_masterKey->setAccessibleName(tr("Master key"));
    m_masterKey->setToolTip(tr("Webhook secrets are stored encrypted under this key, kept outside the database. "
                               "hookline-cli secrets rekey replaces it."));
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(QSettings().value(QStringLiteral("language")).toString())));
    m_language->setAccessibleName(tr("Language"));
    m_language->setToolTip(tr("Used from the next start"));
    // A window closed into a tray that does not exist could not be opened again.
    m_closeToTray->setChecked(QSettings().value(QString::fromLatin1(TrayIcon::kCloseToTrayKey), false).toBool());
    m_closeToTray->setEnabled(QSystemTrayIcon::isSystemTrayAvailable());
    m_closeToTray->setAccessibleDescription(QSystemTrayIcon::isSystemTrayAvailable()
                                                ? tr("Closing the window hides it in the notification area; the engine goes on delivering.")
                                                : tr("This desktop has no notification area."));
    m_prefix->setAccessibleName(tr("Header prefix"));
    m_timeout->setRange(0.1, 300);
    m_timeout->setAccessibleName(tr("Request timeout"));
    m_timeout->setToolTip(tr("Type a number and a unit, such as 10 s or 1 min"));
    m_retention->setRange(1, 10000000);
    m_retention->setAccessibleName(tr("Deliveries kept per webhook"));
    m_perWebhook->setRange(1, 10000);
    m_perWebhook->setAccessibleName(tr("Requests in flight per webhook"));
    m_perWebhook->setToolTip(tr("How many requests the engine may have in flight to one webhook at once; a webhook may set its own"));
    m_perHost->setRange(1, 100000);
    m_perHost->setAccessibleName(tr("Requests in flight per host"));
    m_perHost->setToolTip(tr("How many requests the engine may have in flight to one host at once, all its webhooks together"));
    m_slowAfter->setRange(0.1, 300);
    m_slowAfter->setAccessibleName(tr("Slow answer threshold"));
    m_slowAfter->setToolTip(tr("A webhook that takes longer than this to answer moves to the slow lane: connections of its own and a smaller share"));
    m_grace->setRange(0, 30 * 24 * 3600);
    m_grace->setAccessibleName(tr("Secret rotation grace period"));
    m_grace->setToolTip(tr("Type a number and a unit, such as 36 h or 2 days"));
    m_alertInRow->setRange(0, 100000);
    m_alertInRow->setSpecialValueText(tr("Never"));
    m_alertInRow->setAccessibleName(tr("Alert after failed deliveries in a row"));
    m_alertInRow->setToolTip(tr("Tell when this many deliveries in a row to one webhook ended failed (0: never)"));
    m_alertRate->setRange(0, 100);
    m_alertRate->setSuffix(QStringLiteral(" %"));
    m_alertRate->setSpecialValueText(tr("Never"));
    m_alertRate->setAccessibleName(tr("Alert under this success rate"));
    m_alertRate->setToolTip(
        tr("Tell when less than this share of a webhook's attempts in the last hour succeeded, counted from 10 attempts (0: never)"));
    m_alertEvents->addItem(tr("None"), QString());
    m_alertEvents->setAccessibleName(tr("Send operational events to"));
    m_alertEvents->setToolTip(tr("This webhook receives hookline.webhook.failing, .disabled and .recovered, signed like any delivery; "
                                 "never about itself"));
    m_caFile->setAccessibleName(tr("Extra CA certificates"));
    // Called what they say; the warning beside each is their description.
    m_insecure->setAccessibleDescription(tr("Deliveries and their signatures travel unencrypted. For development only."));
    m_private->setAccessibleDescription(
        tr("Webhooks may then reach this machine and your internal network (server-side request forgery). For development only."));
    m_problem->setWordWrap(true);
    Theme::setTone(m_problem, Theme::Tone::Error);
    m_problem->setAccessibleDescription(tr("Settings problem")); // the text itself is the name a screen reader reads

    auto *browse = new QPushButton(tr("&Browse…"), this);
    browse->setAccessibleName(tr("Browse for CA certificates"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const auto file = QFileDialog::getOpenFileName(this, tr("CA certificates"), {}, tr("PEM files (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty())
            m_caFile->setText(file);
    });
    setTabOrder(m_caFile, browse);
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(browse);

    auto *form = new QFormLayout;
    const auto row = [form](const QString &text, QWidget *field) {
        auto *label = new QLabel(text);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    row(tr("&Database:"), m_database);
    row(tr("Master ke&y:"), m_masterKey);
    row(tr("La&nguage:"), m_language);
    form->addRow(QString(), m_closeToTray);
    row(tr("Header &prefix:"), m_prefix);
    row(tr("Request &timeout:"), m_timeout);
    row(tr("&Keep deliveries:"), m_retention);
    row(tr("In flight per &webhook:"), m_perWebhook);
    row(tr("In flight per h&ost:"), m_perHost);
    row(tr("Slow answer a&fter:"), m_slowAfter);
    row(tr("Rotation &grace:"), m_grace);
    auto *caLabel = new QLabel(tr("Extra &CA certificates:"));
    caLabel->setBuddy(m_caFile);
    form->addRow(caLabel, caRow);
    auto *alerts = new QLabel(tr("Alerts"));
    QFont bold = alerts->font();
    bold.setBold(true);
    alerts->setFont(bold);
    form->addRow(alerts);
    row(tr("Failed deliveries in a &row:"), m_alertInRow);
    row(tr("Success rate &under:"), m_alertRate);
    row(tr("Operational &events to:"), m_alertEvents);
    form->addRow(QString(), m_insecure);
    form->addRow(QString(), warning(tr("Deliveries and their signatures travel unencrypted. For development only.")));
    form->addRow(QString(), m_private);
    form->addRow(QString(),
                 warning(tr("Webhooks may then reach this machine and your internal network (server-side request forgery). For development only.")));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    resize(620, 500);

    // Saving before the current values are read would write the empty fields.
    auto *save = buttons->button(QDialogButtonBox::Save);
    save->setEnabled(false);
    const auto list = [](QSqlDatabase db) { return WebhookService(db).list(); };
    context.db().run<Result<QList<Webhook>>>(list, this, [this](Result<QList<Webhook>> webhooks) {
        if (!webhooks)
            return;
        for (const auto &w : std::as_const(*webhooks))
            m_alertEvents->addItem(QStringLiteral("%1 — %2").arg(w.name, w.url), w.id);
        selectAlertEvents();
    });
    const auto job = [](QSqlDatabase db) { return Settings(db).values(); };
    context.db().run<Result<QMap<QString, QString>>>(job, this, [this, save](Result<QMap<QString, QString>> values) {
        if (!values) {
            m_problem->setText(values.error().message);
            return;
        }
        load(*values);
        save->setEnabled(true);
    });
}

void SettingsDialog::load(const QMap<QString, QString> &v)
{
    m_prefix->setText(v.value(QString::fromLatin1(Settings::kHeaderPrefix)));
    m_timeout->setSeconds(v.value(QString::fromLatin1(Settings::kRequestTimeoutSeconds)).toDouble());
    m_retention->setValue(v.value(QString::fromLatin1(Settings::kRetention)).toInt());
    m_perWebhook->setValue(v.value(QString::fromLatin1(Settings::kMaxInFlightPerWebhook)).toInt());
    m_perHost->setValue(v.value(QString::fromLatin1(Settings::kMaxInFlightPerHost)).toInt());
    m_slowAfter->setSeconds(v.value(QString::fromLatin1(Settings::kSlowAnswerSeconds)).toDouble());
    m_grace->setSeconds(v.value(QString::fromLatin1(Settings::kRotationGraceSeconds)).toInt());
    m_caFile->setText(v.value(QString::fromLatin1(Settings::kExtraCaCertificates)));
    m_insecure->setChecked(v.value(QString::fromLatin1(Settings::kAllowInsecureUrls)) == u"true");
    m_private->setChecked(v.value(QString::fromLatin1(Settings::kAllowPrivateAddresses)) == u"true");
    m_alertInRow->setValue(v.value(QString::fromLatin1(Settings::kAlertFailuresInRow)).toInt());
    m_alertRate->setValue(v.value(QString::fromLatin1(Settings::kAlertSuccessRatePercent)).toInt());
    m_alertEventsValue = v.value(QString::fromLatin1(Settings::kAlertEventsWebhook));
    selectAlertEvents();
}

void SettingsDialog::selectAlertEvents()
{
    // A webhook that is no longer there is shown by its id, so that saving keeps it visibly.
    if (!m_alertEventsValue.isEmpty() && m_alertEvents->findData(m_alertEventsValue) < 0 && m_alertEvents->count() > 1)
        m_alertEvents->addItem(tr("%1 (not found)").arg(m_alertEventsValue), m_alertEventsValue);
    m_alertEvents->setCurrentIndex(std::max(0, m_alertEvents->findData(m_alertEventsValue)));
}

QMap<QString, QString> SettingsDialog::values() const
{
    return {{QString::fromLatin1(Settings::kHeaderPrefix), m_prefix->text().trimmed()},
            {QString::fromLatin1(Settings::kRequestTimeoutSeconds), QString::number(m_timeout->seconds())},
            {QString::fromLatin1(Settings::kRetention), QString::number(m_retention->value())},
            {QString::fromLatin1(Settings::kMaxInFlightPerWebhook), QString::number(m_perWebhook->value())},
            {QString::fromLatin1(Settings::kMaxInFlightPerHost), QString::number(m_perHost->value())},
            {QString::fromLatin1(Settings::kSlowAnswerSeconds), QString::number(m_slowAfter->seconds())},
            {QString::fromLatin1(Settings::kRotationGraceSeconds), QString::number(qRound64(m_grace->seconds()))},
            {QString::fromLatin1(Settings::kExtraCaCertificates), m_caFile->text().trimmed()},
            {QString::fromLatin1(Settings::kAllowInsecureUrls), m_insecure->isChecked() ? QStringLiteral("true") : QStringLiteral("false")},
            {QString::fromLatin1(Settings::kAllowPrivateAddresses), m_private->isChecked() ? QStringLiteral("true") : QStringLiteral("false")},
            {QString::fromLatin1(Settings::kAlertFailuresInRow), QString::number(m_alertInRow->value())},
            {QString::fromLatin1(Settings::kAlertSuccessRatePercent), QString::number(m_alertRate->value())},
            {QString::fromLatin1(Settings::kAlertEventsWebhook), m_alertEvents->currentData().toString()}};
}

void SettingsDialog::accept()
{
    const auto database = m_database->text().trimmed();
    const bool postgres = Installation::isPostgresUrl(database);
    if (!postgres && database.contains(QLatin1StringView("://"))) {
        m_problem->setText(tr("The database is a file path or a postgresql:// URL."));
        return;
    }
    const auto v = values();
    m_problem->setText(postgres ? tr("Connecting to %1…").arg(QUrl(database).toString(QUrl::RemovePassword)) : QString());
    m_context.db().run<Result<QString>>(
        [v, database, postgres](QSqlDatabase db) -> Result<QString> {
            // A PostgreSQL URL is tried before it is kept (on the database
            // thread: a server that does not answer never stalls the window),
            // and its password goes to the keychain, not the settings file.
            QString kept = database;
            if (postgres) {
                if (auto s = Installation::tryConnect(database); !s)
                    return s.error();
                auto withoutPassword = Installation::keepPassword(database);
                if (!withoutPassword)
                    return withoutPassword.error();
                kept = *withoutPassword;
            }
            if (auto s = Settings(db).setValues(v); !s)
                return s.error();
            return kept;
        },
        this,
        [this](Result<QString> kept) {
            if (!kept) {
                m_problem->setText(kept.error().message);
                return;
            }
            QSettings().setValue(QStringLiteral("database"), *kept);
            QSettings().setValue(QStringLiteral("language"), m_language->currentData().toString());
            QSettings().setValue(QString::fromLatin1(TrayIcon::kCloseToTrayKey), m_closeToTray->isChecked());
            QDialog::accept();
        });
}

} // namespace hookline
