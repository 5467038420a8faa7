// Whole-database moves: backup while the engine delivers, restore with its
// checks (each refusal changes nothing), the previous release's database,
// and the copy of a SQLite installation into PostgreSQL (under the postgres
// fixture only: HOOKLINE_TEST_POSTGRES).
#include "TestReceiver.h"

#include "engine/DeliveryEngine.h"
#include "service/AuditLog.h"
#include "service/EventService.h"
#include "service/Installation.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "signing/Verifier.h"
#include "util/LeaseOwner.h"

#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace hookline;
using namespace hookline::test;
using namespace Qt::StringLiterals;

namespace {
constexpr int kTimeout = 30000;
const QByteArray kKeyA = QByteArray(32, 'a').toBase64();
const QByteArray kKeyB = QByteArray(32, 'b').toBase64();

struct KeyInEnvironment {
    explicit KeyInEnvironment(const QByteArray &key) { qputenv("HOOKLINE_MASTER_KEY", key); }
    ~KeyInEnvironment() { qunsetenv("HOOKLINE_MASTER_KEY"); }
    Q_DISABLE_COPY_MOVE(KeyInEnvironment)
};

int scalar(QSqlDatabase db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toInt();
}

bool exec(QSqlDatabase db, const QString &sql)
{
    QSqlQuery q(db);
    const bool ok = q.exec(sql);
    if (!ok)
        qWarning() << sql << q.lastError().text();
    return ok;
}

// Every table's figures, as the database holds them now.
QList<TableFigures> figures(const QString &file)
{
    auto report = Installation::inspect(file);
    return report ? report->tables : QList<TableFigures>{};
}
} // namespace

class TestTransfer final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TestReceiver m_receiver;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    // A SQLite installation with webhooks to the receiver (one with a rotated
    // secret), `events` events, and settings and audit rows.
    std::shared_ptr<Installation> populated(const QString &file, int events);
    // Runs an engine on `installation` until nothing is due.
    bool deliverAll(const std::shared_ptr<Installation> &installation);

private Q_SLOTS:
    void initTestCase();
    void backupWhileTheEngineDelivers();
    void backupNeverOverwrites();
    void restorePutsTheBackupBack();
    void restoreRefuses_data();
    void restoreRefuses();
    void restoreUpgradesAnOlderBackup();
    void previousReleaseDatabaseOpens();
    void copyToPostgres();
    void copyRefusesANonEmptyTarget();
};

void TestTransfer::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qunsetenv("HOOKLINE_MASTER_KEY");
    qputenv("XDG_DATA_HOME", m_dir.filePath(u"xdg-data"_s).toLocal8Bit());
    AuditLog::setChannel(u"cli"_s);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_receiver.listen());
}

std::shared_ptr<Installation> TestTransfer::populated(const QString &file, int events)
{
    auto opened = Installation::open(file, {});
    if (!opened) {
        qWarning() << opened.error().message;
        return nullptr;
    }
    auto installation = *opened;
    auto db = installation->connection();
    Settings settings(db);
    if (!settings.setValue(QString::fromLatin1(Settings::kAllowInsecureUrls), u"true"_s)
        || !settings.setValue(QString::fromLatin1(Settings::kAllowPrivateAddresses), u"true"_s)
        // Every delivery kept: the counts below do not depend on when retention ran.
        || !settings.setValue(QString::fromLatin1(Settings::kRetention), u"100000"_s))
        return nullptr;
    exec(db, u"INSERT INTO event_types (name, group_name, description, sample_payload, catalog, builtin, updated_at)"
             " VALUES ('lead.created', 'lead', '', '{}', 'custom', 0, 0)"_s);
    for (const auto &name : {u"crm"_s, u"audit"_s}) {
        Webhook w;
        w.name = name;
        w.url = m_receiver.url(u"/"_s + name);
        w.events = {u"lead.*"_s};
        w.retry.maxRetries = 0;
        auto created = WebhookService(db).create(w);
        if (!created) {
            qWarning() << created.error().message;
            return nullptr;
        }
        if (name == u"audit" && !WebhookService(db).rotateSecret(created->id, 3600))
            return nullptr;
    }
    for (int i = 0; i < events; ++i) {
        if (!EventService(db).emitEvent(u"default"_s, u"lead.created"_s, QByteArrayLiteral(R"({"n":1})")))
            return nullptr;
    }
    return installation;
}

bool TestTransfer::deliverAll(const std::shared_ptr<Installation> &installation)
{
    EngineOptions options;
    options.workers = 2;
    DeliveryEngine engine(installation->database(), options);
    QSignalSpy idle(&engine, &DeliveryEngine::idle);
    engine.start();
    const bool done = QTest::qWaitFor(
        [&] {
            auto n = scalar(installation->connection(), u"SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'delivering', 'retrying')"_s);
            return n == 0;
        },
        kTimeout);
    engine.stopAndWait();
    return done;
}

// A backup taken while the engine records attempts is one consistent
// snapshot: it opens, passes SQLite's integrity check, and its figures are
// those the report gave.
void TestTransfer::backupWhileTheEngineDelivers()
{
    KeyInEnvironment key(kKeyA);
    auto installation = populated(path(u"live.db"_s), 400);
    QVERIFY(installation);
    m_receiver.setDefaultReply(ScriptedReply::delayed(2, 204));
    EngineOptions options;
    options.workers = 2;
    DeliveryEngine engine(installation->database(), options);
    engine.start();
    QVERIFY(QTest::qWaitFor([&] { return m_receiver.count() > 50; }, kTimeout));
    auto report = installation->backup(path(u"live-backup.db"_s));
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    const int sentAtBackup = m_receiver.count();
    engine.stopAndWait();
    m_receiver.setDefaultReply(ScriptedReply::ok(204));
    QVERIFY2(sentAtBackup < 800, "the engine finished before the backup: nothing ran meanwhile");

    // The owner's alone: read and write for the owner, nothing for group and others.
    QCOMPARE(int(QFile::permissions(path(u"live-backup.db"_s)) & 0x7077), int(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    QCOMPARE(figures(path(u"live-backup.db"_s)), report->tables);
    QCOMPARE(report->keyFingerprint, installation->keyInfo().fingerprint);
    const auto deliveries = std::find_if(report->tables.cbegin(), report->tables.cend(), [](const auto &t) { return t.table == u"deliveries"; });
    QVERIFY(deliveries != report->tables.cend());
    QCOMPARE(deliveries->rows, 800);
    // The backup opens as an installation of its own, with the same key.
    auto copy = Installation::open(path(u"live-backup.db"_s), {});
    QVERIFY2(copy, qPrintable(copy ? QString() : copy.error().message));
    auto webhooks = WebhookService((*copy)->connection()).list();
    QVERIFY(webhooks);
    QCOMPARE(webhooks->size(), 2);
}

void TestTransfer::backupNeverOverwrites()
{
    KeyInEnvironment key(kKeyA);
    auto installation = populated(path(u"overwrite.db"_s), 1);
    QVERIFY(installation);
    QFile existing(path(u"precious.txt"_s));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("keep me");
    existing.close();
    auto report = installation->backup(existing.fileName());
    QVERIFY(!report);
    QVERIFY2(report.error().message.contains(u"exists"_s), qPrintable(report.error().message));
    QVERIFY(existing.open(QIODevice::ReadOnly));
    QCOMPARE(existing.readAll(), QByteArray("keep me"));
    QVERIFY(!installation->backup(path(u"overwrite.db"_s)));
}

// After a backup, changes (a webhook deleted, more events); the restore puts
// the backup's rows back exactly, deliveries claimed at backup time go back
// in line, and the restore is audited.
void TestTransfer::restorePutsTheBackupBack()
{
    KeyInEnvironment key(kKeyA);
    auto installation = populated(path(u"restore.db"_s), 5);
    QVERIFY(installation);
    auto db = installation->connection();
    // One delivery claimed by an engine that is gone, as a backup taken mid-delivery holds it.
    QVERIFY(exec(db, u"UPDATE deliveries SET status = 'delivering', lease_until = 99999999999999, lease_owner = 'elsewhere/1/1'"
                     " WHERE id = (SELECT MIN(id) FROM deliveries)"_s));
    auto backup = installation->backup(path(u"restore-backup.db"_s));
    QVERIFY(backup);
    QVERIFY(exec(db, u"UPDATE deliveries SET status = 'pending', lease_until = NULL, lease_owner = NULL"_s));
    auto webhooks = WebhookService(db).list();
    QVERIFY(webhooks && webhooks->size() == 2);
    QVERIFY(WebhookService(db).remove(webhooks->first().id));
    QVERIFY(EventService(db).emitEvent(u"default"_s, u"lead.created"_s, QByteArrayLiteral(R"({"n":2})")));

    auto restored = installation->restore(path(u"restore-backup.db"_s));
    QVERIFY2(restored, qPrintable(restored ? QString() : restored.error().message));
    QCOMPARE(restored->tables, backup->tables);
    const auto after = WebhookService(db).list();
    QVERIFY(after);
    QCOMPARE(after->size(), 2);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM deliveries"_s), 10);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM deliveries WHERE status = 'delivering'"_s), 0);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM audit_log WHERE action = 'database.restore'"_s), 1);
    // The secrets were put back sealed with the key this installation holds.
    for (const auto &w : *after)
        QVERIFY(!w.secret.isEmpty());
    // The engine delivers what the backup had left to do.
    QVERIFY(deliverAll(installation));
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM deliveries WHERE status = 'succeeded'"_s), 10);
}

void TestTransfer::restoreRefuses_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing file") << u"missing"_s << u"does not exist"_s;
    QTest::newRow("not a database") << u"text"_s << u"not a SQLite database"_s;
    QTest::newRow("damaged") << u"damaged"_s << u"damaged"_s;
    QTest::newRow("not Hookline's") << u"foreign"_s << u"not a Hookline database"_s;
    QTest::newRow("newer schema") << u"newer"_s << u"newer Hookline"_s;
    QTest::newRow("another master key") << u"otherKey"_s << u"another master key"_s;
    QTest::newRow("an engine delivering") << u"delivering"_s << u"an engine is delivering"_s;
}

// Each refusal names its reason and leaves the database as it was.
void TestTransfer::restoreRefuses()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    KeyInEnvironment key(kKeyA);
    const QString live = path(u"refuse-%1.db"_s.arg(kind));
    auto installation = populated(live, 3);
    QVERIFY(installation);
    auto db = installation->connection();
    const QString file = path(u"refuse-%1-backup.db"_s.arg(kind));
    if (kind == u"text" || kind == u"damaged") {
        QVERIFY(installation->backup(file));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        if (kind == u"text") {
            f.resize(0);
            f.write(QByteArray("not a database\n").repeated(400));
        } else {
            // Pages past the header overwritten: the file still opens, its b-trees do not add up.
            f.seek(4096 * 2);
            f.write(QByteArray(4096 * 3, '\x5a'));
        }
    } else if (kind == u"foreign") {
        QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"foreign"_s);
        other.setDatabaseName(file);
        QVERIFY(other.open());
        QVERIFY(exec(other, u"CREATE TABLE shopping (item TEXT)"_s));
        other.close();
        other = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"foreign"_s);
    } else if (kind == u"newer") {
        QVERIFY(installation->backup(file));
        auto copy = Installation::open(file, {});
        QVERIFY(copy);
        QVERIFY(exec((*copy)->connection(), u"INSERT INTO schema_migrations (version, description, applied_at) VALUES (999, 'future', 0)"_s));
    } else if (kind == u"otherKey") {
        KeyInEnvironment other(kKeyB);
        auto elsewhere = populated(path(u"elsewhere.db"_s), 1);
        QVERIFY(elsewhere);
        QVERIFY(elsewhere->backup(file));
    } else if (kind == u"delivering") {
        QVERIFY(installation->backup(file));
        QVERIFY(exec(db, u"UPDATE deliveries SET status = 'delivering', lease_until = 99999999999999, lease_owner = '%1'"
                         " WHERE id = (SELECT MIN(id) FROM deliveries)"_s.arg(LeaseOwner::self())));
    }
    const auto before = figures(live);
    QVERIFY(!before.isEmpty());
    auto restored = installation->restore(file);
    QVERIFY(!restored);
    QVERIFY2(restored.error().message.contains(expected), qPrintable(restored.error().message));
    QCOMPARE(figures(live), before);
}

// A backup of an older schema is upgraded on a private copy; the file given is left as it was.
void TestTransfer::restoreUpgradesAnOlderBackup()
{
    KeyInEnvironment key(kKeyA);
    auto installation = populated(path(u"upgrade.db"_s), 2);
    QVERIFY(installation);
    const QString file = path(u"upgrade-older.db"_s);
    QVERIFY(installation->backup(file));
    {
        // Back to the schema before migration 11 (plans as data; then
        // operational alerts, attempt detail, inspector copies): what a
        // backup made by an older release holds.
        QSqlDatabase old = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"older"_s);
        old.setDatabaseName(file);
        QVERIFY(old.open());
        for (const auto &column : {u"remote_address"_s, u"timings"_s, u"decision"_s})
            QVERIFY(exec(old, u"ALTER TABLE attempts DROP COLUMN "_s + column));
        QVERIFY(exec(old, u"ALTER TABLE webhooks DROP COLUMN inspector_url"_s));
        QVERIFY(exec(old, u"DROP TABLE alerts"_s));
        QVERIFY(exec(old, u"ALTER TABLE webhooks DROP COLUMN failing_since"_s));
        QVERIFY(exec(old, u"DELETE FROM event_types WHERE name LIKE 'hookline.%'"_s));
        QVERIFY(exec(old, u"DROP TABLE plans"_s));
        QVERIFY(exec(old, u"DELETE FROM schema_migrations WHERE version >= 11"_s));
        old.close();
        old = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"older"_s);
    }
    const QByteArray given = [&] {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    auto restored = installation->restore(file);
    QVERIFY2(restored, qPrintable(restored ? QString() : restored.error().message));
    auto db = installation->connection();
    QCOMPARE(scalar(db, u"SELECT MAX(version) FROM schema_migrations"_s), restored->schemaVersion);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM plans"_s), 5);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM deliveries"_s), 4);
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), given);
    QVERIFY(!QFile::exists(path(u"upgrade.db.restoring"_s)));
}

// tests/data/releases/hookline-0.1.0.db was written by release 0.1.0 (its
// key is kKeyA): every later release opens it, migrates it and reads its
// secrets, webhooks and history.
void TestTransfer::previousReleaseDatabaseOpens()
{
    KeyInEnvironment key(kKeyA);
    const QString file = path(u"release-0.1.0.db"_s);
    QVERIFY(QFile::copy(QStringLiteral(HOOKLINE_SOURCE_DIR "/tests/data/releases/hookline-0.1.0.db"), file));
    QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    auto opened = Installation::open(file, {});
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    auto db = (*opened)->connection();
    auto webhooks = WebhookService(db).list();
    QVERIFY(webhooks);
    QCOMPARE(webhooks->size(), 2);
    for (const auto &w : *webhooks)
        QVERIFY(w.secret.startsWith(u"whsec_"_s));
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM deliveries"_s), 6);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM attempts"_s), 6);
}

// Everything moves into an empty PostgreSQL schema; the master key goes
// along (here from a key file: nothing in the environment), the copy's
// figures equal the source's, and its pending deliveries are delivered from
// there, signed with the copied secrets.
void TestTransfer::copyToPostgres()
{
    if (!qEnvironmentVariableIsSet("HOOKLINE_TEST_POSTGRES"))
        QSKIP("needs the PostgreSQL fixture (ctest runs tst_transfer_postgres)");
    QFile urlFile(qEnvironmentVariable("HOOKLINE_TEST_POSTGRES"));
    QVERIFY(urlFile.open(QIODevice::ReadOnly));
    const QString url = QString::fromUtf8(urlFile.readAll().trimmed()) + u"?schema=copy_%1"_s.arg(QCoreApplication::applicationPid());
    auto source = populated(path(u"to-postgres.db"_s), 20);
    QVERIFY(source);
    QVERIFY(QFile::exists(path(u"to-postgres.db.key"_s)));
    const auto listedSource = WebhookService(source->connection()).list();
    QVERIFY(listedSource);
    const QList<Webhook> sourceHooks = *listedSource;
    auto report = source->copyTo(url);
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    const auto sourceFigures = figures(path(u"to-postgres.db"_s));
    QCOMPARE(report->tables.size(), sourceFigures.size());
    for (const auto &t : report->tables) {
        if (t.table == u"audit_log")
            continue; // the copy's own audit row came after
        QVERIFY2(sourceFigures.contains(t), qPrintable(t.table));
    }

    auto target = Installation::open(url, {});
    QVERIFY2(target, qPrintable(target ? QString() : target.error().message));
    QCOMPARE((*target)->keyInfo().fingerprint, source->keyInfo().fingerprint);
    auto db = (*target)->connection();
    const auto listedCopy = WebhookService(db).list();
    QVERIFY(listedCopy);
    const QList<Webhook> copiedHooks = *listedCopy;
    QCOMPARE(copiedHooks.size(), sourceHooks.size());
    for (qsizetype i = 0; i < copiedHooks.size(); ++i) {
        QCOMPARE(copiedHooks.at(i).id, sourceHooks.at(i).id);
        QCOMPARE(copiedHooks.at(i).secret, sourceHooks.at(i).secret);
        QCOMPARE(copiedHooks.at(i).secrets.size(), sourceHooks.at(i).secrets.size());
    }
    // Rows made after the copy get ids after the copied ones.
    QVERIFY(AuditLog(db).record(u"test.after-copy"_s, u"test"_s, u"x"_s));

    m_receiver.clear();
    QVERIFY(deliverAll(*target));
    QCOMPARE(m_receiver.count(), 40);
    for (const auto &r : m_receiver.requests()) {
        const auto hook
            = std::find_if(copiedHooks.cbegin(), copiedHooks.cend(), [&](const Webhook &w) { return r.path == (u"/"_s + w.name).toUtf8(); });
        QVERIFY(hook != copiedHooks.cend());
        VerifyRequest vr;
        vr.headers = r.headers;
        vr.body = r.body;
        const auto verdict = Verifier::verify(hook->secret, vr);
        QVERIFY2(verdict.valid, qPrintable(verdict.reason));
    }
}

void TestTransfer::copyRefusesANonEmptyTarget()
{
    if (!qEnvironmentVariableIsSet("HOOKLINE_TEST_POSTGRES"))
        QSKIP("needs the PostgreSQL fixture (ctest runs tst_transfer_postgres)");
    KeyInEnvironment key(kKeyA);
    QFile urlFile(qEnvironmentVariable("HOOKLINE_TEST_POSTGRES"));
    QVERIFY(urlFile.open(QIODevice::ReadOnly));
    const QString url = QString::fromUtf8(urlFile.readAll().trimmed()) + u"?schema=busy_%1"_s.arg(QCoreApplication::applicationPid());
    auto existing = Installation::open(url, {});
    QVERIFY(existing);
    auto targetDb = (*existing)->connection();
    QVERIFY(exec(targetDb, u"INSERT INTO tenants (id, plan, created_at) VALUES ('someone', 'UNLIMITED', 0)"_s));
    const int tenantsBefore = scalar(targetDb, u"SELECT COUNT(*) FROM tenants"_s);
    auto source = populated(path(u"to-busy.db"_s), 2);
    QVERIFY(source);
    auto report = source->copyTo(url);
    QVERIFY(!report);
    QVERIFY2(report.error().message.contains(u"not empty"_s), qPrintable(report.error().message));
    QCOMPARE(scalar(targetDb, u"SELECT COUNT(*) FROM tenants"_s), tenantsBefore);
    QCOMPARE(scalar(targetDb, u"SELECT COUNT(*) FROM webhooks"_s), 0);
}

QTEST_GUILESS_MAIN(TestTransfer)
#include "tst_transfer.moc"
