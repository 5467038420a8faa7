// What only PostgreSQL does (core/store/Database's URL handling, the claim's
// FOR UPDATE SKIP LOCKED, LISTEN/NOTIFY wake-ups), against the throw-away
// server of tests/support/postgres-server.sh (ctest fixture "postgres").
// The rest of the store runs on PostgreSQL through the *_postgres suites.

#include "EngineFixture.h"
#include "TestLocation.h"

#include "AppContext.h"
#include "dialogs/SettingsDialog.h"
#include "engine/DeliveryEngine.h"
#include "model/EventType.h"
#include "service/CatalogService.h"
#include "service/EventService.h"
#include "service/Installation.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "store/Database.h"
#include "store/DeliveryStore.h"
#include "util/Keychain.h"

#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

using namespace hookline;
using hookline::test::EngineFixture;
using namespace Qt::StringLiterals;

class TestPostgres final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void refusedUrls_data();
    void refusedUrls();
    void displayLocationHidesPassword();
    void foreignSchemaLeftAlone();
    void twoEnginesShareOneQueue();
    void twoEnginesEachHoldTheLimit();
    void notifyWakesAnotherEngine();
    void settingsDialogKeepsPostgresUrl_data();
    void settingsDialogKeepsPostgresUrl();

private:
    // A schema of its own on the test server, with the settings that let
    // webhooks point at 127.0.0.1 and the lead.* catalog.
    std::shared_ptr<Database> openFresh(QString *location = nullptr);
    // A second Database object on the fixture's schema (as another process
    // would have), after one webhook to the fixture's receiver.
    static std::shared_ptr<Database> openSecondSide(EngineFixture &f);
    // Two engines (f's and one on `second`) until `deliveries` are finished or
    // 30 s have passed; how many each finished.
    std::pair<int, int> runTwoEngines(EngineFixture &f, const std::shared_ptr<Database> &second, int deliveries);
    static int scalar(Database &db, const QString &sql);

    QTemporaryDir m_dir;
};

void TestPostgres::initTestCase()
{
    if (!test::usesPostgres())
        QSKIP("runs under ctest's postgres fixture (HOOKLINE_TEST_POSTGRES)");
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"hookline-tests"_s);
    QCoreApplication::setApplicationName(u"tst_postgres"_s);
}

std::shared_ptr<Database> TestPostgres::openFresh(QString *location)
{
    const auto where = test::databaseLocation(m_dir);
    if (location)
        *location = where;
    auto opened = Database::open(where);
    if (!opened) {
        qWarning() << opened.error().message;
        return {};
    }
    auto db = (*opened)->connection();
    if (!CatalogService(db).initializeNewDatabase(CatalogService::builtinCatalogs()))
        return {};
    for (const char *key : {Settings::kAllowInsecureUrls, Settings::kAllowPrivateAddresses}) {
        if (!Settings(db).setValue(QString::fromLatin1(key), u"true"_s))
            return {};
    }
    return *opened;
}

std::shared_ptr<Database> TestPostgres::openSecondSide(EngineFixture &f)
{
    if (!f.ok())
        return {};
    if (auto created = f.create(f.draft()); !created) {
        qWarning() << created.error().message;
        return {};
    }
    auto second = Database::open(f.location());
    if (!second) {
        qWarning() << second.error().message;
        return {};
    }
    return *second;
}

int TestPostgres::scalar(Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toInt();
}

void TestPostgres::refusedUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("reason");
    QTest::newRow("no database") << u"postgresql://hookline:s3cret@127.0.0.1:5432"_s << u"no database name"_s;
    QTest::newRow("no host") << u"postgresql:///hookline"_s << u"no host"_s;
    QTest::newRow("unknown parameter") << u"postgres://hookline:s3cret@127.0.0.1/db?sslmod=require"_s << u"unknown parameter sslmod"_s;
    QTest::newRow("schema not an identifier") << u"postgresql://hookline@127.0.0.1/db?schema=a;drop"_s << u"schema must be"_s;
    QTest::newRow("option with a space") << u"postgresql://hookline@127.0.0.1/db?sslmode=require%20x"_s << u"may not contain"_s;
    // Nothing listens on port 1: the message names the server, not the password.
    QTest::newRow("nobody listening") << u"postgresql://hookline:s3cret@127.0.0.1:1/db?connect_timeout=2"_s << u"cannot open"_s;
}

void TestPostgres::refusedUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, reason);
    auto opened = Database::open(url);
    QVERIFY(!opened);
    const auto message = opened.error().message;
    QVERIFY2(message.contains(reason), qPrintable(message));
    QVERIFY2(!message.contains(u"s3cret"_s), qPrintable(message));
}

void TestPostgres::displayLocationHidesPassword()
{
    QString location;
    auto db = openFresh(&location);
    QVERIFY(db);
    QVERIFY(db->isPostgres());
    auto withPassword = location;
    withPassword.replace(u"postgresql://hookline@"_s, u"postgresql://hookline:s3cret@"_s);
    auto again = Database::open(withPassword); // trust authentication: the password is not checked
    QVERIFY2(again, qPrintable(again ? QString() : again.error().message));
    QVERIFY((*again)->location().contains(u"s3cret"_s));
    QVERIFY2(!(*again)->displayLocation().contains(u"s3cret"_s), qPrintable((*again)->displayLocation()));
    QVERIFY((*again)->displayLocation().contains(u"127.0.0.1"_s));
}

void TestPostgres::foreignSchemaLeftAlone()
{
    // A schema that holds someone else's tables is not taken over.
    QString location;
    auto db = openFresh(&location);
    QVERIFY(db);
    const QString foreign = location.section(u"?schema="_s, 0, 0) + u"?schema=foreign_%1"_s.arg(QCoreApplication::applicationPid());
    {
        auto unmigrated = Database::openUnmigrated(foreign);
        QVERIFY(unmigrated);
        QSqlQuery q((*unmigrated)->connection());
        QVERIFY(q.exec(u"CREATE TABLE invoices (id BIGINT PRIMARY KEY)"_s));
    }
    auto opened = Database::open(foreign);
    QVERIFY(!opened);
    QVERIFY2(opened.error().message.contains(u"not a Hookline database"_s), qPrintable(opened.error().message));
    auto look = Database::openUnmigrated(foreign);
    QVERIFY(look);
    QCOMPARE(scalar(**look, u"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"_s), 1);
}

std::pair<int, int> TestPostgres::runTwoEngines(EngineFixture &f, const std::shared_ptr<Database> &second, int deliveries)
{
    EngineOptions options;
    options.workers = 2;
    options.concurrency = 8;
    options.idlePollMs = 100;
    DeliveryEngine b(second, options);
    int finishedA = 0;
    int finishedB = 0;
    auto &a = f.start(options);
    connect(&a, &DeliveryEngine::deliveriesUpdated, this, [&](const DeliveryUpdates &u) { finishedA += int(u.size()); });
    connect(&b, &DeliveryEngine::deliveriesUpdated, this, [&](const DeliveryUpdates &u) { finishedB += int(u.size()); });
    b.start();
    [[maybe_unused]] const bool all = QTest::qWaitFor([&] { return finishedA + finishedB >= deliveries; }, 30000); // the callers compare the counts
    a.stopAndWait();
    b.stopAndWait();
    return {finishedA, finishedB};
}

void TestPostgres::twoEnginesShareOneQueue()
{
    // Two engines on one queue (as two processes or machines would be): the
    // claim's FOR UPDATE SKIP LOCKED gives each delivery to exactly one.
    EngineFixture f;
    const auto second = openSecondSide(f);
    QVERIFY(second);
    QVERIFY(f.setting("retention", "1000")); // all kept for the counts below (a stop prunes)
    constexpr int kEvents = 400;
    QByteArray batch;
    for (int i = 0; i < kEvents; ++i)
        batch += "{\"event\":\"lead.created\",\"data\":{\"n\":" + QByteArray::number(i) + "}}\n";
    auto emitted = EventService(f.conn()).emitBatch(batch);
    QVERIFY(emitted);
    QCOMPARE(emitted->deliveries, kEvents);

    const auto [finishedA, finishedB] = runTwoEngines(f, second, kEvents);
    QVERIFY2(finishedA + finishedB == kEvents, qPrintable(u"%1 + %2 finished"_s.arg(finishedA).arg(finishedB)));
    qInfo("engine a: %d deliveries, engine b: %d", finishedA, finishedB);
    QVERIFY2(finishedA > 0 && finishedB > 0, "both engines must have taken a share");
    QCOMPARE(f.receiver().count(), kEvents);
    QCOMPARE(f.scalar(u"SELECT COUNT(*) FROM deliveries WHERE status = 'succeeded' AND attempts = 1"_s), kEvents);
    QCOMPARE(f.scalar(u"SELECT COUNT(*) FROM attempts"_s), kEvents);
    QCOMPARE(f.scalar(u"SELECT COUNT(DISTINCT delivery_id) FROM attempts"_s), kEvents);
}

void TestPostgres::twoEnginesEachHoldTheLimit()
{
    // The in-flight limits are kept by each engine for itself: two engines
    // on one queue have at most twice a webhook's limit out, and the claims
    // stay SKIP LOCKED (each delivery sent once).
    EngineFixture f;
    const auto second = openSecondSide(f);
    QVERIFY(second);
    f.receiver().setDefaultReply(hookline::test::ScriptedReply::delayed(100));
    // openSecondSide made the one webhook: its own limit, 3.
    QSqlQuery limit(f.conn());
    QVERIFY(limit.exec(u"UPDATE webhooks SET max_in_flight = 3"_s));
    QCOMPARE(limit.numRowsAffected(), 1);
    constexpr int kEvents = 40;
    for (int i = 0; i < kEvents; ++i)
        f.emitEvent();
    const auto [finishedA, finishedB] = runTwoEngines(f, second, kEvents);
    QVERIFY2(finishedA + finishedB == kEvents, qPrintable(u"%1 + %2 finished"_s.arg(finishedA).arg(finishedB)));
    qInfo("engine a: %d deliveries, engine b: %d, at most %d at once at the receiver", finishedA, finishedB, f.receiver().maxConcurrent());
    QCOMPARE(f.receiver().count(), kEvents);
    QVERIFY2(f.receiver().maxConcurrent() <= 2 * 3, qPrintable(QString::number(f.receiver().maxConcurrent())));
    QVERIFY2(f.receiver().maxConcurrent() > 3 || finishedA == 0 || finishedB == 0,
             "both engines sent, so more than one engine's limit was out at some point");
}

void TestPostgres::notifyWakesAnotherEngine()
{
    // The engine polls for other processes' work only every 30 s here; an
    // event emitted on another connection must still go out at once.
    EngineFixture f;
    const auto emitterSide = openSecondSide(f);
    QVERIFY(emitterSide);

    EngineOptions options;
    options.workers = 1;
    options.idlePollMs = 30000;
    auto &engine = f.start(options);
    QSignalSpy idle(&engine, &DeliveryEngine::idle); // queued from the keeper: not yet delivered
    QVERIFY(idle.wait(5000));                        // claimed nothing, now asleep until the poll (its wake timer is armed before idle)

    QElapsedTimer clock;
    clock.start();
    auto emitted = EventService(emitterSide->connection()).emitEvent(u"default"_s, u"lead.created"_s, R"({"n":1})");
    QVERIFY(emitted);
    QTRY_COMPARE_WITH_TIMEOUT(f.receiver().count(), 1, 5000);
    const auto ms = clock.elapsed();
    qInfo("delivered %lld ms after the emit on another connection", ms);
    QVERIFY2(ms < 3000, qPrintable(u"took %1 ms: the NOTIFY did not wake the engine"_s.arg(ms)));
    engine.stopAndWait();
}

namespace {
// A keychain in memory, standing in for the desktop's.
class MemoryKeychain final : public Keychain {
public:
    QString name() const override { return u"a test keychain"_s; }
    Result<std::optional<QByteArray>> read(const QString &account) override
    {
        return m_entries.contains(account) ? std::optional(m_entries.value(account)) : std::nullopt;
    }
    Status write(const QString &account, const QByteArray &secret) override
    {
        m_entries.insert(account, secret);
        return Ok{};
    }
    Status remove(const QString &account) override
    {
        m_entries.remove(account);
        return Ok{};
    }
    QHash<QString, QByteArray> m_entries;
};
} // namespace

// clang-format off
void TestPostgres::settingsDialogKeepsPostgresUrl_data()
{
    QTest::addColumn<QString>("entered");   // "@server" stands for the test server's URL, "@server:pw" for it with a password
    QTest::addColumn<bool>("keychain");
    QTest::addColumn<bool>("kept");
    QTest::addColumn<QString>("problem");
    QTest::newRow("the server") << u"@server"_s << false << true << QString();
    QTest::newRow("the server, a password, a keychain") << u"@server:pw"_s << true << true << QString();
    QTest::newRow("the server, a password, no keychain") << u"@server:pw"_s << false << false << u"no system keychain"_s;
    QTest::newRow("unknown parameter") << u"postgresql://hookline@127.0.0.1/db?bogus=1"_s << false << false << u"unknown parameter bogus"_s;
    QTest::newRow("nobody listening") << u"postgresql://hookline:s3cret@127.0.0.1:1/db?connect_timeout=2"_s << false << false << u"cannot open"_s;
    QTest::newRow("another scheme") << u"mysql://hookline@127.0.0.1/db"_s << false << false << u"postgresql:// URL"_s;
}
// clang-format on

void TestPostgres::settingsDialogKeepsPostgresUrl()
{
    // The window runs on PostgreSQL; its Settings dialog keeps a PostgreSQL
    // URL for the next start once it could connect, and says why otherwise.
    QFETCH(QString, entered);
    QFETCH(bool, keychain);
    QFETCH(bool, kept);
    QFETCH(QString, problem);
    QString location;
    auto db = openFresh(&location);
    QVERIFY(db);
    // The test server trusts loopback: a password is carried, not checked.
    const bool withPassword = entered == u"@server:pw";
    if (entered == u"@server")
        entered = location;
    if (withPassword) {
        QUrl url(location);
        url.setPassword(u"s3cret"_s);
        entered = url.toString();
    }
    QSettings().remove(u"database"_s);
    auto installation = Installation::open(location);
    QVERIFY2(installation, installation ? "" : qPrintable(installation.error().message));
    auto memory = std::make_shared<MemoryKeychain>();
    Installation::setKeychain(keychain ? memory : nullptr);
    const auto noKeychain = qScopeGuard([] { Installation::setKeychain(nullptr); });
    AppContext context(*installation, 1);
    SettingsDialog dialog(context);
    auto *field = dialog.findChild<QLineEdit *>();
    QVERIFY(field);
    QCOMPARE(field->accessibleName(), u"Database"_s);
    QVERIFY2(!field->placeholderText().contains(u"s3cret"_s), qPrintable(field->placeholderText()));
    field->setText(entered);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    auto *save = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
    QTRY_VERIFY(save->isEnabled()); // once the current settings are read
    save->click();
    QLabel *problemLabel = nullptr;
    for (auto *label : dialog.findChildren<QLabel *>()) {
        if (label->accessibleDescription() == u"Settings problem")
            problemLabel = label;
    }
    QVERIFY(problemLabel);
    if (kept) {
        QVERIFY2(accepted.wait(10000), qPrintable(problemLabel->text()));
        // Never the password in the settings file: the keychain holds it,
        // and the next start puts it back.
        const auto stored = QSettings().value(u"database"_s).toString();
        QCOMPARE(stored, QUrl(entered).toString(QUrl::RemovePassword));
        QVERIFY2(!stored.contains(u"s3cret"_s), qPrintable(stored));
        if (withPassword) {
            QCOMPARE(memory->m_entries.value(Installation::passwordAccount(entered)), QByteArray("s3cret"));
            QCOMPARE(Installation::withKeptPassword(stored), entered);
        }
        return;
    }
    QTRY_VERIFY_WITH_TIMEOUT(problemLabel->text().contains(problem), 10000);
    QVERIFY2(!problemLabel->text().contains(u"s3cret"_s), qPrintable(problemLabel->text()));
    QCOMPARE(accepted.count(), 0);
    QVERIFY(!QSettings().contains(u"database"_s));
}

QTEST_MAIN(TestPostgres)
#include "tst_postgres.moc"
