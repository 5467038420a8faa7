// Tests for ui/Clipboard and the secret panel: a secret goes on the clipboard
// marked for password managers, is cleared after the delay and on quit, but
// only while the clipboard still holds it; the panel masks the secret until
// revealed and copies it through Clipboard.

#include "AppContext.h"
#include "Clipboard.h"
#include "service/CatalogService.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "support/WidgetLookup.h"
#include "support/WindowFixture.h"
#include "widgets/SecretPanel.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtTest>

#include <memory>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeout = 10000;
const QString kHint = QString::fromLatin1(Clipboard::kPasswordManagerHint);

QClipboard *clipboard()
{
    return QGuiApplication::clipboard();
}

} // namespace

class TestUiClipboard : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void secretIsMarkedForPasswordManagers();
    void clearedAfterDelay();
    void notClearedWhenUserCopiedSomethingElse();
    void clearedOnQuit();
    void clearIfOursLeavesOthersAlone();
    void destructorClears();
    void newSecretRestartsDelay();

    void panelMasksSecret();
    void panelRevealToggles();
    void panelCopyUsesClipboard();
    void panelWithoutWebhookOffersNothing();
    void panelRotate();
    void panelRotationSurvivesReload();

    void secretOnClipboardAtExit();
    void secretOnClipboardAtExitChild();

private:
    test::WindowFixture m_app;
    Webhook m_webhook;
};

void TestUiClipboard::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(clipboard());
    const auto opened = m_app.open(u"clip.db"_s);
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    {
        auto db = m_app.connection();
        Webhook w;
        w.name = u"Secretive"_s;
        w.url = u"http://127.0.0.1:9/secret"_s;
        w.events = {u"lead.created"_s};
        auto created = WebhookService(db).create(w);
        QVERIFY(created);
        m_webhook = *created;
        QVERIFY(m_webhook.secret.startsWith(u"whsec_"_s));
    }
    m_app.start();
}

void TestUiClipboard::init()
{
    Clipboard::instance()->setClearDelayMs(200);
    Clipboard::instance()->clearIfOurs();
    clipboard()->clear();
}

void TestUiClipboard::cleanup()
{
    if (qEnvironmentVariable("HOOKLINE_CLIPBOARD_CHILD") == u"1")
        return; // the child leaves its secret for the exit
    Clipboard::instance()->clearIfOurs();
}

void TestUiClipboard::cleanupTestCase()
{
    m_app.close();
}

void TestUiClipboard::secretIsMarkedForPasswordManagers()
{
    Clipboard c;
    c.setClearDelayMs(60'000);
    c.setSecret(u"whsec_top_secret"_s);
    QCOMPARE(clipboard()->text(), u"whsec_top_secret"_s);
    const auto *mime = clipboard()->mimeData();
    QVERIFY(mime);
    QVERIFY2(mime->hasFormat(kHint), qPrintable(mime->formats().join(u", "_s)));
    QCOMPARE(mime->data(kHint), QByteArrayLiteral("secret"));
    QVERIFY(c.holdsOurs());
    QCOMPARE(Clipboard::kDefaultClearDelayMs, 30'000);
    QCOMPARE(Clipboard().clearDelayMs(), Clipboard::kDefaultClearDelayMs);
}

void TestUiClipboard::clearedAfterDelay()
{
    Clipboard c;
    // A delay long enough that a loaded CI machine still looks before it ends.
    c.setClearDelayMs(1000);
    QSignalSpy cleared(&c, &Clipboard::cleared);
    QElapsedTimer timer;
    timer.start();
    c.setSecret(u"whsec_short_lived"_s);
    QTest::qWait(100);
    QCOMPARE(clipboard()->text(), u"whsec_short_lived"_s); // not before the delay
    QVERIFY(cleared.wait(kTimeout));
    // A coarse QTimer may fire up to 5 % early.
    QVERIFY(timer.elapsed() >= 940);
    QVERIFY2(clipboard()->text().isEmpty(), qPrintable(clipboard()->text()));
    QVERIFY(!clipboard()->mimeData() || !clipboard()->mimeData()->hasFormat(kHint));
    QVERIFY(!c.holdsOurs());
}

void TestUiClipboard::notClearedWhenUserCopiedSomethingElse()
{
    Clipboard c;
    c.setClearDelayMs(200);
    QSignalSpy cleared(&c, &Clipboard::cleared);
    c.setSecret(u"whsec_replaced"_s);
    clipboard()->setText(u"what the user copied"_s);
    QVERIFY(!c.holdsOurs());
    QTest::qWait(500);
    QCOMPARE(cleared.size(), 0);
    QCOMPARE(clipboard()->text(), u"what the user copied"_s);
    // Quitting leaves it alone too.
    c.clearIfOurs();
    QCOMPARE(clipboard()->text(), u"what the user copied"_s);
}

void TestUiClipboard::clearedOnQuit()
{
    Clipboard c;
    c.setClearDelayMs(60'000);
    QSignalSpy cleared(&c, &Clipboard::cleared);
    c.setSecret(u"whsec_until_quit"_s);
    // QCoreApplication::aboutToQuit, as emitted by quit(), without quitting.
    QVERIFY(QMetaObject::invokeMethod(qApp, "aboutToQuit", Qt::DirectConnection));
    QCOMPARE(cleared.size(), 1);
    QVERIFY(clipboard()->text().isEmpty());
}

void TestUiClipboard::clearIfOursLeavesOthersAlone()
{
    Clipboard c;
    c.setClearDelayMs(60'000);
    c.setSecret(u"whsec_direct"_s);
    c.clearIfOurs();
    QVERIFY(clipboard()->text().isEmpty());
    // Nothing of ours any more: what comes next is not touched.
    clipboard()->setText(u"later text"_s);
    c.clearIfOurs();
    QCOMPARE(clipboard()->text(), u"later text"_s);
    QVERIFY(QMetaObject::invokeMethod(qApp, "aboutToQuit", Qt::DirectConnection));
    QCOMPARE(clipboard()->text(), u"later text"_s);
}

void TestUiClipboard::destructorClears()
{
    {
        Clipboard c;
        c.setClearDelayMs(60'000);
        c.setSecret(u"whsec_scoped"_s);
        QCOMPARE(clipboard()->text(), u"whsec_scoped"_s);
    }
    QVERIFY(clipboard()->text().isEmpty());
}

void TestUiClipboard::newSecretRestartsDelay()
{
    Clipboard c;
    c.setClearDelayMs(300);
    QSignalSpy cleared(&c, &Clipboard::cleared);
    c.setSecret(u"whsec_first"_s);
    QTest::qWait(200);
    c.setSecret(u"whsec_second"_s);
    QTest::qWait(200); // 400 ms after the first, 200 after the second
    QCOMPARE(cleared.size(), 0);
    QCOMPARE(clipboard()->text(), u"whsec_second"_s);
    QVERIFY(cleared.wait(kTimeout));
    QVERIFY(clipboard()->text().isEmpty());
}

// ---------------------------------------------------------------- panel

void TestUiClipboard::panelMasksSecret()
{
    SecretPanel panel(m_app.context());
    panel.setWebhook(m_webhook);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(panel.secretField()->echoMode(), QLineEdit::Password);
    QCOMPARE(panel.secretField()->text(), m_webhook.secret);
    QVERIFY(!panel.secretField()->displayText().contains(u"whsec_"_s));
    QVERIFY(panel.secretField()->isReadOnly());
    QVERIFY(!panel.revealButton()->isChecked());
    QVERIFY(panel.copyButton()->isEnabled());
    QVERIFY(panel.rotateButton()->isEnabled());
    QVERIFY(!panel.secretField()->accessibleName().isEmpty());
}

void TestUiClipboard::panelRevealToggles()
{
    SecretPanel panel(m_app.context());
    panel.setWebhook(m_webhook);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const auto maskedText = panel.revealButton()->text();
    QTest::mouseClick(panel.revealButton(), Qt::LeftButton);
    QVERIFY(panel.revealButton()->isChecked());
    QCOMPARE(panel.secretField()->echoMode(), QLineEdit::Normal);
    QCOMPARE(panel.secretField()->displayText(), m_webhook.secret);
    QVERIFY(panel.revealButton()->text() != maskedText); // says what a click does now
    // From the keyboard too.
    panel.revealButton()->setFocus();
    QTest::keyClick(panel.revealButton(), Qt::Key_Space);
    QVERIFY(!panel.revealButton()->isChecked());
    QCOMPARE(panel.secretField()->echoMode(), QLineEdit::Password);
    QCOMPARE(panel.revealButton()->text(), maskedText);

    // Another webhook shown: masked again.
    QTest::mouseClick(panel.revealButton(), Qt::LeftButton);
    QCOMPARE(panel.secretField()->echoMode(), QLineEdit::Normal);
    panel.setWebhook(m_webhook);
    QCOMPARE(panel.secretField()->echoMode(), QLineEdit::Password);
    QVERIFY(!panel.revealButton()->isChecked());
}

void TestUiClipboard::panelCopyUsesClipboard()
{
    SecretPanel panel(m_app.context());
    panel.setWebhook(m_webhook);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy cleared(Clipboard::instance(), &Clipboard::cleared);
    QTest::mouseClick(panel.copyButton(), Qt::LeftButton);
    QCOMPARE(clipboard()->text(), m_webhook.secret);
    QVERIFY(clipboard()->mimeData()->hasFormat(kHint));
    QCOMPARE(clipboard()->mimeData()->data(kHint), QByteArrayLiteral("secret"));
    QVERIFY(Clipboard::instance()->holdsOurs());
    auto *status = test::byAccessibleDescription<QLabel>(&panel, u"Secret status"_s);
    QVERIFY(status);
    QVERIFY2(status->text().contains(u"clipboard"_s, Qt::CaseInsensitive), qPrintable(status->text()));
    // Still masked on screen: copying does not reveal.
    QCOMPARE(panel.secretField()->echoMode(), QLineEdit::Password);
    QVERIFY(cleared.wait(kTimeout));
    QVERIFY(clipboard()->text().isEmpty());
    QVERIFY2(status->text().contains(u"cleared"_s), qPrintable(status->text()));
}

void TestUiClipboard::panelWithoutWebhookOffersNothing()
{
    SecretPanel panel(m_app.context());
    panel.setWebhook(Webhook{});
    QVERIFY(!panel.copyButton()->isEnabled());
    QVERIFY(!panel.revealButton()->isEnabled());
    QVERIFY(!panel.rotateButton()->isEnabled());
    QVERIFY(panel.secretField()->text().isEmpty());
    QVERIFY(!panel.secretField()->placeholderText().isEmpty());
}

void TestUiClipboard::panelRotate()
{
    SecretPanel panel(m_app.context());
    panel.setWebhook(m_webhook);
    panel.setGraceSeconds(3600);
    QSignalSpy rotated(&panel, &SecretPanel::rotated);
    QSignalSpy changed(&m_app.context(), &AppContext::webhooksChanged);
    panel.rotateConfirmed();
    QVERIFY(!panel.rotateButton()->isEnabled()); // while rotating
    QVERIFY(rotated.wait(kTimeout));
    QCOMPARE(rotated.at(0).at(0).toString(), m_webhook.id);
    QCOMPARE(changed.size(), 1);
    const auto fresh = panel.secretField()->text();
    QVERIFY(!fresh.isEmpty());
    QVERIFY(fresh != m_webhook.secret);
    // Shown and copied, marked as a secret; the old one's grace period stated.
    QCOMPARE(panel.secretField()->echoMode(), QLineEdit::Normal);
    QCOMPARE(clipboard()->text(), fresh);
    QVERIFY(clipboard()->mimeData()->hasFormat(kHint));
    auto *grace = test::byAccessibleDescription<QLabel>(&panel, u"Previous secret"_s);
    QVERIFY(grace);
    QVERIFY(!grace->isHidden());
    QVERIFY2(grace->text().contains(u"previous secret"_s, Qt::CaseInsensitive), qPrintable(grace->text()));
    QVERIFY(panel.rotateButton()->isEnabled());
    m_webhook.secret = fresh;
}

// The window reads the webhook again after a rotation (webhooksChanged): the
// new secret stays revealed with its notice and the old one's expiry, until
// the user hides it or leaves the panel.
void TestUiClipboard::panelRotationSurvivesReload()
{
    QWidget window;
    auto *panel = new SecretPanel(m_app.context(), &window);
    auto *layout = new QVBoxLayout(&window);
    layout->addWidget(panel);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    panel->setWebhook(m_webhook);
    panel->setGraceSeconds(3600);
    QSignalSpy rotated(panel, &SecretPanel::rotated);
    panel->rotateConfirmed();
    QVERIFY(rotated.wait(kTimeout));
    const auto fresh = panel->secretField()->text();
    auto *status = test::byAccessibleDescription<QLabel>(panel, u"Secret status"_s);
    auto *grace = test::byAccessibleDescription<QLabel>(panel, u"Previous secret"_s);
    QVERIFY(status && grace);
    const auto notice = status->text();
    QVERIFY2(notice.startsWith(u"New secret issued and copied"_s) && notice.count(u"opied"_s) == 1, qPrintable(notice));
    // The button is called what it says.
    QCOMPARE(panel->revealButton()->accessibleName(), u"Hide secret"_s);

    // The reload, as the window does it.
    Result<Webhook> reloaded = Error::database(u"not loaded"_s);
    QEventLoop loop;
    const auto job = [id = m_webhook.id](QSqlDatabase db) { return WebhookService(db).get(id); };
    m_app.context().db().run<Result<Webhook>>(job, this, [&](Result<Webhook> w) {
        reloaded = std::move(w);
        loop.quit();
    });
    loop.exec();
    QVERIFY(reloaded);
    QCOMPARE(reloaded->secret, fresh);
    panel->setWebhook(*reloaded);
    QCOMPARE(panel->secretField()->echoMode(), QLineEdit::Normal);
    QVERIFY(panel->revealButton()->isChecked());
    QCOMPARE(status->text(), notice);
    QVERIFY(!grace->isHidden());
    // The expiry in the window's one date format, the exact instant in the tooltip.
    QVERIFY2(grace->toolTip().endsWith(u"Z"_s), qPrintable(grace->toolTip()));

    // Leaving the panel (another tab hides it) masks it again.
    panel->hide();
    panel->show();
    QCOMPARE(panel->secretField()->echoMode(), QLineEdit::Password);
    QVERIFY(status->text().isEmpty());
    // And a later reload does not bring the notice back.
    panel->setWebhook(*reloaded);
    QCOMPARE(panel->secretField()->echoMode(), QLineEdit::Password);
    QVERIFY(status->text().isEmpty());
    m_webhook = *reloaded;
}

// A process that ends with a secret still on the clipboard and without
// aboutToQuit (no event loop ran, or it was left another way): the shared
// Clipboard, a child of qApp, is destroyed after QGuiApplication and then asks
// QGuiApplication::clipboard() for a clipboard that is no longer there.
void TestUiClipboard::secretOnClipboardAtExit()
{
    QProcess child;
    child.setProcessChannelMode(QProcess::MergedChannels);
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOOKLINE_CLIPBOARD_CHILD"_s, u"1"_s);
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {u"secretOnClipboardAtExitChild"_s});
    QVERIFY(child.waitForFinished(30000));
    const auto output = QString::fromUtf8(child.readAll());
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 0);
    QVERIFY2(!output.contains(u"Must construct a QGuiApplication before accessing a QClipboard"_s),
             "~Clipboard (Clipboard::instance(), parented to qApp) ran after ~QGuiApplication and called "
             "QGuiApplication::clipboard(), which returned nullptr: holdsOurs()/clearIfOurs() then call QClipboard "
             "members through a null pointer");
}

void TestUiClipboard::secretOnClipboardAtExitChild()
{
    if (qEnvironmentVariable("HOOKLINE_CLIPBOARD_CHILD") != u"1")
        QSKIP("runs in a child process of secretOnClipboardAtExit");
    Clipboard::instance()->setClearDelayMs(60'000);
    Clipboard::instance()->setSecret(u"whsec_left_at_exit"_s);
    QVERIFY(Clipboard::instance()->holdsOurs());
}

QTEST_MAIN(TestUiClipboard)
#include "tst_ui_clipboard.moc"
