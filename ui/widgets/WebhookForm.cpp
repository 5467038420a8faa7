#include "WebhookForm.h"

#include "AppContext.h"
#include "Theme.h"
#include "engine/Transformer.h"
#include "net/AddressPolicy.h"
#include "service/EventService.h"
#include "service/WebhookService.h"
#include "signing/SchemeDescriptor.h"
#include "widgets/DurationEdit.h"
#include "widgets/EventTypeTree.h"
#include "widgets/HeadersEditor.h"
#include "widgets/RetryTimeline.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace hookline {

namespace {
enum Strategy { ExponentialStrategy, FixedStrategy, ScheduleStrategy };

QLabel *problemLabel(const QString &purpose)
{
    auto *label = new QLabel;
    label->setWordWrap(true);
    label->setAccessibleDescription(purpose);
    label->setTextFormat(Qt::PlainText);
    label->hide();
    return label;
}

// The same subscriptions, whatever their order (the tree lists them its own way).
bool sameSubscriptions(QStringList a, QStringList b)
{
    a.sort();
    b.sort();
    return a == b;
}

void showProblem(QLabel *label, const QString &text)
{
    label->setText(text);
    // Hidden when empty, unless it holds its place in a row of buttons.
    label->setVisible(!text.isEmpty() || label->property("keepPlace").toBool());
    Theme::setTone(label, Theme::Tone::Error);
}

template <typename W>
W *named(W *widget, const QString &name, const QString &description = {})
{
    widget->setAccessibleName(name);
    if (!description.isEmpty()) {
        widget->setAccessibleDescription(description);
        widget->setToolTip(description);
    }
    return widget;
}
} // namespace

WebhookForm::WebhookForm(AppContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
{
    buildUi();
    newWebhook();
}

void WebhookForm::buildUi()
{
    auto *inner = new QWidget;
    auto *column = new QVBoxLayout(inner);

    auto *general = new QGroupBox(tr("General"));
    auto *form = new QFormLayout(general);
    m_name = named(new QLineEdit, tr("Name"), tr("A name to recognise the webhook by; defaults to the URL's host"));
    m_url = named(new QLineEdit, tr("URL"), tr("The receiver's endpoint: https:// and a public address unless the installation allows otherwise"));
    m_url->setPlaceholderText(QStringLiteral("https://example.com/webhooks"));
    // Labels whose text changes keep no fixed accessible name: in Qt 6.4 it
    // would replace their text for AT-SPI (and QLabel would no longer announce
    // a new text). Their purpose is the description.
    m_urlHint = problemLabel(tr("URL check"));
    m_generalProblem = problemLabel(tr("General settings problem"));
    m_description = named(new QLineEdit, tr("Description"));
    m_scheme = named(new QComboBox, tr("Signing scheme"), tr("How deliveries are signed; pick what the receiver verifies"));
    for (const SchemeDescriptor &d : SchemeDescriptor::all()) {
        m_scheme->addItem(QCoreApplication::translate(SchemeDescriptor::kTranslationContext, d.label), d.name.toString());
        m_scheme->setItemData(m_scheme->count() - 1, QCoreApplication::translate(SchemeDescriptor::kTranslationContext, d.help), Qt::ToolTipRole);
    }
    m_active = named(new QCheckBox(tr("Active")), tr("Active"), tr("Inactive webhooks receive nothing"));
    m_tenant = named(new QLineEdit, tr("Tenant"));
    auto *nameLabel = new QLabel(tr("&Name:"));
    nameLabel->setBuddy(m_name);
    auto *urlLabel = new QLabel(tr("&URL:"));
    urlLabel->setBuddy(m_url);
    auto *descriptionLabel = new QLabel(tr("&Description:"));
    descriptionLabel->setBuddy(m_description);
    auto *schemeLabel = new QLabel(tr("Si&gning:"));
    schemeLabel->setBuddy(m_scheme);
    auto *tenantLabel = new QLabel(tr("Ten&ant:"));
    tenantLabel->setBuddy(m_tenant);
    form->addRow(nameLabel, m_name);
    form->addRow(urlLabel, m_url);
    form->addRow(QString(), m_urlHint);
    form->addRow(descriptionLabel, m_description);
    form->addRow(schemeLabel, m_scheme);
    form->addRow(tenantLabel, m_tenant);
    form->addRow(QString(), m_active);
    form->addRow(QString(), m_generalProblem);
    column->addWidget(general);

    auto *events = new QGroupBox(tr("Events"));
    auto *eventsLayout = new QVBoxLayout(events);
    m_events = new EventTypeTree;
    m_events->setMinimumHeight(220);
    eventsLayout->addWidget(m_events);
    m_eventsProblem = problemLabel(tr("Events problem"));
    eventsLayout->addWidget(m_eventsProblem);
    column->addWidget(events);

    auto *headers = new QGroupBox(tr("Custom headers"));
    auto *headersLayout = new QVBoxLayout(headers);
    m_headers = new HeadersEditor;
    m_headers->setMinimumHeight(120);
    headersLayout->addWidget(m_headers);
    column->addWidget(headers);

    auto *retries = new QGroupBox(tr("Retries"));
    auto *retryForm = new QFormLayout;
    m_maxRetries = named(new QSpinBox, tr("Maximum retries"));
    m_maxRetries->setRange(0, RetryPolicy::kMaxRetries);
    m_delay = named(new DurationEdit, tr("First retry delay"), tr("Type a number and a unit, such as 30 s, 5 min or 2 h"));
    m_delay->setRange(RetryPolicy::kMinDelaySeconds, RetryPolicy::kMaxDelaySeconds);
    m_strategy = named(new QComboBox, tr("Backoff strategy"));
    m_strategy->addItems({tr("Exponential (delay × 2ⁿ)"), tr("Fixed delay"), tr("Explicit schedule")});
    m_schedule = named(new QLineEdit, tr("Retry schedule"), tr("Delays in seconds between attempts, comma-separated, e.g. 60, 300, 1800, 7200"));
    m_jitter
        = named(new QDoubleSpinBox, tr("Jitter"), tr("Spread each delay randomly by up to this share, so that retries do not arrive all at once"));
    m_jitter->setRange(0, 100);
    m_jitter->setSuffix(QStringLiteral(" %"));
    m_autoDisable = named(new QSpinBox, tr("Auto-disable after"), tr("Deactivate the webhook after this many deliveries in a row fail; 0 never"));
    m_autoDisable->setRange(0, RetryPolicy::kMaxAutoDisableAfter);
    m_autoDisable->setSpecialValueText(tr("Never"));
    m_retention
        = named(new QSpinBox, tr("Deliveries kept"), tr("Newest deliveries kept in the history of this webhook; 0 uses the installation's setting"));
    m_retention->setRange(0, 10000000);
    m_retention->setSpecialValueText(tr("Installation default"));
    m_maxInFlight = named(new QSpinBox, tr("Parallel requests"),
                          tr("How many requests the engine may have in flight to this webhook at once; 0 uses the installation's setting"));
    m_maxInFlight->setRange(0, WebhookValidator::kMaxInFlight);
    m_maxInFlight->setSpecialValueText(tr("Installation default"));
    const QList<QPair<QString, QWidget *>> rows{{tr("Ma&x retries:"), m_maxRetries},
                                                {tr("De&lay:"), m_delay},
                                                {tr("&Backoff:"), m_strategy},
                                                {tr("Schedule:"), m_schedule},
                                                {tr("&Jitter:"), m_jitter},
                                                {tr("Aut&o-disable after:"), m_autoDisable},
                                                {tr("&Keep deliveries:"), m_retention},
                                                {tr("Parallel re&quests:"), m_maxInFlight}};
    for (const auto &[text, widget] : rows) {
        auto *label = new QLabel(text);
        label->setBuddy(widget);
        retryForm->addRow(label, widget);
    }
    m_timeline = new RetryTimeline;
    m_timeline->setMinimumHeight(140);
    auto *retryRow = new QHBoxLayout;
    retryRow->addLayout(retryForm);
    retryRow->addWidget(m_timeline, 1);
    m_retryProblem = problemLabel(tr("Retries problem"));
    auto *retryLayout = new QVBoxLayout(retries);
    retryLayout->addLayout(retryRow);
    retryLayout->addWidget(m_retryProblem);
    column->addWidget(retries);

    auto *transform = new QGroupBox(tr("Transformation"));
    auto *transformLayout = new QVBoxLayout(transform);
    auto *transformLabel
        = new QLabel(tr("JavaScript body of a function of payload that returns the object to send (e&mpty: send the event as it is):"));
    transformLabel->setWordWrap(true);
    m_transform = named(new QPlainTextEdit, tr("Transformation script"));
    m_transform->setPlaceholderText(QStringLiteral("return {\n  ...payload,\n  custom_field: 'value'\n};"));
    m_transform->setTabChangesFocus(true);
    m_transform->setMinimumHeight(90);
    transformLabel->setBuddy(m_transform);
    m_previewType = named(new QComboBox, tr("Preview event type"));
    m_previewButton
        = named(new QPushButton(tr("Preview")), tr("Preview transformation"), tr("Run the script on the sample payload of the chosen event type"));
    m_previewOutput = named(new QPlainTextEdit, tr("Preview result"));
    m_previewOutput->setReadOnly(true);
    m_previewOutput->setMaximumHeight(110);
    auto *previewRow = new QHBoxLayout;
    auto *previewLabel = new QLabel(tr("Sam&ple event:"));
    previewLabel->setBuddy(m_previewType);
    previewRow->addWidget(previewLabel);
    previewRow->addWidget(m_previewType, 1);
    previewRow->addWidget(m_previewButton);
    transformLayout->addWidget(transformLabel);
    transformLayout->addWidget(m_transform);
    transformLayout->addLayout(previewRow);
    transformLayout->addWidget(m_previewOutput);
    m_transformProblem = problemLabel(tr("Transformation problem"));
    transformLayout->addWidget(m_transformProblem);
    column->addWidget(transform);
    column->addStretch();

    auto *scroll = new QScrollArea;
    scroll->setWidget(inner);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setFocusPolicy(Qt::NoFocus); // the fields inside take focus, not the viewport

    m_problem = problemLabel(tr("Form problem"));
    m_problem->setProperty("keepPlace", true);
    m_problem->show();
    m_save = named(new QPushButton(tr("Sa&ve")), tr("Save webhook"));
    m_save->setDefault(true);
    m_revert = named(new QPushButton(tr("Revert")), tr("Revert changes"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_problem, 1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_save);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);

    // Each edit marks its section as touched (loading a webhook does not).
    const auto changedIn = [this](Section section) {
        return [this, section] {
            if (!m_loading)
                touch(section);
            updateState();
        };
    };
    for (auto *edit : {m_name, m_url, m_description, m_tenant})
        connect(edit, &QLineEdit::textChanged, this, changedIn(Section::General));
    connect(m_schedule, &QLineEdit::textChanged, this, changedIn(Section::Retries));
    connect(m_scheme, &QComboBox::currentIndexChanged, this, changedIn(Section::General));
    connect(m_strategy, &QComboBox::currentIndexChanged, this, changedIn(Section::Retries));
    connect(m_active, &QCheckBox::toggled, this, changedIn(Section::General));
    for (auto *spin : {m_maxRetries, m_autoDisable, m_retention, m_maxInFlight})
        connect(spin, &QSpinBox::valueChanged, this, changedIn(Section::Retries));
    connect(m_jitter, &QDoubleSpinBox::valueChanged, this, changedIn(Section::Retries));
    connect(m_delay, &DurationEdit::secondsChanged, this, changedIn(Section::Retries));
    connect(m_transform, &QPlainTextEdit::textChanged, this, changedIn(Section::Transform));
    connect(m_events, &EventTypeTree::changed, this, changedIn(Section::Events));
    connect(m_headers, &HeadersEditor::changed, this, changedIn(Section::Headers));
    connect(m_save, &QPushButton::clicked, this, &WebhookForm::save);
    connect(m_revert, &QPushButton::clicked, this, &WebhookForm::revert);
    connect(m_previewButton, &QPushButton::clicked, this, &WebhookForm::preview);
}

void WebhookForm::setCatalog(const QList<EventType> &types)
{
    // A reload of the catalog (Settings saved, Refresh) keeps the events the
    // user ticked and has not saved yet; an untouched selection is the
    // webhook's, shown again against the new catalog.
    const bool edited = !sameSubscriptions(m_events->patterns(), m_shown.events);
    m_catalog = types;
    m_loading = true;
    m_events->setCatalog(types);
    const auto current = m_previewType->currentText();
    m_previewType->clear();
    for (const auto &t : types)
        m_previewType->addItem(t.name);
    m_previewType->setCurrentText(current);
    if (!edited) {
        m_events->setPatterns(m_original.events);
        m_shown.events = m_events->patterns();
    }
    m_loading = false;
    updateState();
}

void WebhookForm::setValidationContext(const WebhookValidator::Context &context)
{
    m_validation = context;
    m_headers->setHeaderPrefix(context.headerPrefix);
    updateState();
}

void WebhookForm::newWebhook()
{
    Webhook w;
    w.active = true;
    setWebhook(w);
}

void WebhookForm::setWebhook(const Webhook &w)
{
    m_loading = true;
    m_original = w;
    m_touched = 0;
    m_showAllProblems = false;
    m_name->setText(w.name);
    m_url->setText(w.url);
    m_description->setText(w.description);
    m_scheme->setCurrentIndex(std::max(0, m_scheme->findData(schemeName(w.scheme))));
    m_active->setChecked(w.active);
    m_tenant->setText(w.tenantId);
    m_tenant->setReadOnly(!w.id.isEmpty());
    m_events->setPatterns(w.events);
    m_headers->setHeaders(w.headers);
    m_maxRetries->setValue(w.retry.retryCount());
    m_delay->setSeconds(w.retry.retryDelaySeconds);
    m_strategy->setCurrentIndex(!w.retry.schedule.isEmpty() ? ScheduleStrategy
                                                            : (w.retry.backoff == BackoffStrategy::Fixed ? FixedStrategy : ExponentialStrategy));
    QStringList schedule;
    for (double d : w.retry.schedule)
        schedule << QString::number(d);
    m_schedule->setText(schedule.join(QStringLiteral(", ")));
    m_jitter->setValue(w.retry.jitter * 100);
    m_autoDisable->setValue(w.retry.autoDisableAfter);
    m_retention->setValue(w.retention.value_or(0));
    m_maxInFlight->setValue(w.maxInFlight.value_or(0));
    m_transform->setPlainText(w.transform);
    m_previewOutput->clear();
    m_loading = false;
    m_shown = webhook();
    updateState();
}

RetryPolicy WebhookForm::policy() const
{
    RetryPolicy p;
    p.maxRetries = m_maxRetries->value();
    p.retryDelaySeconds = m_delay->seconds();
    p.backoff = m_strategy->currentIndex() == FixedStrategy ? BackoffStrategy::Fixed : BackoffStrategy::Exponential;
    if (m_strategy->currentIndex() == ScheduleStrategy) {
        for (const auto &part : m_schedule->text().split(u',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const double d = part.trimmed().toDouble(&ok);
            p.schedule << (ok ? d : -1.0);
        }
        p.maxRetries = int(p.schedule.size());
    }
    p.jitter = m_jitter->value() / 100.0;
    p.autoDisableAfter = m_autoDisable->value();
    return p;
}

Webhook WebhookForm::webhook() const
{
    Webhook w = m_original;
    w.name = m_name->text().trimmed();
    w.url = m_url->text().trimmed();
    w.description = m_description->text();
    w.scheme = schemeFromName(m_scheme->currentData().toString()).value_or(Scheme::Standard);
    w.active = m_active->isChecked();
    w.tenantId = m_tenant->text().trimmed().isEmpty() ? QStringLiteral("default") : m_tenant->text().trimmed();
    w.events = m_events->patterns();
    w.headers = m_headers->headers();
    w.retry = policy();
    w.retention = m_retention->value() > 0 ? std::optional<int>(m_retention->value()) : std::nullopt;
    w.maxInFlight = m_maxInFlight->value() > 0 ? std::optional<int>(m_maxInFlight->value()) : std::nullopt;
    w.transform = m_transform->toPlainText().trimmed().isEmpty() ? QString() : m_transform->toPlainText();
    return w;
}

bool WebhookForm::isDirty() const
{
    // Against the form as it showed the webhook when loaded, not the stored
    // webhook: spin boxes round (a 0.12345 jitter shows as 12.35 %) and the
    // tree orders subscriptions its own way, and neither is an edit.
    const auto now = webhook();
    const auto &o = m_shown;
    return now.name != o.name || now.url != o.url || now.description != o.description || now.scheme != o.scheme || now.active != o.active
           || now.tenantId != o.tenantId || !sameSubscriptions(now.events, o.events) || now.headers != o.headers || now.retry != o.retry
           || now.retention != o.retention || now.maxInFlight != o.maxInFlight || now.transform != o.transform;
}

namespace {
constexpr auto kPlaceholderSecret = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"; // a new webhook gets a generated one
} // namespace

QList<Error> WebhookForm::problems() const
{
    // Every section's first problem at once: Save marks them all, not one
    // per press.
    auto w = webhook();
    if (w.secret.isEmpty())
        w.secret = QString::fromLatin1(kPlaceholderSecret);
    const WebhookValidator validator(m_validation);
    QList<Error> out;
    const auto add = [&out](const Status &s) {
        if (!s)
            out << s.error();
    };
    add(validator.validateUrl(w.url));
    auto events = w.events;
    add(validator.validateEvents(events));
    add(validator.validateHeaders(w.headers));
    add(WebhookValidator::validateRetry(w.retry));
    // The rest (name, description, retention, script): the whole check, with
    // the parts above replaced by values known to pass.
    Webhook rest = w;
    rest.url = QStringLiteral("https://example.com/");
    rest.events = {QStringLiteral("*")};
    rest.headers.clear();
    rest.retry = RetryPolicy{};
    add(validator.validate(rest));
    return out;
}

QString WebhookForm::sentence(const Error &e) const
{
    // A sentence for a person, not the validator's "field: reason".
    auto why = e.field.isEmpty() || !e.message.startsWith(e.field + QStringLiteral(": ")) ? e.message : e.message.mid(e.field.size() + 2);
    if (e.field == u"url" && m_url->text().trimmed().isEmpty())
        return tr("Enter the receiver's URL, such as https://example.com/webhooks.");
    if (e.field == u"events")
        return tr("Choose at least one event type, a whole group, or all events.");
    static const QHash<QString, const char *> subjects{
        {QStringLiteral("url"), QT_TR_NOOP("The URL")},
        {QStringLiteral("name"), QT_TR_NOOP("The name")},
        {QStringLiteral("description"), QT_TR_NOOP("The description")},
        {QStringLiteral("maxRetries"), QT_TR_NOOP("The number of retries")},
        {QStringLiteral("retryDelaySeconds"), QT_TR_NOOP("The retry delay")},
        {QStringLiteral("schedule"), QT_TR_NOOP("The retry schedule")},
        {QStringLiteral("jitter"), QT_TR_NOOP("The jitter")},
        {QStringLiteral("autoDisableAfter"), QT_TR_NOOP("Auto-disable")},
        {QStringLiteral("retention"), QT_TR_NOOP("The number of deliveries kept")},
        {QStringLiteral("maxInFlight"), QT_TR_NOOP("The number of parallel requests")},
        {QStringLiteral("transform"), QT_TR_NOOP("The script")},
    };
    const auto subject = subjects.value(e.field);
    // The validator's reasons start with a verb ("must start with https://"):
    // the field's name in front makes them a sentence, in either language.
    const QStringList verbs{tr("is ", "how a validation reason may start"), tr("must ", "how a validation reason may start"),
                            tr("has ", "how a validation reason may start"), tr("contains ", "how a validation reason may start")};
    if (subject && std::any_of(verbs.cbegin(), verbs.cend(), [&why](const QString &verb) { return why.startsWith(verb); }))
        why = tr(subject) + u' ' + why;
    if (!why.isEmpty())
        why[0] = why.at(0).toUpper();
    if (!why.endsWith(u'.') && !why.endsWith(u')'))
        why += u'.';
    return why;
}

QString WebhookForm::problem() const
{
    const auto all = problems();
    return all.isEmpty() ? QString() : sentence(all.constFirst());
}

QString WebhookForm::problemField() const
{
    const auto all = problems();
    return all.isEmpty() ? QString() : all.constFirst().field;
}

WebhookForm::Section WebhookForm::sectionOf(const QString &field)
{
    if (field == u"events")
        return Section::Events;
    if (field == u"headers")
        return Section::Headers;
    if (field == u"transform")
        return Section::Transform;
    if (field == u"maxRetries" || field == u"retryDelaySeconds" || field == u"schedule" || field == u"jitter" || field == u"autoDisableAfter"
        || field == u"retention" || field == u"maxInFlight")
        return Section::Retries;
    return Section::General;
}

QLabel *WebhookForm::problemLabelFor(const QString &field) const
{
    if (field == u"url")
        return m_urlHint;
    switch (sectionOf(field)) {
    case Section::Events: return m_eventsProblem;
    case Section::Retries: return m_retryProblem;
    case Section::Transform: return m_transformProblem;
    case Section::Headers: return nullptr; // the headers table flags its own rows
    case Section::General: break;
    }
    return m_generalProblem;
}

QWidget *WebhookForm::focusTargetFor(const QString &field) const
{
    const QHash<QString, QWidget *> targets{
        {QStringLiteral("url"), m_url},
        {QStringLiteral("name"), m_name},
        {QStringLiteral("description"), m_description},
        {QStringLiteral("events"), m_events->allEvents()},
        {QStringLiteral("headers"), m_headers},
        {QStringLiteral("transform"), m_transform},
        {QStringLiteral("schedule"), m_schedule},
        {QStringLiteral("jitter"), m_jitter},
        {QStringLiteral("autoDisableAfter"), m_autoDisable},
        {QStringLiteral("retention"), m_retention},
        {QStringLiteral("maxInFlight"), m_maxInFlight},
        {QStringLiteral("retryDelaySeconds"), m_delay},
    };
    return targets.value(field, m_maxRetries);
}

void WebhookForm::touch(Section section)
{
    m_touched |= 1u << unsigned(section);
}

QString WebhookForm::urlRule() const
{
    // What this installation accepts, before anything is typed.
    if (m_validation.allowInsecureUrls && m_validation.allowPrivateAddresses)
        return tr("Deliveries go to https:// or http:// URLs; this installation also allows private addresses.");
    if (m_validation.allowInsecureUrls)
        return tr("Deliveries go to https:// or http:// URLs on public addresses.");
    if (m_validation.allowPrivateAddresses)
        return tr("Deliveries go to https:// URLs; this installation also allows private addresses.");
    return tr("Deliveries go to https:// URLs on public addresses.");
}

QString WebhookForm::urlNote() const
{
    // What will really happen to a valid URL, in words.
    const QUrl url(m_url->text().trimmed());
    if (m_validation.allowPrivateAddresses) {
        if (const auto why = AddressPolicy::whyForbiddenHost(url.host()))
            return tr("⚠ %1 is a %2 address: allowed by this installation's settings, for development only.")
                .arg(url.host(), AddressPolicy::translatedReason(*why));
        if (url.scheme() == u"http")
            return tr("⚠ Plain http:// is allowed by this installation's settings, for development only. The host is "
                      "resolved again before every delivery.");
        return tr("✓ Looks good. The host is resolved again before every delivery.");
    }
    if (url.scheme() == u"http")
        return tr("⚠ Plain http:// is allowed by this installation's settings, for development only. The host is resolved "
                  "again before every delivery and refused if it points to a private address.");
    return tr("✓ Looks good. The host is resolved again before every delivery and refused if it points to a private address.");
}

void WebhookForm::updateState()
{
    if (m_loading)
        return;
    m_schedule->setEnabled(m_strategy->currentIndex() == ScheduleStrategy);
    m_maxRetries->setEnabled(m_strategy->currentIndex() != ScheduleStrategy);
    m_delay->setEnabled(m_strategy->currentIndex() != ScheduleStrategy);
    m_timeline->setPolicy(policy());

    // Each problem once, beside its field, once its section was edited or
    // Save pressed; every section shows its own first problem.
    const auto all = problems();
    const auto why = all.isEmpty() ? QString() : sentence(all.constFirst());
    QHash<QLabel *, QString> shown;
    for (const auto &e : all) {
        auto *label = problemLabelFor(e.field);
        if (label && !shown.contains(label) && (m_showAllProblems || (m_touched & (1u << unsigned(sectionOf(e.field))))))
            shown.insert(label, sentence(e));
    }
    for (auto *label : {m_generalProblem, m_eventsProblem, m_retryProblem, m_transformProblem})
        showProblem(label, shown.value(label));

    // The URL line always says something: the problem, or what will happen.
    const bool urlRefused = std::any_of(all.cbegin(), all.cend(), [](const Error &e) { return e.field == u"url"; });
    if (shown.contains(m_urlHint)) {
        m_urlHint->setText(QStringLiteral("✗ ") + shown.value(m_urlHint));
        Theme::setTone(m_urlHint, Theme::Tone::Error);
    } else if (urlRefused) {
        m_urlHint->setText(urlRule());
        Theme::setTone(m_urlHint, Theme::Tone::Muted);
    } else {
        const auto note = urlNote();
        m_urlHint->setText(note);
        Theme::setTone(m_urlHint, note.startsWith(u'⚠') ? Theme::Tone::Warning : Theme::Tone::Success);
    }
    m_urlHint->show();

    const bool dirty = isDirty();
    m_save->setEnabled((dirty || isNew()) && !m_saving);
    m_save->setToolTip(why.isEmpty() ? QString() : tr("Save shows what needs fixing first"));
    m_revert->setEnabled(dirty);
    if (why.isEmpty() || !m_showAllProblems)
        showProblem(m_problem, m_saveError);
    else
        showProblem(m_problem, tr("Not saved: %n problems are marked above.", nullptr, int(shown.size())));
    Q_EMIT dirtyChanged(dirty);
}

void WebhookForm::save()
{
    if (m_saving)
        return;
    m_saveError.clear();
    if (const auto field = problemField(); !field.isEmpty()) {
        // Show every problem where it is, and go to the first.
        m_showAllProblems = true;
        m_problem->clear(); // said again, so a screen reader hears it again
        updateState();
        if (auto *target = focusTargetFor(field))
            target->setFocus(Qt::OtherFocusReason);
        return;
    }
    m_saving = true;
    m_save->setEnabled(false);
    const auto w = webhook();
    const bool creating = isNew();
    m_context.db().run<Result<Webhook>>(
        [w, creating](QSqlDatabase db) { return creating ? WebhookService(db).create(w) : WebhookService(db).update(w); }, this,
        [this](Result<Webhook> result) {
            m_saving = false;
            if (!result) {
                m_saveError = tr("Not saved: %1").arg(result.error().message);
                updateState();
                return;
            }
            setWebhook(*result);
            m_context.notifyWebhooksChanged();
            Q_EMIT saved(result->id);
        });
}

void WebhookForm::revert()
{
    setWebhook(m_original);
}

void WebhookForm::preview()
{
    const auto script = m_transform->toPlainText();
    const auto typeName = m_previewType->currentText();
    QByteArray sample = QByteArrayLiteral("{}");
    for (const auto &t : std::as_const(m_catalog)) {
        if (t.name == typeName)
            sample = t.samplePayload;
    }
    const auto tenant = webhook().tenantId;
    m_previewOutput->setPlainText(tr("Running…"));
    // The engine's own transformer, on the database thread: the window stays free.
    m_context.db().run<QString>(
        [script, typeName, sample, tenant](QSqlDatabase) {
            const auto body = EventService::envelope(QStringLiteral("evt_preview"), typeName, QDateTime::currentDateTimeUtc(), tenant, sample);
            if (script.trimmed().isEmpty())
                return QString::fromUtf8(body);
            Transformer transformer;
            const auto out = transformer.apply(QStringLiteral("preview"), script, body);
            return out.ok() ? QString::fromUtf8(out.body) : tr("Error: %1").arg(out.error);
        },
        this, [this](QString text) { m_previewOutput->setPlainText(text); });
}

} // namespace hookline
