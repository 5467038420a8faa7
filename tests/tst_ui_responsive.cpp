// The window never blocks on the database or the network: with the database
// locked by another process-like connection, or a receiver that never answers,
// the GUI thread keeps turning its event loop. Measured as the longest gap
// between ticks of a 20 ms timer while the window works.
#include "AppContext.h"
#include "MainWindow.h"
#include "engine/DeliveryEngine.h"
#include "models/WebhookListModel.h"
#include "service/CatalogService.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "store/Database.h"
#include "widgets/TestResultBar.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace hookline;

namespace {
// A blocked GUI thread would stall for the whole lock (2 s) or request (3 s);
// a busy CI machine may delay a timer tick, but not by a second.
constexpr qint64 kMaxStallMs = 1000;

// Runs the event loop for `ms` and returns the longest pause between ticks.
qint64 longestStall(int ms)
{
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 worst = 0;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        worst = std::max(worst, clock.elapsed() - last);
        last = clock.elapsed();
    });
    tick.start(20);
    while (clock.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return std::max(worst, clock.elapsed() - last);
}
} // namespace

class TestUiResponsive : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void lockedDatabase();
    void stalledReceiver();

private:
    QTemporaryDir *m_dir = nullptr;
    std::shared_ptr<Installation> m_database;
    QString m_webhookId;
};

void TestUiResponsive::init()
{
    m_dir = new QTemporaryDir;
    auto opened = Installation::open(m_dir->filePath(QStringLiteral("ui.db")), {QStringLiteral("lead-crm")});
    QVERIFY(opened);
    m_database = *opened;
    auto db = m_database->connection();
    QVERIFY(Settings(db).setValue(QStringLiteral("allowInsecureUrls"), QStringLiteral("true")));
    QVERIFY(Settings(db).setValue(QStringLiteral("allowPrivateAddresses"), QStringLiteral("true")));
    QVERIFY(Settings(db).setValue(QStringLiteral("requestTimeoutSeconds"), QStringLiteral("3")));
    Webhook w;
    w.name = QStringLiteral("Stalled");
    w.url = QStringLiteral("http://127.0.0.1:9/never");
    w.events = {QStringLiteral("lead.*")};
    auto created = WebhookService(db).create(w);
    QVERIFY(created);
    m_webhookId = created->id;
    m_database->releaseThreadConnection();
}

void TestUiResponsive::cleanup()
{
    m_database.reset();
    delete m_dir;
}

void TestUiResponsive::lockedDatabase()
{
    AppContext context(m_database, 1);
    MainWindow window(context);
    window.show();
    QTRY_VERIFY_WITH_TIMEOUT(window.webhookModel()->rowCount() == 1, 5000);

    // Another connection takes the write lock and holds it for 2 s.
    {
        auto locker = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
        locker.setDatabaseName(m_dir->filePath(QStringLiteral("ui.db")));
        QVERIFY(locker.open());
        QSqlQuery q(locker);
        QVERIFY(q.exec(QStringLiteral("BEGIN EXCLUSIVE")));
        QVERIFY(q.exec(QStringLiteral("UPDATE settings SET value = value")));
        // The window asks for work that needs the database meanwhile.
        window.action(QStringLiteral("refresh"))->trigger();
        window.action(QStringLiteral("toggle"))->trigger();
        const auto stall = longestStall(2000);
        QVERIFY2(stall < kMaxStallMs, qPrintable(QStringLiteral("the GUI thread stalled %1 ms").arg(stall)));
        QVERIFY(q.exec(QStringLiteral("COMMIT")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("locker"));
    // Once the lock is gone, the queued work completes.
    QTRY_VERIFY_WITH_TIMEOUT(!window.webhookModel()->rowFor(m_webhookId)->webhook.active, 10000);
}

void TestUiResponsive::stalledReceiver()
{
    // A receiver that accepts connections and never answers.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QList<QTcpSocket *> held;
    connect(&silent, &QTcpServer::newConnection, this, [&] {
        while (auto *s = silent.nextPendingConnection())
            held << s;
    });
    {
        auto db = m_database->connection();
        auto w = WebhookService(db).get(m_webhookId);
        QVERIFY(w);
        w->url = QStringLiteral("http://127.0.0.1:%1/hang").arg(silent.serverPort());
        QVERIFY(WebhookService(db).update(*w));
        m_database->releaseThreadConnection();
    }
    AppContext context(m_database, 1);
    context.engine().start();
    MainWindow window(context);
    window.show();
    QTRY_VERIFY_WITH_TIMEOUT(window.webhookModel()->rowCount() == 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.currentWebhookId().isEmpty(), 5000);
    window.action(QStringLiteral("test"))->trigger();
    const auto stall = longestStall(1500);
    QVERIFY2(stall < kMaxStallMs, qPrintable(QStringLiteral("the GUI thread stalled %1 ms").arg(stall)));
    QVERIFY(!held.isEmpty()); // the ping really is waiting on the receiver
    // The deadline (3 s) ends the ping and its result appears in place.
    auto *bar = window.findChild<TestResultBar *>();
    QVERIFY(bar);
    QTRY_VERIFY_WITH_TIMEOUT(bar->label()->text().contains(QStringLiteral("timed out")), 10000);
}

QTEST_MAIN(TestUiResponsive)
#include "tst_ui_responsive.moc"
