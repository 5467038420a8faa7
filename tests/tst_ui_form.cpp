// Tests for ui/widgets: the webhook form's validation (Save only when valid,
// the URL hint, reserved headers flagged in place, dirty state and Revert,
// saving through the executor), the event checkbox tree (tristate groups,
// group.* patterns, "All events") and the retry timeline preview.

#include "AppContext.h"
#include "model/EventType.h"
#include "service/CatalogService.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "signing/SchemeDescriptor.h"
#include "support/WidgetLookup.h"
#include "support/WindowFixture.h"
#include "widgets/EventTypeTree.h"
#include "widgets/HeadersEditor.h"
#include "widgets/RetryTimeline.h"
#include "widgets/WebhookForm.h"

#include <QAccessible>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTranslator>
#include <QVBoxLayout>
#include <QtTest>

#include <memory>

using namespace hookline;
using hookline::test::byAccessibleDescription;
using hookline::test::byAccessibleName;
using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeout = 10000;

} // namespace

class TestUiForm : public QObject {
    Q_OBJECT

private:
    test::WindowFixture m_app;
    QList<EventType> m_types;
    WebhookValidator::Context m_validation;

    // A form as the main window sets it up: catalog and validation context loaded.
    std::unique_ptr<WebhookForm> makeForm(const WebhookValidator::Context &validation)
    {
        auto form = std::make_unique<WebhookForm>(m_app.context());
        form->setValidationContext(validation);
        form->setCatalog(m_types);
        return form;
    }
    Webhook createWebhook(Webhook w);

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void untouchedFormShowsNoError();
    void saveShowsEachProblemOnceBesideItsField();
    void problemShowsOnceItsSectionWasEdited();
    void saveEnabledOnceUrlAndEventsValid();
    void catalogReloadKeepsUnsavedSelection();
    void urlHintExplains_data();
    void urlHintExplains();
    void reservedHeaderFlaggedInline_data();
    void reservedHeaderFlaggedInline();
    void onlyTheOffendingHeaderRowIsFlagged();
    void dirtyAndRevert();
    void loadedWebhookIsNotDirty_data();
    void loadedWebhookIsNotDirty();
    void saveCreatesWebhook();
    void timelinePreviewFollowsForm();
    void schemePickerListsTheTable_data();
    void schemePickerListsTheTable();
    void schemePickerInFrench_data();
    void schemePickerInFrench();

    void treeNeverOffersTestEvent();
    void treeGroupsFromPatterns();
    void treeCheckingEveryChildGivesGroupPattern();
    void treeAllEvents();
    void treeBoxesAreAccessibleCheckBoxes();
    void treeKeyboard();

    void timelineSteps_data();
    void timelineSteps();
    void timelineJitterRanges();
    void timelineMentionsAutoDisable();
};

void TestUiForm::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const auto opened = m_app.open(u"form.db"_s);
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    {
        auto db = m_app.connection();
        auto types = CatalogService(db).list();
        QVERIFY(types);
        m_types = *types;
        auto validation = WebhookService(db).validationContext();
        QVERIFY(validation);
        m_validation = *validation;
        QVERIFY(m_validation.allowInsecureUrls && m_validation.allowPrivateAddresses);
    }
    m_app.start();
}

void TestUiForm::cleanupTestCase()
{
    m_app.close();
}

Webhook TestUiForm::createWebhook(Webhook w)
{
    Result<Webhook> created = Error::database(u"not run"_s);
    QEventLoop loop;
    const auto job = [w](QSqlDatabase db) { return WebhookService(db).create(w); };
    m_app.context().db().run<Result<Webhook>>(job, this, [&](Result<Webhook> r) {
        created = std::move(r);
        loop.quit();
    });
    QTimer::singleShot(kTimeout, &loop, &QEventLoop::quit);
    loop.exec();
    if (!created)
        qWarning() << "create:" << created.error().message;
    return created ? *created : Webhook{};
}

// ---------------------------------------------------------------- form

// Every problem label of the form that shows text now.
static QStringList visibleProblems(WebhookForm *form)
{
    QStringList out;
    for (auto *label : form->findChildren<QLabel *>()) {
        if (label->isVisibleTo(form) && !label->text().isEmpty()
            && (label->accessibleDescription().endsWith(u"problem"_s) || label == form->urlHint())
            && label->text().startsWith(u"✗"_s) == (label == form->urlHint()))
            out << label->text();
    }
    return out;
}

void TestUiForm::untouchedFormShowsNoError()
{
    auto form = makeForm(m_validation);
    form->show();
    QVERIFY(QTest::qWaitForWindowExposed(form.get()));
    QVERIFY(form->isNew());
    QVERIFY(!form->problem().isEmpty()); // it cannot be saved as it is...
    // ...but nothing was typed yet: no red text, no "url: is required".
    QVERIFY2(visibleProblems(form.get()).isEmpty(), qPrintable(visibleProblems(form.get()).join(u" | "_s)));
    QVERIFY2(!form->urlHint()->text().startsWith(u"✗"_s), qPrintable(form->urlHint()->text()));
    QVERIFY(form->formProblem()->text().isEmpty());
    for (auto *label : form->findChildren<QLabel *>())
        QVERIFY2(!label->text().contains(u"url:"_s), qPrintable(label->text()));
    QVERIFY(form->events()->patterns().isEmpty());
}

void TestUiForm::saveShowsEachProblemOnceBesideItsField()
{
    auto form = makeForm(m_validation);
    form->show();
    QVERIFY(QTest::qWaitForWindowExposed(form.get()));
    QVERIFY(form->saveButton()->isEnabled()); // pressing it explains what is missing
    QSignalSpy saved(form.get(), &WebhookForm::saved);
    QTest::mouseClick(form->saveButton(), Qt::LeftButton);
    QTest::qWait(100);
    QCOMPARE(saved.size(), 0);
    // In words, once, under the URL field, which gets the focus.
    const auto hint = form->urlHint()->text();
    QVERIFY2(hint.contains(u"Enter the receiver's URL"_s), qPrintable(hint));
    QVERIFY2(!hint.contains(u"url:"_s) && !hint.contains(u"is required"_s), qPrintable(hint));
    int times = 0;
    for (auto *label : form->findChildren<QLabel *>())
        times += label->isVisibleTo(form.get()) && label->text().contains(u"Enter the receiver's URL"_s);
    QCOMPARE(times, 1);
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(form->urlEdit()));
    QVERIFY2(form->formProblem()->text().startsWith(u"Not saved"_s), qPrintable(form->formProblem()->text()));
    // Every section's problem at once, not one per press: the events too.
    QVERIFY2(form->eventsProblem()->isVisibleTo(form.get()), "Save marked the URL only");
    QVERIFY2(form->formProblem()->text().contains(u"2 problems"_s), qPrintable(form->formProblem()->text()));

    // The URL typed: the next problem, the events, shows beside the events.
    QTest::keyClicks(form->urlEdit(), u"http://127.0.0.1:9/hook"_s);
    QVERIFY2(form->urlHint()->text().startsWith(u"⚠"_s), qPrintable(form->urlHint()->text())); // loopback, allowed here
    QVERIFY2(form->eventsProblem()->isVisibleTo(form.get()), "no events problem shown");
    QVERIFY2(form->eventsProblem()->text().contains(u"Choose at least one event type"_s), qPrintable(form->eventsProblem()->text()));
    QCOMPARE(form->problemField(), u"events"_s);
    QCOMPARE(form->problemLabelFor(u"events"_s), form->eventsProblem());
}

void TestUiForm::problemShowsOnceItsSectionWasEdited()
{
    auto form = makeForm(m_validation);
    form->show();
    QVERIFY(QTest::qWaitForWindowExposed(form.get()));
    // A URL typed, no event yet: the events were not touched, so no complaint about them.
    QTest::keyClicks(form->urlEdit(), u"http://127.0.0.1:9/hook"_s);
    QCOMPARE(form->problemField(), u"events"_s);
    QVERIFY(!form->eventsProblem()->isVisibleTo(form.get()));
    // Ticking and unticking one is an edit: now it says so, in words.
    form->events()->typeBox(u"lead.created"_s)->setChecked(true);
    QVERIFY(form->problem().isEmpty());
    form->events()->typeBox(u"lead.created"_s)->setChecked(false);
    QVERIFY(form->eventsProblem()->isVisibleTo(form.get()));
    QVERIFY2(!form->eventsProblem()->text().startsWith(u"events:"_s), qPrintable(form->eventsProblem()->text()));
    // A bad URL typed: said under the URL, as a sentence, without the raw key.
    form->urlEdit()->setText(u"ftp://example.com/in"_s);
    QVERIFY2(form->urlHint()->text().startsWith(u"✗ The URL must start with https://"_s), qPrintable(form->urlHint()->text()));
}

void TestUiForm::saveEnabledOnceUrlAndEventsValid()
{
    auto form = makeForm(m_validation);
    form->show();
    QVERIFY(QTest::qWaitForWindowExposed(form.get()));
    QTest::keyClicks(form->urlEdit(), u"http://127.0.0.1:9/hook"_s);
    // A URL alone is not enough: no event chosen yet.
    QVERIFY2(form->problem().contains(u"event"_s), qPrintable(form->problem()));
    QVERIFY2(form->urlHint()->text().startsWith(u"⚠"_s), qPrintable(form->urlHint()->text()));

    auto *box = form->events()->typeBox(u"lead.created"_s);
    QVERIFY(box);
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
    QVERIFY(box->isChecked());
    QVERIFY2(form->saveButton()->isEnabled(), qPrintable(form->problem()));
    QVERIFY(form->problem().isEmpty());
    QCOMPARE(form->webhook().events, QStringList{u"lead.created"_s});

    // Emptying the URL is a problem again, said beside it.
    form->urlEdit()->clear();
    QVERIFY(!form->problem().isEmpty());
    QVERIFY2(form->urlHint()->text().startsWith(u"✗"_s), qPrintable(form->urlHint()->text()));
    // "All events" is a valid choice too.
    form->urlEdit()->setText(u"https://hooks.example.com/x"_s);
    box->setChecked(false);
    QVERIFY(!form->problem().isEmpty());
    form->events()->allEvents()->setChecked(true);
    QVERIFY(form->problem().isEmpty());
    QVERIFY(form->saveButton()->isEnabled());
}

void TestUiForm::catalogReloadKeepsUnsavedSelection()
{
    auto form = makeForm(m_validation);
    form->urlEdit()->setText(u"https://hooks.example.com/new"_s);
    form->events()->typeBox(u"dossier.created"_s)->setChecked(true);
    form->events()->groupBox(u"lead"_s)->setCheckState(Qt::Checked);
    auto before = form->webhook().events;
    before.sort();
    QCOMPARE(before, (QStringList{u"dossier.created"_s, u"lead.*"_s}));
    // Settings saved or Refresh: the window loads the catalog again.
    form->setCatalog(m_types);
    form->setValidationContext(m_validation);
    auto after = form->webhook().events;
    after.sort();
    QCOMPARE(after, before);
    QVERIFY(form->isDirty() || form->isNew());

    // A stored webhook with an unsaved change keeps the change too...
    Webhook w;
    w.url = u"https://hooks.example.com/stored"_s;
    w.events = {u"lead.created"_s};
    const auto stored = createWebhook(w);
    QVERIFY(!stored.id.isEmpty());
    form->setWebhook(stored);
    form->events()->typeBox(u"lead.updated"_s)->setChecked(true);
    form->setCatalog(m_types);
    auto edited = form->webhook().events;
    edited.sort();
    QCOMPARE(edited, (QStringList{u"lead.created"_s, u"lead.updated"_s}));
    QVERIFY(form->isDirty());
    // ...and an untouched one shows what is stored.
    form->revert();
    form->setCatalog(m_types);
    QCOMPARE(form->webhook().events, QStringList{u"lead.created"_s});
    QVERIFY(!form->isDirty());
}

// clang-format off
void TestUiForm::urlHintExplains_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowInsecure");
    QTest::addColumn<bool>("allowPrivate");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QStringList>("mentions");

    QTest::newRow("ftp") << u"ftp://example.com/in"_s << true << true << false << QStringList{u"https://"_s, u"ftp"_s};
    QTest::newRow("no scheme") << u"example.com/in"_s << true << true << false << QStringList{u"https://"_s};
    QTest::newRow("http refused") << u"http://example.com/in"_s << false << false << false
                                  << QStringList{u"https://"_s, u"allowInsecureUrls"_s};
    QTest::newRow("http allowed") << u"http://example.com/in"_s << true << false << true << QStringList{u"⚠"_s, u"development only"_s};
    QTest::newRow("private refused") << u"https://10.0.0.1/in"_s << false << false << false
                                     << QStringList{u"10.0.0.1"_s, u"private"_s, u"allowPrivateAddresses"_s};
    QTest::newRow("loopback refused") << u"https://127.0.0.1/in"_s << false << false << false
                                      << QStringList{u"127.0.0.1"_s, u"allowPrivateAddresses"_s};
    QTest::newRow("localhost refused") << u"https://localhost/in"_s << false << false << false
                                       << QStringList{u"localhost"_s, u"allowPrivateAddresses"_s};
    QTest::newRow("private allowed") << u"https://10.0.0.1/in"_s << false << true << true
                                     << QStringList{u"⚠"_s, u"10.0.0.1"_s, u"allowed by this installation's settings"_s, u"development only"_s};
    QTest::newRow("metadata allowed") << u"https://169.254.169.254/latest"_s << false << true << true
                                      << QStringList{u"⚠"_s, u"169.254.169.254"_s, u"allowed by this installation's settings"_s};
    QTest::newRow("public https") << u"https://hooks.example.com/in"_s << false << false << true << QStringList{u"✓"_s};
    QTest::newRow("credentials") << u"https://user:pw@example.com/in"_s << false << false << false << QStringList{u"password"_s};
    QTest::newRow("fragment") << u"https://example.com/in#x"_s << false << false << false << QStringList{u"fragment"_s};
}
// clang-format on

void TestUiForm::urlHintExplains()
{
    QFETCH(QString, url);
    QFETCH(bool, allowInsecure);
    QFETCH(bool, allowPrivate);
    QFETCH(bool, valid);
    QFETCH(QStringList, mentions);

    auto validation = m_validation;
    validation.allowInsecureUrls = allowInsecure;
    validation.allowPrivateAddresses = allowPrivate;
    auto form = makeForm(validation);
    form->events()->allEvents()->setChecked(true);
    const auto empty = form->urlHint()->text();
    // Before anything is typed, the rule this installation applies.
    QCOMPARE(empty.contains(u"http://"_s), allowInsecure);
    QCOMPARE(empty.contains(u"private addresses"_s), allowPrivate);
    form->urlEdit()->setText(url);
    const auto hint = form->urlHint()->text();
    QVERIFY2(hint != empty, "the hint did not change with the URL");
    for (const auto &word : mentions)
        QVERIFY2(hint.contains(word, Qt::CaseInsensitive), qPrintable(u"hint \"%1\" does not mention %2"_s.arg(hint, word)));
    // Not by colour alone: a mark and words; a valid URL never reads as refused.
    QVERIFY2(valid ? !hint.startsWith(u"✗"_s) : hint.startsWith(u"✗"_s), qPrintable(hint));
    QVERIFY2(!hint.contains(u"refused if it points to a private address"_s) || !allowPrivate, qPrintable(hint));
    QCOMPARE(form->problem().isEmpty(), valid);

    // The context can change under the form (settings saved): the hint follows.
    validation.allowInsecureUrls = true;
    validation.allowPrivateAddresses = true;
    form->setValidationContext(validation);
    if (url.startsWith(u"http://"_s) || url.contains(u"10.0.0.1"_s) || url.contains(u"127.0.0.1"_s) || url.contains(u"localhost"_s)) {
        QVERIFY2(form->urlHint()->text().startsWith(u"⚠"_s), qPrintable(form->urlHint()->text()));
        QVERIFY(form->problem().isEmpty());
    }
}

void TestUiForm::reservedHeaderFlaggedInline_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("reserved");
    QTest::newRow("Content-Type") << u"Content-Type"_s << true;
    QTest::newRow("content-type lower") << u"content-type"_s << true;
    QTest::newRow("X-Webhook-Signature") << u"X-Webhook-Signature"_s << true;
    QTest::newRow("webhook-signature") << u"webhook-signature"_s << true;
    QTest::newRow("Stripe-Signature") << u"Stripe-Signature"_s << true;
    QTest::newRow("Host") << u"Host"_s << true;
    QTest::newRow("not a token") << u"Bad Header"_s << true;
    QTest::newRow("X-Tenant is fine") << u"X-Tenant"_s << false;
    QTest::newRow("Authorization is fine") << u"Authorization"_s << false;
}

void TestUiForm::reservedHeaderFlaggedInline()
{
    QFETCH(QString, name);
    QFETCH(bool, reserved);

    auto form = makeForm(m_validation);
    form->show();
    QVERIFY(QTest::qWaitForWindowExposed(form.get()));
    form->urlEdit()->setText(u"https://hooks.example.com/in"_s);
    form->events()->allEvents()->setChecked(true);
    QVERIFY(form->saveButton()->isEnabled());

    auto *editor = form->findChild<HeadersEditor *>();
    QVERIFY(editor);
    auto *add = byAccessibleName<QPushButton>(editor, u"Add header"_s);
    QVERIFY(add);
    QTest::mouseClick(add, Qt::LeftButton);
    auto *table = editor->table();
    QCOMPARE(table->rowCount(), 1);
    table->item(0, 0)->setText(name);
    table->item(0, 1)->setText(u"value"_s);
    QCOMPARE(editor->headers().size(), 1);

    auto *label = byAccessibleDescription<QLabel>(editor, u"Custom header problem"_s);
    QVERIFY(label);
    if (reserved) {
        QVERIFY2(!editor->problem().isEmpty(), qPrintable(name));
        // In place: the row is marked (background and tooltip) and the reason shown under the table.
        QVERIFY2(table->item(0, 0)->background().style() != Qt::NoBrush, "the offending row is not marked");
        QCOMPARE(table->item(0, 0)->toolTip(), editor->problem());
        QVERIFY(label->isVisible());
        QCOMPARE(label->text(), editor->problem());
        QVERIFY(!form->problem().isEmpty());
        QVERIFY2(form->problem().contains(name, Qt::CaseInsensitive) || form->problem().contains(u"header"_s), qPrintable(form->problem()));
        // Renamed to something acceptable: all clear again.
        table->item(0, 0)->setText(u"X-Custom-Ok"_s);
    }
    QVERIFY(editor->problem().isEmpty());
    QCOMPARE(table->item(0, 0)->background().style(), Qt::NoBrush);
    QVERIFY(!label->isVisible());
    QVERIFY2(form->saveButton()->isEnabled(), qPrintable(form->problem()));
}

// With one reserved header among others, the mark goes on that row only.
void TestUiForm::onlyTheOffendingHeaderRowIsFlagged()
{
    HeadersEditor editor;
    editor.setHeaders({{u"Type"_s, u"a"_s}, {u"Content-Type"_s, u"text/plain"_s}, {u"X-Trace"_s, u"b"_s}});
    QVERIFY(!editor.problem().isEmpty());
    QStringList flagged;
    for (int row = 0; row < editor.table()->rowCount(); ++row) {
        if (editor.table()->item(row, 0)->background().style() != Qt::NoBrush)
            flagged << editor.table()->item(row, 0)->text();
    }
    QCOMPARE(flagged, QStringList{u"Content-Type"_s});
}

void TestUiForm::dirtyAndRevert()
{
    Webhook w;
    w.name = u"Revert me"_s;
    w.url = u"https://hooks.example.com/revert"_s;
    w.events = {u"lead.created"_s};
    const auto stored = createWebhook(w);
    QVERIFY(!stored.id.isEmpty());

    auto form = makeForm(m_validation);
    QSignalSpy dirty(form.get(), &WebhookForm::dirtyChanged);
    form->setWebhook(stored);
    QVERIFY(!form->isNew());
    QVERIFY(!form->isDirty());
    auto *revert = byAccessibleName<QPushButton>(form.get(), u"Revert changes"_s);
    QVERIFY(revert);
    QVERIFY(!revert->isEnabled());
    QVERIFY(!form->saveButton()->isEnabled()); // nothing to save

    auto *name = byAccessibleName<QLineEdit>(form.get(), u"Name"_s);
    QVERIFY(name);
    dirty.clear();
    name->setText(u"Changed"_s);
    QVERIFY(form->isDirty());
    QVERIFY(!dirty.isEmpty());
    QCOMPARE(dirty.last().at(0).toBool(), true);
    QVERIFY(revert->isEnabled());
    QVERIFY(form->saveButton()->isEnabled());

    // Other kinds of change are changes too.
    auto *retries = byAccessibleName<QSpinBox>(form.get(), u"Maximum retries"_s);
    QVERIFY(retries);
    retries->setValue(retries->value() + 1);
    form->events()->typeBox(u"lead.updated"_s)->setChecked(true);
    QVERIFY(form->isDirty());

    QTest::mouseClick(revert, Qt::LeftButton);
    QCOMPARE(name->text(), u"Revert me"_s);
    QCOMPARE(form->webhook().events, QStringList{u"lead.created"_s});
    QCOMPARE(retries->value(), stored.retry.retryCount());
    QVERIFY(!form->isDirty());
    QCOMPARE(dirty.last().at(0).toBool(), false);
    QVERIFY(!revert->isEnabled());
    QVERIFY(!form->saveButton()->isEnabled());
}

// A webhook shown as stored is not "changed": otherwise switching away asks
// "Save changes?" and saving rewrites what nobody edited.
void TestUiForm::loadedWebhookIsNotDirty_data()
{
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<double>("jitter");
    QTest::addColumn<double>("delay");

    QTest::newRow("one type") << QStringList{u"lead.created"_s} << 0.0 << 5.0;
    QTest::newRow("group and type, tree order") << QStringList{u"dossier.created"_s, u"lead.*"_s} << 0.0 << 5.0;
    QTest::newRow("group and type, other order") << QStringList{u"lead.*"_s, u"dossier.created"_s} << 0.0 << 5.0;
    QTest::newRow("every lead type by name (stays explicit)")
        << QStringList{u"lead.created"_s, u"lead.deleted"_s, u"lead.status_changed"_s, u"lead.updated"_s} << 0.0 << 5.0;
    QTest::newRow("jitter 10 %") << QStringList{u"*"_s} << 0.1 << 5.0;
    QTest::newRow("jitter 12.345 %") << QStringList{u"*"_s} << 0.12345 << 5.0;
    QTest::newRow("delay 1.5 s") << QStringList{u"*"_s} << 0.0 << 1.5;
    QTest::newRow("delay 0.0625 s") << QStringList{u"*"_s} << 0.0 << 0.0625;
}

void TestUiForm::loadedWebhookIsNotDirty()
{
    QFETCH(QStringList, events);
    QFETCH(double, jitter);
    QFETCH(double, delay);
    Webhook w;
    w.url = u"https://hooks.example.com/load"_s;
    w.events = events;
    w.retry.jitter = jitter;
    w.retry.retryDelaySeconds = delay;
    const auto stored = createWebhook(w);
    QVERIFY(!stored.id.isEmpty());
    QCOMPARE(stored.events, events);

    auto form = makeForm(m_validation);
    form->setWebhook(stored);
    const auto shown = form->webhook();
    QVERIFY2(!form->isDirty(), qPrintable(u"freshly loaded webhook reported dirty: events %1 -> %2, jitter %3 -> %4, delay %5 -> %6"_s
                                              .arg(stored.events.join(u','), shown.events.join(u','))
                                              .arg(stored.retry.jitter)
                                              .arg(shown.retry.jitter)
                                              .arg(stored.retry.retryDelaySeconds)
                                              .arg(shown.retry.retryDelaySeconds)));
    QVERIFY(!form->saveButton()->isEnabled());
}

void TestUiForm::saveCreatesWebhook()
{
    auto form = makeForm(m_validation);
    form->show();
    QVERIFY(QTest::qWaitForWindowExposed(form.get()));
    auto *name = byAccessibleName<QLineEdit>(form.get(), u"Name"_s);
    QVERIFY(name);
    name->setText(u"Created by the form"_s);
    auto *inFlight = byAccessibleName<QSpinBox>(form.get(), u"Parallel requests"_s);
    QVERIFY(inFlight);
    QCOMPARE(inFlight->text(), u"Installation default"_s);
    inFlight->setValue(5);
    form->urlEdit()->setText(u"http://127.0.0.1:9/created"_s);
    form->events()->typeBox(u"dossier.created"_s)->setChecked(true);
    auto *group = form->events()->groupBox(u"lead"_s);
    QVERIFY(group);
    QTest::mouseClick(group, Qt::LeftButton, {}, QPoint(8, group->height() / 2));
    QCOMPARE(group->checkState(), Qt::Checked);
    QVERIFY2(form->saveButton()->isEnabled(), qPrintable(form->problem()));
    QSignalSpy saved(form.get(), &WebhookForm::saved);
    QSignalSpy changed(&m_app.context(), &AppContext::webhooksChanged);
    QTest::mouseClick(form->saveButton(), Qt::LeftButton);
    QVERIFY(!form->saveButton()->isEnabled()); // while saving
    QVERIFY(saved.wait(kTimeout));
    const auto id = saved.at(0).at(0).toString();
    QVERIFY(id.startsWith(u"wh_"_s));
    QCOMPARE(changed.size(), 1);
    QVERIFY(!form->isNew());
    QVERIFY(!form->isDirty());

    QList<Webhook> list;
    QEventLoop loop;
    m_app.context().db().run<QList<Webhook>>(
        [](QSqlDatabase db) {
            auto l = WebhookService(db).list();
            return l ? *l : QList<Webhook>{};
        },
        this,
        [&](QList<Webhook> l) {
            list = l;
            loop.quit();
        });
    QTimer::singleShot(kTimeout, &loop, &QEventLoop::quit);
    loop.exec();
    const auto it = std::find_if(list.cbegin(), list.cend(), [&](const Webhook &w) { return w.id == id; });
    QVERIFY2(it != list.cend(), "the saved webhook is not in WebhookService::list()");
    QCOMPARE(it->name, u"Created by the form"_s);
    QCOMPARE(it->url, u"http://127.0.0.1:9/created"_s);
    QVERIFY2(it->events.contains(u"lead.*"_s) && it->events.contains(u"dossier.created"_s), qPrintable(it->events.join(u',')));
    QCOMPARE(it->maxInFlight, std::optional<int>(5));
    QVERIFY(!it->secret.isEmpty()); // generated on creation

    // Edited and saved again: an update of the same webhook.
    name->setText(u"Renamed by the form"_s);
    QVERIFY(form->saveButton()->isEnabled());
    saved.clear();
    form->save();
    QVERIFY(saved.wait(kTimeout));
    QCOMPARE(saved.at(0).at(0).toString(), id);
}

void TestUiForm::timelinePreviewFollowsForm()
{
    auto form = makeForm(m_validation);
    auto *list = form->timeline()->list();
    auto *retries = byAccessibleName<QSpinBox>(form.get(), u"Maximum retries"_s);
    auto *strategy = byAccessibleName<QComboBox>(form.get(), u"Backoff strategy"_s);
    auto *schedule = byAccessibleName<QLineEdit>(form.get(), u"Retry schedule"_s);
    auto *autoDisable = byAccessibleName<QSpinBox>(form.get(), u"Auto-disable after"_s);
    QVERIFY(retries && strategy && schedule && autoDisable);
    // Default policy (3 retries): attempt 1, three retries, the end, the auto-disable line.
    QCOMPARE(list->count(), 1 + 3 + 1 + 1);
    retries->setValue(5);
    QCOMPARE(list->count(), 1 + 5 + 1 + 1);
    strategy->setCurrentIndex(2); // explicit schedule
    QVERIFY(schedule->isEnabled());
    QVERIFY(!retries->isEnabled());
    schedule->setText(u"60, 300, 1800, 7200"_s);
    QCOMPARE(list->count(), 1 + 4 + 1 + 1);
    QVERIFY2(list->item(4)->text().contains(u"2.6 h"_s), qPrintable(list->item(4)->text()));
    autoDisable->setValue(7);
    QVERIFY2(list->item(list->count() - 1)->text().contains(u"7"_s), qPrintable(list->item(list->count() - 1)->text()));
    autoDisable->setValue(0);
    QVERIFY2(list->item(list->count() - 1)->text().contains(u"never"_s, Qt::CaseInsensitive), qPrintable(list->item(list->count() - 1)->text()));
    // A schedule that is not numbers is refused.
    form->urlEdit()->setText(u"https://hooks.example.com/t"_s);
    form->events()->allEvents()->setChecked(true);
    QVERIFY(form->problem().isEmpty());
    schedule->setText(u"60, soon"_s);
    QVERIFY2(form->problem().contains(u"delay"_s), qPrintable(form->problem()));
    // Said beside the retries, as a sentence.
    QVERIFY(form->problemLabelFor(form->problemField())->isVisibleTo(form.get()));
    QVERIFY2(form->problemLabelFor(form->problemField())->text().startsWith(u"The retry schedule"_s)
                 || form->problemLabelFor(form->problemField())->text().startsWith(u"Every delay"_s),
             qPrintable(form->problemLabelFor(form->problemField())->text()));
}

// ---------------------------------------------------------------- event tree

void TestUiForm::schemePickerListsTheTable_data()
{
    QTest::addColumn<int>("index");
    const auto all = SchemeDescriptor::all();
    for (std::size_t i = 0; i < all.size(); ++i)
        QTest::newRow(all[i].name.toLatin1().constData()) << int(i);
}

// The picker is the scheme table: its entries, in its order, with their
// labels and help, and picking one gives the webhook that scheme.
void TestUiForm::schemePickerListsTheTable()
{
    QFETCH(int, index);
    const SchemeDescriptor &d = SchemeDescriptor::all()[std::size_t(index)];
    auto form = makeForm(m_validation);
    auto *picker = byAccessibleName<QComboBox>(form.get(), u"Signing scheme"_s);
    QVERIFY(picker);
    QCOMPARE(qsizetype(picker->count()), qsizetype(SchemeDescriptor::all().size()));
    QCOMPARE(picker->itemData(index).toString(), d.name.toString());
    QCOMPARE(picker->itemText(index), QString::fromUtf8(d.label));
    QCOMPARE(picker->itemData(index, Qt::ToolTipRole).toString(), QString::fromUtf8(d.help));

    picker->setCurrentIndex(index);
    QVERIFY(form->webhook().scheme == d.scheme);
    Webhook w = form->webhook();
    w.scheme = d.scheme;
    form->setWebhook(w);
    QCOMPARE(picker->currentIndex(), index);
}

void TestUiForm::schemePickerInFrench_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("label");
    QTest::newRow("standard") << u"standard"_s << u"Standard Webhooks (webhook-signature)"_s;
    QTest::newRow("hmac-hex") << u"hmac-hex"_s << u"HMAC-SHA256, hex (<P>-Signature)"_s;
    QTest::newRow("hmac-base64") << u"hmac-base64"_s << u"HMAC-SHA256, base64 (<P>-Signature)"_s;
    QTest::newRow("timestamped") << u"timestamped"_s << u"Horodaté, sha256= (<P>-Signature, <P>-Timestamp)"_s;
    QTest::newRow("github") << u"github"_s << u"GitHub (X-Hub-Signature-256)"_s;
    QTest::newRow("stripe") << u"stripe"_s << u"Stripe (Stripe-Signature)"_s;
}

// The labels and help live in core; the French window still shows them in French.
void TestUiForm::schemePickerInFrench()
{
    QFETCH(QString, scheme);
    QFETCH(QString, label);
    QTranslator french;
    QVERIFY(french.load(u":/i18n/hookline_fr.qm"_s));
    QCoreApplication::installTranslator(&french);
    auto form = makeForm(m_validation);
    QCoreApplication::removeTranslator(&french);

    auto *picker = byAccessibleName<QComboBox>(form.get(), u"Schéma de signature"_s);
    QVERIFY(picker);
    const int index = picker->findData(scheme);
    QVERIFY(index >= 0);
    QCOMPARE(picker->itemText(index), label);
    const SchemeDescriptor *d = SchemeDescriptor::find(scheme);
    QVERIFY(d);
    const QString help = picker->itemData(index, Qt::ToolTipRole).toString();
    QVERIFY2(!help.isEmpty() && help != QString::fromUtf8(d->help), qPrintable(help));
}

void TestUiForm::treeNeverOffersTestEvent()
{
    EventTypeTree tree;
    tree.setCatalog(m_types);
    QVERIFY(std::any_of(m_types.cbegin(), m_types.cend(), [](const EventType &t) { return t.name == EventType::testEventName(); }));
    QVERIFY(!tree.typeBox(EventType::testEventName()));
    QVERIFY(!tree.groupBox(u"webhook"_s)); // nor its group
    // Every other type is offered, as a check box under its group.
    for (const auto &t : std::as_const(m_types)) {
        if (t.name == EventType::testEventName())
            continue;
        auto *box = tree.typeBox(t.name);
        QVERIFY2(box, qPrintable(t.name));
        QVERIFY(tree.typeBoxes(t.group).contains(box));
        QCOMPARE(box->text(), t.name);
        QCOMPARE(box->accessibleDescription(), t.description);
    }
}

void TestUiForm::treeGroupsFromPatterns()
{
    EventTypeTree tree;
    tree.setCatalog(m_types);
    QSignalSpy changed(&tree, &EventTypeTree::changed);
    tree.setPatterns({u"lead.*"_s, u"dossier.created"_s});
    QCOMPARE(changed.size(), 0); // loading is not a change
    auto *lead = tree.groupBox(u"lead"_s);
    auto *dossier = tree.groupBox(u"dossier"_s);
    auto *file = tree.groupBox(u"file"_s);
    QVERIFY(lead && dossier && file);
    QCOMPARE(lead->checkState(), Qt::Checked);
    for (auto *box : tree.typeBoxes(u"lead"_s))
        QVERIFY(box->isChecked());
    QCOMPARE(dossier->checkState(), Qt::PartiallyChecked);
    QVERIFY(tree.typeBox(u"dossier.created"_s)->isChecked());
    QVERIFY(!tree.typeBox(u"dossier.updated"_s)->isChecked());
    QCOMPARE(file->checkState(), Qt::Unchecked);
    QVERIFY(!tree.allEvents()->isChecked());
    QVERIFY(tree.listArea()->isEnabled());
    auto patterns = tree.patterns();
    patterns.sort();
    QCOMPARE(patterns, (QStringList{u"dossier.created"_s, u"lead.*"_s}));

    // The catalog reloaded (a type added elsewhere): the choice stays.
    tree.setCatalog(m_types);
    patterns = tree.patterns();
    patterns.sort();
    QCOMPARE(patterns, (QStringList{u"dossier.created"_s, u"lead.*"_s}));
}

void TestUiForm::treeCheckingEveryChildGivesGroupPattern()
{
    EventTypeTree tree;
    tree.setCatalog(m_types);
    QSignalSpy changed(&tree, &EventTypeTree::changed);
    auto *group = tree.groupBox(u"appointment"_s);
    QVERIFY(group);
    const auto children = tree.typeBoxes(u"appointment"_s);
    QVERIFY(children.size() >= 2);
    QStringList names;
    for (int i = 0; i < children.size(); ++i) {
        QTest::mouseClick(children.at(i), Qt::LeftButton, {}, QPoint(8, children.at(i)->height() / 2));
        names << children.at(i)->text();
        if (i < children.size() - 1)
            QCOMPARE(group->checkState(), Qt::PartiallyChecked);
    }
    QVERIFY(!changed.isEmpty());
    QCOMPARE(group->checkState(), Qt::Checked);
    QCOMPARE(tree.patterns(), QStringList{u"appointment.*"_s});

    // One unchecked: the group is partial and the others are listed by name.
    children.at(0)->setChecked(false);
    QCOMPARE(group->checkState(), Qt::PartiallyChecked);
    QCOMPARE(tree.patterns(), names.mid(1));

    // A click on a partly checked group takes the whole group, a second one none of it.
    QTest::mouseClick(group, Qt::LeftButton, {}, QPoint(8, group->height() / 2));
    QCOMPARE(group->checkState(), Qt::Checked);
    for (auto *box : children)
        QVERIFY(box->isChecked());
    QCOMPARE(tree.patterns(), QStringList{u"appointment.*"_s});
    QTest::mouseClick(group, Qt::LeftButton, {}, QPoint(8, group->height() / 2));
    QCOMPARE(group->checkState(), Qt::Unchecked);
    QVERIFY(tree.patterns().isEmpty());
}

void TestUiForm::treeAllEvents()
{
    EventTypeTree tree;
    tree.setCatalog(m_types);
    tree.typeBox(u"lead.created"_s)->setChecked(true);
    QSignalSpy changed(&tree, &EventTypeTree::changed);
    QTest::mouseClick(tree.allEvents(), Qt::LeftButton);
    QVERIFY(tree.allEvents()->isChecked());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(tree.patterns(), QStringList{u"*"_s});
    QVERIFY(!tree.listArea()->isEnabled());
    tree.allEvents()->setChecked(false);
    QVERIFY(tree.listArea()->isEnabled());
    QCOMPARE(tree.patterns(), QStringList{u"lead.created"_s});

    // Loaded from a webhook subscribed to "*".
    tree.setPatterns({u"*"_s});
    QVERIFY(tree.allEvents()->isChecked());
    QVERIFY(!tree.listArea()->isEnabled());
    QCOMPARE(tree.patterns(), QStringList{u"*"_s});
    tree.setPatterns({});
    QVERIFY(!tree.allEvents()->isChecked());
    QVERIFY(tree.listArea()->isEnabled());
    QVERIFY(tree.patterns().isEmpty());
}

// What a screen reader and an assistive tool get from an event type: a check
// box that says it is checkable and whether it is checked, and whose Toggle
// action ticks it (Qt 6.4's tree items did neither).
void TestUiForm::treeBoxesAreAccessibleCheckBoxes()
{
    EventTypeTree tree;
    tree.setCatalog(m_types);
    tree.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tree));
    QSignalSpy changed(&tree, &EventTypeTree::changed);
    auto *box = tree.typeBox(u"lead.created"_s);
    auto *iface = QAccessible::queryAccessibleInterface(box);
    QVERIFY(iface);
    QCOMPARE(iface->role(), QAccessible::CheckBox);
    QCOMPARE(iface->text(QAccessible::Name), u"lead.created"_s);
    QVERIFY(iface->state().checkable);
    QVERIFY(!iface->state().checked);
    auto *action = iface->actionInterface();
    QVERIFY(action);
    QVERIFY2(action->actionNames().contains(QAccessibleActionInterface::toggleAction()), qPrintable(action->actionNames().join(u',')));
    action->doAction(QAccessibleActionInterface::toggleAction());
    QTRY_VERIFY(box->isChecked());
    QVERIFY(iface->state().checked);
    QCOMPARE(tree.patterns(), QStringList{u"lead.created"_s});
    QVERIFY(!changed.isEmpty());

    // A whole group through its own box: every type follows.
    auto *group = QAccessible::queryAccessibleInterface(tree.groupBox(u"dossier"_s));
    QCOMPARE(group->text(QAccessible::Name), u"Group dossier, all its events"_s);
    group->actionInterface()->doAction(QAccessibleActionInterface::toggleAction());
    QTRY_COMPARE(tree.groupBox(u"dossier"_s)->checkState(), Qt::Checked);
    for (auto *b : tree.typeBoxes(u"dossier"_s))
        QVERIFY(b->isChecked());
    QVERIFY(tree.patterns().contains(u"dossier.*"_s));
}

// The list is one Tab stop; the arrow keys move between its boxes and Space ticks.
void TestUiForm::treeKeyboard()
{
    QWidget host;
    auto *before = new QLineEdit(&host);
    auto *tree = new EventTypeTree(&host);
    auto *after = new QLineEdit(&host);
    auto *layout = new QVBoxLayout(&host);
    layout->addWidget(before);
    layout->addWidget(tree);
    layout->addWidget(after);
    tree->setCatalog(m_types);
    host.show();
    QVERIFY(QTest::qWaitForWindowExposed(&host));
    QApplication::setActiveWindow(&host);
    before->setFocus();
    QTest::keyClick(before, Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(tree->allEvents()));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    const auto boxes = tree->boxes();
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(boxes.at(0)));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Down);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(boxes.at(1)));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
    QVERIFY(boxes.at(1)->isChecked());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_End);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(boxes.constLast()));
    // Tab leaves the list at once, whatever its length.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(after));
    // And Shift+Tab comes back to the box last visited.
    QTest::keyClick(after, Qt::Key_Backtab);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(boxes.constLast()));
}

// ---------------------------------------------------------------- timeline

void TestUiForm::timelineSteps_data()
{
    QTest::addColumn<int>("retries");
    QTest::addColumn<double>("delay");
    QTest::addColumn<bool>("fixed");
    QTest::addColumn<QList<double>>("schedule");
    QTest::addColumn<QList<double>>("at");

    QTest::newRow("exponential 5 s x 3") << 3 << 5.0 << false << QList<double>{} << QList<double>{0, 5, 15, 35};
    QTest::newRow("exponential 1 s x 5") << 5 << 1.0 << false << QList<double>{} << QList<double>{0, 1, 3, 7, 15, 31};
    QTest::newRow("fixed 10 s x 3") << 3 << 10.0 << true << QList<double>{} << QList<double>{0, 10, 20, 30};
    QTest::newRow("schedule") << 4 << 5.0 << false << QList<double>{60, 300, 1800, 7200} << QList<double>{0, 60, 360, 2160, 9360};
    QTest::newRow("no retries") << 0 << 5.0 << false << QList<double>{} << QList<double>{0};
}

void TestUiForm::timelineSteps()
{
    QFETCH(int, retries);
    QFETCH(double, delay);
    QFETCH(bool, fixed);
    QFETCH(QList<double>, schedule);
    QFETCH(QList<double>, at);

    RetryPolicy p;
    p.maxRetries = retries;
    p.retryDelaySeconds = delay;
    p.backoff = fixed ? BackoffStrategy::Fixed : BackoffStrategy::Exponential;
    p.schedule = schedule;
    const auto steps = RetryTimeline::steps(p);
    // The attempts, then "fails for good" at the time of the last one.
    QCOMPARE(steps.size(), at.size() + 1);
    for (int i = 0; i < at.size(); ++i) {
        QCOMPARE(steps.at(i).atSeconds, at.at(i));
        QCOMPARE(steps.at(i).minSeconds, at.at(i)); // no jitter
        QCOMPARE(steps.at(i).maxSeconds, at.at(i));
    }
    QVERIFY(steps.constFirst().label.contains(u"Attempt 1"_s));
    QCOMPARE(steps.constLast().atSeconds, at.constLast());
    QVERIFY(steps.constLast().label.contains(u"fails"_s));

    RetryTimeline timeline;
    timeline.setPolicy(p);
    QCOMPARE(timeline.list()->count(), steps.size() + 1);
    QVERIFY(!timeline.list()->accessibleName().isEmpty());
}

void TestUiForm::timelineJitterRanges()
{
    RetryPolicy p;
    p.maxRetries = 3;
    p.retryDelaySeconds = 5;
    p.jitter = 0.2;
    const auto steps = RetryTimeline::steps(p);
    QCOMPARE(steps.size(), 5);
    const QList<double> at{0, 5, 15, 35};
    for (int i = 0; i < at.size(); ++i) {
        QCOMPARE(steps.at(i).atSeconds, at.at(i));
        QVERIFY(qFuzzyCompare(1 + steps.at(i).minSeconds, 1 + at.at(i) * 0.8));
        QVERIFY(qFuzzyCompare(1 + steps.at(i).maxSeconds, 1 + at.at(i) * 1.2));
    }
    RetryTimeline timeline;
    timeline.setPolicy(p);
    const auto retry1 = timeline.list()->item(1)->text();
    QVERIFY2(retry1.contains(u"+5 s"_s) && retry1.contains(u"+4 s"_s) && retry1.contains(u"+6 s"_s), qPrintable(retry1));
    QVERIFY2(timeline.list()->item(0)->text().contains(u"now"_s), qPrintable(timeline.list()->item(0)->text()));

    QCOMPARE(RetryTimeline::duration(0.25), u"250 ms"_s);
    QCOMPARE(RetryTimeline::duration(35), u"35 s"_s);
    QCOMPARE(RetryTimeline::duration(360), u"6 min"_s);
    QCOMPARE(RetryTimeline::duration(9360), u"2.6 h"_s);
    QCOMPARE(RetryTimeline::duration(3 * 86400), u"3 days"_s);
}

void TestUiForm::timelineMentionsAutoDisable()
{
    RetryTimeline timeline;
    RetryPolicy p;
    p.autoDisableAfter = 5;
    timeline.setPolicy(p);
    const auto last = timeline.list()->item(timeline.list()->count() - 1)->text();
    QVERIFY2(last.contains(u"5"_s) && last.contains(u"deactivated"_s), qPrintable(last));
    p.autoDisableAfter = 1;
    timeline.setPolicy(p);
    const auto one = timeline.list()->item(timeline.list()->count() - 1)->text();
    QVERIFY2(one.contains(u"1"_s) && one.contains(u"deactivated"_s), qPrintable(one));
    p.autoDisableAfter = 0;
    timeline.setPolicy(p);
    const auto never = timeline.list()->item(timeline.list()->count() - 1)->text();
    QVERIFY2(never.contains(u"never"_s), qPrintable(never));
}

QTEST_MAIN(TestUiForm)
#include "tst_ui_form.moc"
