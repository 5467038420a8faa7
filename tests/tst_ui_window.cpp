// The walkthrough of a new administrator, in the real window (offscreen):
// a first start, a webhook made by the form, a test ping to a loopback
// receiver, a rotation, the history, and the dialogs. Each test is one defect
// that user met; each fails on the window as it was before its fix.

#include "AlertFeed.h"
#include "AppContext.h"
#include "CurlCommand.h"
#include "MainWindow.h"
#include "Translations.h"
#include "TrayIcon.h"
#include "dialogs/AuditDialog.h"
#include "dialogs/InspectorDialog.h"
#include "dialogs/NewKeyDialog.h"
#include "dialogs/SettingsDialog.h"
#include "dialogs/SignatureDebuggerDialog.h"
#include "dialogs/TenantsDialog.h"
#include "engine/DeliveryEngine.h"
#include "models/AuditModel.h"
#include "models/DeliveryHistoryModel.h"
#include "models/InspectorModel.h"
#include "models/WebhookListModel.h"
#include "net/Inspector.h"
#include "service/ApiKeyService.h"
#include "service/AuditLog.h"
#include "service/DeliveryService.h"
#include "service/EventService.h"
#include "service/TenantService.h"
#include "service/WebhookService.h"
#include "signing/Signer.h"
#include "support/TestReceiver.h"
#include "support/WidgetLookup.h"
#include "support/WindowFixture.h"
#include "widgets/AlertBanner.h"
#include "widgets/DurationEdit.h"
#include "widgets/EmptyStatePane.h"
#include "widgets/EventTypeTree.h"
#include "widgets/HistoryView.h"
#include "widgets/SecretPanel.h"
#include "widgets/TestResultBar.h"
#include "widgets/VerificationCodeView.h"
#include "widgets/WebhookForm.h"

#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <memory>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeout = 15000;

// What a screen reader reads for a label: the accessible name.
QString spoken(QWidget *w)
{
    auto *iface = QAccessible::queryAccessibleInterface(w);
    return iface ? iface->text(QAccessible::Name) : QString();
}

} // namespace

class TestUiWindow : public QObject {
    Q_OBJECT

private:
    test::WindowFixture m_app;
    std::unique_ptr<MainWindow> m_window;
    test::TestReceiver m_receiver;
    QString m_first;

    QString createByService(const QString &name, const QString &path);
    void pingAndWait(const QString &webhookId);

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    // In this order: each starts where the one before left the window.
    void firstStartShowsEmptyState();
    void createdByTheForm();
    void pingResultIsReadAndTiedToItsWebhook();
    void pingResultKeepsItsPlace();
    void rotationKeepsTheNewSecretShown();
    void auditLogShowsWhatTheWindowDid();
    void tenantsDialogAddsTenantsChangesPlansAndKeys();
    void dialogsOpenWithoutBlocking_data();
    void dialogsOpenWithoutBlocking();
    void settingsSavedKeepsUnsavedEventSelection();
    void selectionAloneShowsTheWebhook();
    void historyInWordsWithButtonsThatCanAct();
    void listColumnsFitAndDoNotWrap();
    void coloursComeFromTheTheme();
    void settingsShowDurations();
    void closesForRealWithoutATray();
    void signatureDebuggerNamesTheMistake();
    void verificationCodeFollowsTheWebhook();
    void requestInspectorShowsAndAnswers();
    void copyAsCurlSendsTheSameBytes();
    void inspectThisWebhookPingsACopy();
    void autoDisabledWebhookIsOneNotificationWithWhatToDo();
    void historySaysWhenItCannotRead(); // last: it spoils the database
};

QString TestUiWindow::createByService(const QString &name, const QString &path)
{
    QString id;
    QEventLoop loop;
    Webhook w;
    w.name = name;
    w.url = m_receiver.url(path);
    w.events = {u"lead.*"_s};
    const auto job = [w](QSqlDatabase db) { return WebhookService(db).create(w); };
    m_app.context().db().run<Result<Webhook>>(job, this, [&](Result<Webhook> r) {
        id = r ? r->id : QString();
        loop.quit();
    });
    QTimer::singleShot(kTimeout, &loop, &QEventLoop::quit);
    loop.exec();
    m_app.context().notifyWebhooksChanged();
    return id;
}

void TestUiWindow::pingAndWait(const QString &webhookId)
{
    m_window->selectWebhook(webhookId);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentWebhookId(), webhookId, kTimeout);
    QSignalSpy finished(m_window->testResult(), &TestResultBar::finished);
    m_window->action(u"test"_s)->trigger();
    QVERIFY(finished.wait(kTimeout));
}

void TestUiWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    AuditLog::setChannel(u"window"_s); // as the application does
    QCoreApplication::setOrganizationName(u"hookline-tests"_s);
    QCoreApplication::setApplicationName(u"tst_ui_window"_s);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(Translations::install(QLocale(QLocale::English))); // English plural forms, as the application has them
    QVERIFY(m_receiver.listen());
    const auto opened = m_app.open(u"window.db"_s);
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    m_app.start();
    m_app.context().engine().start();
    m_window = std::make_unique<MainWindow>(m_app.context());
    m_window->resize(1400, 860);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QApplication::setActiveWindow(m_window.get());
}

void TestUiWindow::cleanupTestCase()
{
    m_window.reset();
    m_app.close();
}

// A first start: what a webhook is and a button, not an empty form in red.
void TestUiWindow::firstStartShowsEmptyState()
{
    QTRY_VERIFY_WITH_TIMEOUT(m_window->showsEmptyState(), kTimeout);
    QVERIFY(m_window->emptyState()->isVisible());
    QVERIFY(!m_window->tabs()->isVisible());
    auto *button = m_window->emptyState()->newButton();
    QVERIFY(button->isVisible());
    QCOMPARE(spoken(button), u"Create a webhook"_s);
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(!m_window->showsEmptyState());
    QVERIFY(m_window->form()->isVisible());
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(m_window->form()->urlEdit()));
    // The new form says nothing is wrong before anything was typed.
    QVERIFY2(!m_window->form()->urlHint()->text().startsWith(u"✗"_s), qPrintable(m_window->form()->urlHint()->text()));
    QVERIFY(m_window->form()->formProblem()->text().isEmpty());
    // The list reloading behind it (the engine, another window) keeps the form.
    m_app.context().notifyWebhooksChanged();
    QTest::qWait(300);
    QVERIFY(!m_window->showsEmptyState());
}

void TestUiWindow::createdByTheForm()
{
    auto *form = m_window->form();
    QTest::keyClicks(form->urlEdit(), m_receiver.url(u"/first"_s));
    form->events()->typeBox(u"lead.created"_s)->setChecked(true);
    QVERIFY2(form->problem().isEmpty(), qPrintable(form->problem()));
    QSignalSpy saved(form, &WebhookForm::saved);
    QTest::mouseClick(form->saveButton(), Qt::LeftButton);
    QVERIFY(saved.wait(kTimeout));
    m_first = saved.at(0).at(0).toString();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentWebhookId(), m_first, kTimeout);
    QVERIFY(!m_window->showsEmptyState());
}

// The ping result names its webhook and its time, a screen reader reads it
// (the label's accessible name is its text),
// and it belongs to that webhook: another webhook or a new form does not show it.
void TestUiWindow::pingResultIsReadAndTiedToItsWebhook()
{
    pingAndWait(m_first);
    auto *label = m_window->testResult()->label();
    QTRY_VERIFY_WITH_TIMEOUT(label->text().startsWith(u"✓"_s), kTimeout);
    const auto first = label->text();
    QVERIFY2(first.contains(u"127.0.0.1"_s) && first.contains(u"HTTP 200"_s), qPrintable(first));             // the name defaults to the host
    QVERIFY2(QRegularExpression(u"\\d{4}.*\\d+:\\d\\d:\\d\\d"_s).match(first).hasMatch(), qPrintable(first)); // when, with seconds
    QCOMPARE(spoken(label), first);
    QVERIFY(label->accessibleName().isEmpty());
    QCOMPARE(label->accessibleDescription(), u"Test ping result"_s);
    // That the change is announced (a NameChanged event) is checked on a real
    // AT-SPI bus by tests/atspi: offscreen, Qt drops accessibility events.
    QCOMPARE(m_receiver.count(QByteArrayLiteral("/first")), 1);
    // The details are a button, so keyboard and assistive tools reach them.
    auto *details = m_window->testResult()->detailsButton();
    QVERIFY(details->isEnabled());
    QVERIFY(details->focusPolicy() & Qt::TabFocus);
    QCOMPARE(spoken(details), u"Test ping details"_s);

    // Another webhook: not this result.
    const auto second = createByService(u"Second receiver"_s, u"/second"_s);
    QVERIFY(!second.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->webhookModel()->indexFor(second).isValid(), kTimeout);
    m_window->selectWebhook(second);
    QTRY_COMPARE(m_window->currentWebhookId(), second);
    QVERIFY2(!label->text().contains(u"Succeeded"_s), qPrintable(label->text()));
    QVERIFY(!details->isEnabled());
    // Its own ping names it.
    pingAndWait(second);
    QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(u"“Second receiver”"_s), kTimeout);
    // A new form: nothing.
    m_window->action(u"new"_s)->trigger();
    QVERIFY(label->text().isEmpty());
    // Back to the first: its own result again.
    m_window->selectWebhook(m_first);
    QTRY_COMPARE(m_window->currentWebhookId(), m_first);
    QCOMPARE(label->text(), first);
}

// The bar keeps its place: a result appearing moves nothing below it.
void TestUiWindow::pingResultKeepsItsPlace()
{
    const auto second = m_window->webhookModel()->index(1, 0).data(WebhookListModel::IdRole).toString();
    m_window->selectWebhook(m_first);
    QTRY_COMPARE(m_window->currentWebhookId(), m_first);
    const int withResult = m_window->tabs()->mapTo(m_window.get(), QPoint()).y();
    m_window->action(u"new"_s)->trigger();
    QApplication::processEvents();
    QCOMPARE(m_window->tabs()->mapTo(m_window.get(), QPoint()).y(), withResult);
    m_window->selectWebhook(m_first);
    QTRY_COMPARE(m_window->currentWebhookId(), m_first);
    QCOMPARE(m_window->tabs()->mapTo(m_window.get(), QPoint()).y(), withResult);
    Q_UNUSED(second);
}

// "The new secret is shown and copied": still shown after the window reloads the webhook.
void TestUiWindow::rotationKeepsTheNewSecretShown()
{
    m_window->selectWebhook(m_first);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->form()->webhook().id, m_first, kTimeout);
    auto *panel = m_window->secretPanel();
    m_window->tabs()->setCurrentWidget(panel);
    const auto old = panel->secretField()->text();
    QSignalSpy rotated(panel, &SecretPanel::rotated);
    panel->rotateConfirmed();
    QVERIFY(rotated.wait(kTimeout));
    // The reload the window does after any change to a webhook.
    QTest::qWait(800);
    QVERIFY(panel->secretField()->text() != old);
    QCOMPARE(panel->secretField()->echoMode(), QLineEdit::Normal);
    auto *notice = test::byAccessibleDescription<QLabel>(panel, u"Secret status"_s);
    QVERIFY(notice);
    QVERIFY2(notice->text().startsWith(u"New secret issued"_s), qPrintable(notice->text()));
    QCOMPARE(spoken(notice), notice->text());
    // Leaving the panel masks it.
    m_window->tabs()->setCurrentWidget(m_window->form());
    m_window->tabs()->setCurrentWidget(panel);
    QCOMPARE(panel->secretField()->echoMode(), QLineEdit::Password);
    m_window->tabs()->setCurrentWidget(m_window->form());
}

// The rotation above, in the audit log: by whom, from the window; filtered as typed.
void TestUiWindow::auditLogShowsWhatTheWindowDid()
{
    m_window->action(u"audit"_s)->trigger();
    AuditDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = qobject_cast<AuditDialog *>(QApplication::activeModalWidget())));
    auto *model = dialog->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, kTimeout);
    QStringList actions;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, AuditModel::Object).data().toString().endsWith(m_first)) {
            actions << model->index(r, AuditModel::Action).data().toString();
            QCOMPARE(model->index(r, AuditModel::Actor).data().toString(), AuditLog::actor());
            QVERIFY(AuditLog::actor().endsWith(u" (window)"_s));
        }
    }
    QVERIFY2(actions.contains(u"secret.rotated"_s) && actions.contains(u"secret.copied"_s) && actions.contains(u"webhook.created"_s),
             qPrintable(actions.join(u", "_s)));
    auto *filter = test::byAccessibleName<QLineEdit>(dialog, u"Filter the audit log"_s);
    QVERIFY(filter);
    auto *table = test::byAccessibleName<QTableView>(dialog, u"Audit log entries"_s);
    QVERIFY(table);
    filter->setText(u"secret.rotated"_s);
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, AuditModel::Action).data().toString(), u"secret.rotated"_s);
    QPointer<QDialog> guard(dialog);
    dialog->reject();
    QTRY_VERIFY(!guard);
}

// Tools → Tenants and API keys: a tenant added, its plan changed, a key made
// (shown once, copied), then revoked after the question; the database agrees.
void TestUiWindow::tenantsDialogAddsTenantsChangesPlansAndKeys()
{
    m_window->action(u"tenants"_s)->trigger();
    TenantsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = qobject_cast<TenantsDialog *>(QApplication::activeModalWidget())));
    QSignalSpy loaded(dialog, &TenantsDialog::loaded);
    QVERIFY(loaded.wait(kTimeout));
    const auto find = [dialog](auto *type, const QString &name) {
        auto *w = test::byAccessibleName<std::remove_pointer_t<decltype(type)>>(dialog, name);
        if (!w)
            qFatal("no %s in the dialog", qPrintable(name));
        return w;
    };
    auto *tenants = find(static_cast<QTableView *>(nullptr), u"Tenants"_s);
    auto *keys = find(static_cast<QTableView *>(nullptr), u"API keys"_s);

    find(static_cast<QLineEdit *>(nullptr), u"New tenant id"_s)->setText(u"initech"_s);
    auto *add = find(static_cast<QPushButton *>(nullptr), u"Add the tenant"_s);
    QVERIFY(add->isEnabled());
    add->click();
    QVERIFY(loaded.wait(kTimeout));
    auto tenant = TenantService(m_app.connection()).get(u"initech"_s);
    QVERIFY(tenant);
    QCOMPARE(tenant->plan, u"UNLIMITED"_s);

    // Select it; the plan box follows; choose PRO and change.
    int row = -1;
    for (int r = 0; r < tenants->model()->rowCount(); ++r) {
        if (tenants->model()->index(r, 0).data().toString() == u"initech")
            row = r;
    }
    QVERIFY(row >= 0);
    tenants->selectRow(row);
    auto *plan = find(static_cast<QComboBox *>(nullptr), u"Plan of the selected tenant"_s);
    QCOMPARE(plan->currentData().toString(), u"UNLIMITED"_s);
    auto *change = find(static_cast<QPushButton *>(nullptr), u"Change the selected tenant's plan"_s);
    QVERIFY(!change->isEnabled()); // nothing to change yet
    plan->setCurrentIndex(plan->findData(u"PRO"_s));
    QVERIFY(change->isEnabled());
    change->click();
    QVERIFY(loaded.wait(kTimeout));
    QCOMPARE(TenantService(m_app.connection()).get(u"initech"_s)->plan, u"PRO"_s);

    // A key for the selected tenant, shown once, copied as a secret.
    find(static_cast<QLineEdit *>(nullptr), u"Name of the new key"_s)->setText(u"ui key"_s);
    const int keysBefore = keys->model()->rowCount();
    find(static_cast<QPushButton *>(nullptr), u"Create an API key"_s)->click();
    NewKeyDialog *shown = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((shown = dialog->findChild<NewKeyDialog *>()), kTimeout);
    auto *field = test::byAccessibleName<QLineEdit>(shown, u"New API key"_s);
    QVERIFY(field);
    const QString key = field->text();
    QVERIFY2(key.startsWith(u"hlk_"_s) && key.size() == 47, qPrintable(key));
    QVERIFY(field->isReadOnly());
    test::byAccessibleName<QPushButton>(shown, u"Copy the API key"_s)->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), key);
    auto authenticated = ApiKeyService(m_app.connection()).authenticate(key);
    QVERIFY(authenticated && *authenticated);
    QCOMPARE((*authenticated)->tenantId, u"initech"_s);
    shown->reject();
    QTRY_COMPARE_WITH_TIMEOUT(keys->model()->rowCount(), keysBefore + 1, kTimeout);
    for (int r = 0; r < keys->model()->rowCount(); ++r) {
        for (int c = 0; c < keys->model()->columnCount(); ++c)
            QVERIFY(!keys->model()->index(r, c).data().toString().contains(key));
    }

    // Revoke it: a question first, answered Yes.
    for (int r = 0; r < keys->model()->rowCount(); ++r) {
        if (keys->model()->index(r, 0).data().toString() == u"ui key")
            keys->selectRow(r);
    }
    auto *revoke = find(static_cast<QPushButton *>(nullptr), u"Revoke the selected API key"_s);
    QVERIFY(revoke->isEnabled());
    QTimer::singleShot(0, this, [] {
        QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
        qobject_cast<QMessageBox *>(QApplication::activeModalWidget())->button(QMessageBox::Yes)->click();
    });
    revoke->click();
    QVERIFY(loaded.wait(kTimeout));
    authenticated = ApiKeyService(m_app.connection()).authenticate(key);
    QVERIFY(authenticated && !*authenticated);
    QVERIFY(!revoke->isEnabled());
    QPointer<QDialog> guard(dialog);
    dialog->reject();
    QTRY_VERIFY(!guard);
}

void TestUiWindow::dialogsOpenWithoutBlocking_data()
{
    QTest::addColumn<QString>("action");
    for (const auto *name : {"settings", "send", "catalog", "debugger", "inspector", "audit", "tenants", "about"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

// A menu action that opens a dialog returns at once (open(), not exec()):
// an assistive client that triggered it is not left waiting.
void TestUiWindow::dialogsOpenWithoutBlocking()
{
    QFETCH(QString, action);
    // Were it to block, this closes the dialog and the elapsed time tells.
    QTimer rescue;
    rescue.setSingleShot(true);
    connect(&rescue, &QTimer::timeout, this, [] {
        if (auto *d = qobject_cast<QDialog *>(QApplication::activeModalWidget()))
            d->reject();
    });
    rescue.start(3000);
    QElapsedTimer clock;
    clock.start();
    m_window->action(action)->trigger();
    const auto elapsed = clock.elapsed();
    rescue.stop();
    QVERIFY2(elapsed < 1000, qPrintable(u"the action took %1 ms to return"_s.arg(elapsed)));
    QDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget())));
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->windowModality(), Qt::WindowModal);
    QPointer<QDialog> guard(dialog);
    dialog->reject();
    QTRY_VERIFY(!guard); // deleted on close
}

// Saving Settings reloads the catalog; the new webhook being written keeps its events.
void TestUiWindow::settingsSavedKeepsUnsavedEventSelection()
{
    m_window->action(u"new"_s)->trigger();
    auto *form = m_window->form();
    form->urlEdit()->setText(m_receiver.url(u"/third"_s));
    form->events()->typeBox(u"lead.updated"_s)->setChecked(true);
    form->events()->typeBox(u"appointment.created"_s)->setChecked(true);
    auto before = form->webhook().events;
    before.sort();
    m_window->action(u"settings"_s)->trigger();
    SettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = qobject_cast<SettingsDialog *>(QApplication::activeModalWidget())));
    auto *save = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
    QTRY_VERIFY_WITH_TIMEOUT(save->isEnabled(), kTimeout);
    QPointer<SettingsDialog> guard(dialog);
    save->click();
    QTRY_VERIFY_WITH_TIMEOUT(!guard, kTimeout);
    QTest::qWait(500); // the catalog comes back from the database thread
    auto after = form->webhook().events;
    after.sort();
    QCOMPARE(after, before);
    // Refresh does the same.
    m_window->action(u"refresh"_s)->trigger();
    QTest::qWait(500);
    after = form->webhook().events;
    after.sort();
    QCOMPARE(after, before);
    form->revert();
}

// An assistive tool selects a row through the table interface (selection, not
// the current index): the details follow.
void TestUiWindow::selectionAloneShowsTheWebhook()
{
    m_window->selectWebhook(m_first);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->form()->webhook().id, m_first, kTimeout);
    auto *view = m_window->webhookView();
    QVERIFY2(view->model()->rowCount() >= 2, qPrintable(QString::number(view->model()->rowCount())));
    const auto other = view->model()->index(view->currentIndex().row() == 0 ? 1 : 0, 0);
    const auto otherId = other.data(WebhookListModel::IdRole).toString();
    QVERIFY2(!otherId.isEmpty() && otherId != m_first,
             qPrintable(u"row %1 of %2: \"%3\""_s.arg(other.row()).arg(view->model()->rowCount()).arg(otherId)));
    auto *table = QAccessible::queryAccessibleInterface(view)->tableInterface();
    QVERIFY(table);
    table->selectRow(other.row());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentWebhookId(), otherId, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->form()->webhook().id, otherId, kTimeout);
}

void TestUiWindow::historyInWordsWithButtonsThatCanAct()
{
    m_window->selectWebhook(m_first);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentWebhookId(), m_first, kTimeout);
    auto *history = m_window->history();
    m_window->tabs()->setCurrentWidget(history);
    QTRY_VERIFY_WITH_TIMEOUT(history->model()->rowCount() >= 1, kTimeout);
    history->view()->clearSelection();
    // Nothing selected: nothing to act on.
    for (auto *b : {history->retryButton(), history->curlButton(), history->payloadButton(), history->detailsButton()})
        QVERIFY2(!b->isEnabled(), qPrintable(b->text()));
    history->view()->selectRow(0);
    QTRY_VERIFY_WITH_TIMEOUT(history->model()->isLoaded(0), kTimeout);
    for (auto *b : {history->retryButton(), history->curlButton(), history->payloadButton(), history->detailsButton()})
        QVERIFY2(b->isEnabled(), qPrintable(b->text()));
    // Statuses in words, the webhook by its name, ids hidden until asked for.
    const auto status = history->model()->index(0, DeliveryHistoryModel::Status).data().toString();
    QCOMPARE(status, u"Succeeded"_s);
    const auto name = history->model()->index(0, DeliveryHistoryModel::Webhook).data().toString();
    QVERIFY2(!name.startsWith(u"wh_"_s), qPrintable(name));
    QCOMPARE(history->model()->index(0, DeliveryHistoryModel::Webhook).data(Qt::ToolTipRole).toString(), m_first);
    QVERIFY(history->view()->isColumnHidden(DeliveryHistoryModel::Id));
    auto *filter = history->findChild<QComboBox *>();
    QVERIFY(filter);
    QStringList items;
    for (int i = 0; i < filter->count(); ++i)
        items << filter->itemText(i);
    QVERIFY2(items.contains(u"Waiting to retry"_s) && items.contains(u"Being delivered"_s) && !items.contains(u"pending"_s),
             qPrintable(items.join(u", "_s)));
    // Counts in words with the right plural.
    auto *count = test::byAccessibleDescription<QLabel>(history, u"Number of deliveries"_s);
    QVERIFY(count);
    QVERIFY2(QRegularExpression(u"^(1 delivery|\\d+ deliveries)$"_s).match(count->text()).hasMatch(), qPrintable(count->text()));
    QCOMPARE(spoken(count), count->text());

    // Retry now: the message follows the delivery to its new outcome.
    auto *message = test::byAccessibleDescription<QLabel>(history, u"History message"_s);
    QVERIFY(message);
    history->view()->selectRow(0);
    QTRY_VERIFY(history->retryButton()->isEnabled());
    QTest::mouseClick(history->retryButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(message->text().startsWith(u"Sent again: Succeeded"_s), kTimeout);
    m_window->tabs()->setCurrentWidget(m_window->form());
}

// At the default size every column of the list is on screen, none wraps.
void TestUiWindow::listColumnsFitAndDoNotWrap()
{
    auto *view = m_window->webhookView();
    QVERIFY(!view->wordWrap());
    const int right = view->viewport()->width();
    for (int c = 0; c < WebhookListModel::ColumnCount; ++c) {
        const int end = view->horizontalHeader()->sectionViewportPosition(c) + view->horizontalHeader()->sectionSize(c);
        QVERIFY2(end <= right + 1, qPrintable(u"column %1 ends at %2, the list is %3 wide"_s.arg(c).arg(end).arg(right)));
    }
    // "Last delivery" fits what it shows.
    const auto text = view->model()->index(0, WebhookListModel::LastDelivery).data().toString();
    QVERIFY2(view->fontMetrics().horizontalAdvance(text) <= view->columnWidth(WebhookListModel::LastDelivery),
             qPrintable(u"\"%1\" is %2 px, its column %3 px"_s.arg(text)
                            .arg(view->fontMetrics().horizontalAdvance(text))
                            .arg(view->columnWidth(WebhookListModel::LastDelivery))));
}

// No widget carries a colour of its own in a style sheet: colours come from
// Theme, which picks them for the palette in use.
void TestUiWindow::coloursComeFromTheTheme()
{
    QStringList styled;
    for (auto *w : m_window->findChildren<QWidget *>()) {
        if (!w->styleSheet().isEmpty())
            styled << u"%1: %2"_s.arg(QString::fromLatin1(w->metaObject()->className()), w->styleSheet());
    }
    QVERIFY2(styled.isEmpty(), qPrintable(styled.join(u"; "_s)));
}

// The rotation grace and the request timeout as a number and a unit, not seconds.
void TestUiWindow::settingsShowDurations()
{
    m_window->action(u"settings"_s)->trigger();
    SettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = qobject_cast<SettingsDialog *>(QApplication::activeModalWidget())));
    auto *save = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
    QTRY_VERIFY_WITH_TIMEOUT(save->isEnabled(), kTimeout); // the values are read
    auto *grace = test::byAccessibleName<DurationEdit>(dialog, u"Secret rotation grace period"_s);
    QVERIFY(grace);
    QCOMPARE(grace->text(), u"1 day"_s); // the default, 86 400 s
    auto *timeout = test::byAccessibleName<DurationEdit>(dialog, u"Request timeout"_s);
    QVERIFY(timeout);
    QCOMPARE(timeout->text(), u"10 seconds"_s);
    QCOMPARE(dialog->values().value(u"rotationGraceSeconds"_s), u"86400"_s);
    dialog->reject();
}

// "Close to the tray" on a desktop without one would lose the window with
// the engine still running: the window closes for real instead.
void TestUiWindow::closesForRealWithoutATray()
{
    QSettings().setValue(QString::fromLatin1(TrayIcon::kCloseToTrayKey), true);
    const auto reset = qScopeGuard([] { QSettings().remove(QString::fromLatin1(TrayIcon::kCloseToTrayKey)); });
    MainWindow other(m_app.context());
    other.show();
    QVERIFY(QTest::qWaitForWindowExposed(&other));
    QVERIFY(other.trayIcon());
    QCOMPARE(other.trayIcon()->isVisible(), QSystemTrayIcon::isSystemTrayAvailable());
    if (QSystemTrayIcon::isSystemTrayAvailable())
        QSKIP("this desktop has a tray: the window would hide in it");
    QVERIFY(!other.trayIcon()->keepsRunningOnClose());
    QVERIFY(other.close());
    QVERIFY(!other.isVisible());
    QVERIFY(m_app.context().engine().isRunning());
}

// Tools → Signature debugger as an administrator uses it: headers and a
// body pasted, the secret typed; the verdict is read out and the mistake
// (a body re-serialised on the way) is named with its fix.
void TestUiWindow::signatureDebuggerNamesTheMistake()
{
    m_window->action(u"debugger"_s)->trigger();
    SignatureDebuggerDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = m_window->findChild<SignatureDebuggerDialog *>()) != nullptr, kTimeout);
    const auto close = qScopeGuard([dialog] {
        dialog->close();
        dialog->deleteLater();
    });
    QTRY_VERIFY_WITH_TIMEOUT(dialog->webhookBox()->count() > 1, kTimeout); // the webhooks made by the tests above
    for (QWidget *w :
         std::initializer_list<QWidget *>{dialog->webhookBox(), dialog->secretEdit(), dialog->headersEdit(), dialog->bodyEdit(), dialog->details()})
        QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));

    const QString secret = u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s;
    SignRequest r;
    r.messageId = "msg_debugger";
    r.timestamp = QDateTime::currentSecsSinceEpoch();
    r.body = R"({"a":1,"b":[1,2]})";
    const auto signedHeaders = Signer::sign(Scheme::Standard, {secret}, r);
    QStringList lines;
    for (const auto &[name, value] : signedHeaders.headers)
        lines << QString::fromUtf8(name + ": " + value);
    dialog->headersEdit()->setPlainText(lines.join(u'\n'));
    dialog->secretEdit()->setText(secret);

    dialog->bodyEdit()->setPlainText(QString::fromUtf8(r.body));
    QTest::mouseClick(dialog->checkButton(), Qt::LeftButton);
    QCOMPARE(dialog->verdict()->text(), u"✓ The signature verifies."_s);

    dialog->bodyEdit()->setPlainText(u"{\n  \"a\": 1,\n  \"b\": [1, 2]\n}"_s);
    QTest::mouseClick(dialog->checkButton(), Qt::LeftButton);
    QVERIFY2(dialog->verdict()->text().startsWith(u"✗ The signature does not verify"_s), qPrintable(dialog->verdict()->text()));
    const QString details = dialog->details()->toPlainText();
    QVERIFY2(details.contains(u"compact JSON"_s) && details.contains(u"Fix: "_s), qPrintable(details));
    QVERIFY2(details.contains(u"{↵"_s), qPrintable(details)); // the signed content, line feeds shown
    QVERIFY(!details.contains(secret));
}

// The secret panel's verification code is for the webhook on screen (its
// scheme, the installation's prefix), in the language picked, and copying
// it never copies the secret.
void TestUiWindow::verificationCodeFollowsTheWebhook()
{
    const QString id = createByService(u"Code sample"_s, u"/code"_s);
    QVERIFY(!id.isEmpty());
    // The list reloads on its own thread first: select once it holds the new webhook.
    QTRY_VERIFY_WITH_TIMEOUT((m_window->selectWebhook(id), m_window->currentWebhookId() == id), kTimeout);
    auto *view = m_window->secretPanel()->verificationCode();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->secretPanel()->secretField()->text().isEmpty(), kTimeout);
    const QString secret = m_window->secretPanel()->secretField()->text();
    view->languageBox()->setCurrentIndex(view->languageBox()->findData(u"node"_s));
    QVERIFY2(view->codeView()->toPlainText().contains(u"require('standardwebhooks')"_s), qPrintable(view->codeView()->toPlainText()));
    view->languageBox()->setCurrentIndex(view->languageBox()->findData(u"python"_s));
    const QString python = view->codeView()->toPlainText();
    QVERIFY(python.contains(u"request.headers.get(\"webhook-signature\""_s));
    QVERIFY(python.contains(u"os.environ[\"WEBHOOK_SECRET\"]"_s));
    QTest::mouseClick(view->copyButton(), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), python);
    QVERIFY(!python.contains(secret));
}

// Tools → Request inspector: started on a free port, it shows a signed
// request arrive, answers it as chosen (503 with Retry-After), and checks
// its signature against the webhook picked.
void TestUiWindow::requestInspectorShowsAndAnswers()
{
    const QString id = createByService(u"Inspected"_s, u"/inspected"_s);
    QVERIFY(!id.isEmpty());
    Webhook webhook;
    {
        QEventLoop loop;
        const auto job = [id](QSqlDatabase db) { return WebhookService(db).get(id); };
        m_app.context().db().run<Result<Webhook>>(job, this, [&](Result<Webhook> r) {
            if (r)
                webhook = *r;
            loop.quit();
        });
        QTimer::singleShot(kTimeout, &loop, &QEventLoop::quit);
        loop.exec();
    }
    QVERIFY(!webhook.secret.isEmpty());

    m_window->action(u"inspector"_s)->trigger();
    InspectorDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = m_window->findChild<InspectorDialog *>()) != nullptr, kTimeout);
    const auto close = qScopeGuard([dialog] {
        dialog->close();
        dialog->deleteLater();
    });
    QTRY_VERIFY_WITH_TIMEOUT(dialog->webhookBox()->findData(id) > 0, kTimeout);
    dialog->webhookBox()->setCurrentIndex(dialog->webhookBox()->findData(id));
    dialog->findChild<QSpinBox *>()->setValue(0); // any free port
    dialog->statusBox()->setValue(503);
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QVERIFY(dialog->inspector()->isListening());
    QVERIFY2(dialog->address()->text().contains(u"http://127.0.0.1:"_s), qPrintable(dialog->address()->text()));

    SignRequest signing;
    signing.messageId = "msg_inspected";
    signing.timestamp = QDateTime::currentSecsSinceEpoch();
    signing.body = R"({"event":"lead.created","data":{"id":7}})";
    const auto signedHeaders = Signer::sign(webhook.scheme, {webhook.secret}, signing);
    QNetworkRequest request{QUrl(dialog->inspector()->url())};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : signedHeaders.headers)
        request.setRawHeader(name, value);
    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> reply(nam.post(request, signing.body));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kTimeout);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
    QCOMPARE(dialog->model()->rowCount(), 1);
    QCOMPARE(dialog->model()->index(0, InspectorModel::Answered).data().toString(), u"503"_s);
    QCOMPARE(dialog->model()->index(0, InspectorModel::Signature).data().toString(), u"valid"_s);
    const QString details = dialog->details()->toPlainText();
    QVERIFY2(details.startsWith(u"POST /webhook"_s) && details.contains(u"Signature: valid"_s) && details.contains(u"\"id\": 7"_s),
             qPrintable(details));
    QVERIFY(!details.contains(webhook.secret));
}

// "Copy as curl" reproduces the attempt byte for byte: the command, run by
// a shell, sends the receiver the same body and the same signature headers
// as the engine did.
void TestUiWindow::copyAsCurlSendsTheSameBytes()
{
    if (QStandardPaths::findExecutable(u"curl"_s).isEmpty())
        QSKIP("curl is not installed");
    const QString id = createByService(u"Curl copy"_s, u"/curl"_s);
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT((m_window->selectWebhook(id), m_window->currentWebhookId() == id), kTimeout);
    pingAndWait(id);
    const auto sent = m_receiver.requests(QByteArrayLiteral("/curl"));
    QCOMPARE(sent.size(), 1);
    const auto &original = sent.constFirst();
    const QString deliveryId = QString::fromLatin1(original.header("webhook-id"));
    QVERIFY(deliveryId.startsWith(u"msg_"_s));

    SentRequest request;
    {
        QEventLoop loop;
        const auto job = [deliveryId](QSqlDatabase db) { return DeliveryService(db).lastRequest(deliveryId); };
        m_app.context().db().run<Result<SentRequest>>(job, this, [&](Result<SentRequest> r) {
            if (r)
                request = *r;
            loop.quit();
        });
        QTimer::singleShot(kTimeout, &loop, &QEventLoop::quit);
        loop.exec();
    }
    QVERIFY(!request.url.isEmpty());
    const QString command = CurlCommand::build(request.url, request.headers, request.body);
    QProcess shell;
    shell.start(u"sh"_s, {u"-c"_s, command});
    QVERIFY(shell.waitForStarted(kTimeout));
    QTRY_VERIFY_WITH_TIMEOUT(m_receiver.count(QByteArrayLiteral("/curl")) == 2, kTimeout); // the receiver answers on this thread
    QTRY_VERIFY_WITH_TIMEOUT(shell.state() == QProcess::NotRunning, kTimeout);             // curl waits for the answer: no blocking wait here
    QCOMPARE(shell.exitCode(), 0);
    const auto &again = m_receiver.requests(QByteArrayLiteral("/curl")).constLast();
    QCOMPARE(again.body, original.body);
    for (const QByteArray name : {"webhook-id", "webhook-timestamp", "webhook-signature", "Content-Type", "X-Webhook-Event", "User-Agent"})
        QCOMPARE(again.header(name), original.header(name));
}

// A history the database cannot give (here a status this version does not
// know) is said in the view, not shown as an empty page.
// "Inspect this webhook": an inactive copy pointed at the inspector (the
// original untouched) gets a test ping, which arrives signed with its secret.
void TestUiWindow::inspectThisWebhookPingsACopy()
{
    m_window->selectWebhook(m_first);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentWebhookId(), m_first, kTimeout);
    const auto originalUrl = m_window->webhookModel()->rowFor(m_first)->webhook.url;
    auto *inspect = m_window->action(u"inspect"_s);
    QVERIFY(inspect && inspect->isEnabled());
    inspect->trigger();
    QPointer<InspectorDialog> dialog;
    for (auto *d : m_window->findChildren<InspectorDialog *>()) {
        if (d->isVisible())
            dialog = d; // an earlier test's is closed, on its way out
    }
    QVERIFY(dialog);
    const auto close = qScopeGuard([dialog] {
        if (dialog)
            dialog->close();
    });
    QSignalSpy made(dialog, &InspectorDialog::copyMade);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->model()->rowCount(), 1, 15000);
    QCOMPARE(made.count(), 1);
    const auto copyId = made.at(0).at(0).toString();
    QVERIFY(copyId != m_first);
    auto *model = dialog->model();
    QCOMPARE(model->index(0, InspectorModel::Target).data().toString(), u"/inspect/"_s + m_first);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, InspectorModel::Signature).data().toString(), u"valid"_s, kTimeout);
    QVERIFY2(dialog->note()->text().contains(u"(inspector)"_s), qPrintable(dialog->note()->text()));
    // The original is as it was; the copy is inactive (no real events), pointed at the inspector.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->webhookModel()->rowFor(copyId), kTimeout);
    QCOMPARE(m_window->webhookModel()->rowFor(m_first)->webhook.url, originalUrl);
    const auto &copy = m_window->webhookModel()->rowFor(copyId)->webhook;
    QVERIFY(!copy.active);
    QVERIFY(copy.isInspectorCopy());
    QVERIFY(copy.url.startsWith(dialog->inspector()->url(QString())));
    // A second time: the same copy, pinged again.
    dialog->inspect(m_first);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, 15000);
    QCOMPARE(made.count(), 2);
    QCOMPARE(made.at(1).at(0).toString(), copyId);
}

// A receiver that fails until the engine deactivates its webhook: the
// window says so once (one notification, whatever number of deliveries
// failed), marks it in the list, and the banner above its details offers
// the failures and turning it back on.
void TestUiWindow::autoDisabledWebhookIsOneNotificationWithWhatToDo()
{
    m_receiver.setResponder([](const test::ReceivedRequest &r) { return test::ScriptedReply::ok(r.path == "/broken" ? 500 : 200); });
    const auto restore = qScopeGuard([this] { m_receiver.setResponder([](const test::ReceivedRequest &) { return test::ScriptedReply::ok(); }); });
    QSignalSpy notified(m_window->trayIcon(), &TrayIcon::notified);
    QString id;
    {
        Webhook w;
        w.name = u"Broken receiver"_s;
        w.url = m_receiver.url(u"/broken"_s);
        w.events = {u"dossier.created"_s}; // no other webhook of this test takes it
        w.retry.maxRetries = 0;
        w.retry.autoDisableAfter = 3;
        QEventLoop loop;
        const auto job = [w](QSqlDatabase db) {
            auto created = WebhookService(db).create(w);
            if (!created)
                return QString();
            EventService events(db);
            for (int i = 0; i < 6; ++i) {
                const QByteArray data = "{\"n\":" + QByteArray::number(i) + '}';
                if (!events.emitEvent(u"default"_s, u"dossier.created"_s, data))
                    return QString();
            }
            return created->id;
        };
        m_app.context().db().run<QString>(job, this, [&](const QString &created) {
            id = created;
            loop.quit();
        });
        QTimer::singleShot(kTimeout, &loop, &QEventLoop::quit);
        loop.exec();
    }
    QVERIFY(!id.isEmpty());
    m_app.context().notifyWebhooksChanged();
    m_app.context().notifyEventsEmitted();
    QTRY_VERIFY_WITH_TIMEOUT(notified.count() >= 1, 15000);
    QCOMPARE(notified.at(0).at(0).toString(), u"Webhook “Broken receiver” was deactivated"_s);
    // 3 or more: a failure recorded in the same batch as the third counts too.
    QVERIFY2(QRegularExpression(u"deactivated after [3-6] deliveries in a row failed \\(the last: HTTP 500\\)"_s)
                 .match(notified.at(0).at(1).toString())
                 .hasMatch(),
             qPrintable(notified.at(0).at(1).toString()));
    // The status bar says it too (a window without a tray icon).
    QVERIFY2(m_window->statusBar()->currentMessage().contains(u"Broken receiver"_s), qPrintable(m_window->statusBar()->currentMessage()));
    // In the list: words, not only a colour.
    QTRY_COMPARE_WITH_TIMEOUT(
        m_window->webhookModel()->index(m_window->webhookModel()->indexFor(id).row(), WebhookListModel::Status).data().toString(), u"Auto-disabled"_s,
        kTimeout);
    // The feed reads again (a poll, another process's alerts): nothing new, nothing said twice.
    QTest::qWait(AlertFeed::kPollMs + 500);
    QCOMPARE(notified.count(), 1);

    m_window->selectWebhook(id);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentWebhookId(), id, kTimeout);
    auto *banner = m_window->alertBanner();
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kTimeout);
    QVERIFY2(banner->label()->text().contains(u"deactivated"_s), qPrintable(banner->label()->text()));
    QCOMPARE(banner->label()->accessibleName(), banner->label()->text());
    QVERIFY(banner->reenableButton()->isVisible());
    QVERIFY(banner->showFailuresButton()->focusPolicy() & Qt::TabFocus);
    banner->showFailuresButton()->click();
    QCOMPARE(m_window->tabs()->currentWidget(), m_window->history());
    auto *status = test::byAccessibleName<QComboBox>(m_window->history(), u"Status filter"_s);
    QVERIFY(status);
    QCOMPARE(status->currentData().toString(), u"failed"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->history()->model()->rowCount(), 6, kTimeout); // three sent, three not (inactive)
    banner->reenableButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_window->webhookModel()->index(m_window->webhookModel()->indexFor(id).row(), WebhookListModel::Status).data().toString(), u"Active"_s,
        kTimeout);
    QCOMPARE(notified.count(), 1); // turning it back on is the administrator's own doing: no notification
    status->setCurrentIndex(0);
}

void TestUiWindow::historySaysWhenItCannotRead()
{
    m_window->selectWebhook(m_first);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentWebhookId(), m_first, kTimeout);
    auto *history = m_window->history();
    m_window->tabs()->setCurrentWidget(history);
    {
        auto db = m_app.connection();
        QSqlQuery q(db);
        QVERIFY(q.exec(u"PRAGMA ignore_check_constraints = ON"_s));
        QVERIFY(q.exec(u"UPDATE deliveries SET status = 'from-the-future'"_s));
        QVERIFY(q.exec(u"PRAGMA ignore_check_constraints = OFF"_s));
    }
    m_app.release();
    QSignalSpy failed(history->model(), &DeliveryHistoryModel::loadFailed);
    history->setWebhook(m_first); // read again from the start
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), kTimeout);
    auto *message = test::byAccessibleDescription<QLabel>(history, u"History message"_s);
    QVERIFY(message);
    QVERIFY2(message->text().contains(u"could not be read"_s) && message->text().contains(u"from-the-future"_s), qPrintable(message->text()));
    QCOMPARE(spoken(message), message->text());
}

QTEST_MAIN(TestUiWindow)
#include "tst_ui_window.moc"
