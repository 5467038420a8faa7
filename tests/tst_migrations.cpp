// Tests for core/store: Database (opening, WAL, per-thread connections) and
// Migrations (fresh schema, upgrades, refusing newer and foreign files).

#include "ManualClock.h"

#include "model/EventType.h"
#include "service/TenantService.h"
#include "service/WebhookService.h"
#include "store/Database.h"
#include "store/Migrations.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <sqlite3.h>

#include <memory>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {

// One value of a one-row query, or an invalid QVariant (and a warning) when it fails.
QVariant scalar(const QSqlDatabase &db, const QString &statement)
{
    QSqlQuery q(db);
    if (!q.exec(statement)) {
        qWarning("query failed: %s: %s", qPrintable(statement), qPrintable(q.lastError().text()));
        return {};
    }
    return q.next() ? q.value(0) : QVariant();
}

bool exec(const QSqlDatabase &db, const QString &statement)
{
    QSqlQuery q(db);
    if (!q.exec(statement)) {
        qWarning("statement failed: %s: %s", qPrintable(statement), qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

bool hasObject(const QSqlDatabase &db, const QString &type, const QString &name)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?"_s);
    q.addBindValue(type);
    q.addBindValue(name);
    return q.exec() && q.next();
}

QStringList indexColumns(const QSqlDatabase &db, const QString &index)
{
    QSqlQuery q(db);
    QStringList out;
    if (!q.exec(u"PRAGMA index_info(%1)"_s.arg(index)))
        return out;
    while (q.next())
        out << q.value(2).toString();
    return out;
}

QByteArray sha256Of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

struct FileState {
    QByteArray sha256;
    qint64 size = -1;
    bool wal = false;
    bool shm = false;
    bool journal = false;
    bool operator==(const FileState &) const = default;
};

FileState stateOf(const QString &path)
{
    return {sha256Of(path), QFileInfo(path).size(), QFile::exists(path + u"-wal"_s), QFile::exists(path + u"-shm"_s),
            QFile::exists(path + u"-journal"_s)};
}

QString describe(const FileState &s)
{
    return u"sha256=%1 size=%2 wal=%3 shm=%4 journal=%5"_s.arg(QString::fromLatin1(s.sha256.toHex()))
        .arg(s.size)
        .arg(s.wal)
        .arg(s.shm)
        .arg(s.journal);
}

} // namespace

class TestMigrations : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void freshDatabase();
    void reopeningKeepsData();
    void upgradesOlderSchema();
    void refusesNewerSchema_data();
    void refusesNewerSchema();
    void refusesNonDatabase_data();
    void refusesNonDatabase();
    void refusesDirectory();
    void refusedForeignDatabaseLeftUnchanged();
    void migrationErrorNamesTheCause();
    void migrateTwiceIsNoOp();
    void failedMigrationRollsBack();
    void migrateStepByStep();
    void indexesExist();
    void dueQueryUsesPartialIndex();
    void statusChecksCompareNames_data();
    void statusChecksCompareNames();
    void statusChecksKeptWhenSchemaIsLocked();
    void connectionsPerThread();
    void releaseThreadConnection();
    void checkpointsInBackground();

private:
    QString dbPath(const QString &name = u"hookline.db"_s) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestMigrations::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestMigrations::cleanup()
{
    m_dir.reset();
}

void TestMigrations::freshDatabase()
{
    auto opened = Database::open(dbPath());
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    auto db = *opened;
    QVERIFY(db->isNew());
    QCOMPARE(db->location(), dbPath());
    const auto conn = db->connection();
    QVERIFY(conn.isOpen());

    QVERIFY(Migrations::latestVersion() >= 3);
    auto version = Migrations::currentVersion(conn);
    QVERIFY(version);
    QCOMPARE(*version, Migrations::latestVersion());

    QCOMPARE(scalar(conn, u"PRAGMA journal_mode"_s).toString().toLower(), u"wal"_s);
    QCOMPARE(scalar(conn, u"PRAGMA foreign_keys"_s).toInt(), 1);
    // The foreign keys are enforced, not just declared.
    QVERIFY(!QSqlQuery(conn).exec(u"INSERT INTO webhooks (id, tenant_id, name, url, scheme, max_retries, retry_delay_seconds, backoff,"
                                  " auto_disable_after, created_at, updated_at) VALUES ('wh_x', 'nobody', 'n', 'https://example.com',"
                                  " 'standard', 3, 5, 'exponential', 5, 0, 0)"_s));

    auto tenant = TenantService(conn).get(u"default"_s);
    QVERIFY2(tenant, qPrintable(tenant ? QString() : tenant.error().message));
    // A new installation's default tenant has no quota to hit.
    QCOMPARE(tenant->plan, u"UNLIMITED"_s);
    auto tenants = TenantService(conn).list();
    QVERIFY(tenants);
    QCOMPARE(tenants->size(), 1);

    QSqlQuery q(conn);
    QVERIFY(q.exec(u"SELECT group_name, builtin, sample_payload FROM event_types WHERE name = 'webhook.test'"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), u"webhook"_s);
    QCOMPARE(q.value(1).toInt(), 1);
    QVERIFY(q.value(2).toString().startsWith(u'{'));
    QVERIFY(!q.next());
    // A fresh database has no catalog yet beyond Hookline's own (the test ping, the operational events).
    QCOMPARE(scalar(conn, u"SELECT COUNT(*) FROM event_types"_s).toInt(), 4);

    for (const auto &table : {u"tenants"_s, u"event_types"_s, u"webhooks"_s, u"webhook_subscriptions"_s, u"webhook_headers"_s, u"webhook_secrets"_s,
                              u"settings"_s, u"events"_s, u"deliveries"_s, u"attempts"_s, u"api_keys"_s, u"schema_migrations"_s})
        QVERIFY2(hasObject(conn, u"table"_s, table), qPrintable(table));
}

void TestMigrations::reopeningKeepsData()
{
    {
        auto db = Database::open(dbPath());
        QVERIFY(db);
        QVERIFY((*db)->isNew());
        auto t = TenantService((*db)->connection()).create(u"acme"_s, u"PRO"_s);
        QVERIFY(t);
    }
    auto db = Database::open(dbPath());
    QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
    QVERIFY(!(*db)->isNew());
    const auto conn = (*db)->connection();
    QCOMPARE(scalar(conn, u"SELECT COUNT(*) FROM tenants WHERE id = 'default'"_s).toInt(), 1);
    QCOMPARE(scalar(conn, u"SELECT plan FROM tenants WHERE id = 'acme'"_s).toString(), u"PRO"_s);
    QCOMPARE(scalar(conn, u"SELECT COUNT(*) FROM schema_migrations"_s).toInt(), Migrations::latestVersion());
    QCOMPARE(scalar(conn, u"SELECT COUNT(*) FROM event_types WHERE name = 'webhook.test'"_s).toInt(), 1);
}

void TestMigrations::upgradesOlderSchema()
{
    {
        auto opened = Database::openUnmigrated(dbPath());
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        const auto conn = (*opened)->connection();
        auto before = Migrations::currentVersion(conn);
        QVERIFY(before);
        QCOMPARE(*before, 0);
        auto s = Migrations::migrate(conn, 1);
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        auto v = Migrations::currentVersion(conn);
        QVERIFY(v);
        QCOMPARE(*v, 1);
        QVERIFY(!hasObject(conn, u"table"_s, u"events"_s));
        QVERIFY(!hasObject(conn, u"table"_s, u"deliveries"_s));
        QVERIFY(!hasObject(conn, u"table"_s, u"api_keys"_s));

        // What a version-1 Hookline would have written.
        QVERIFY(exec(conn, u"INSERT INTO tenants (id, plan, created_at) VALUES ('acme', 'SCALE', 1700000000000)"_s));
        QVERIFY(exec(conn, u"INSERT INTO webhooks (id, tenant_id, name, url, description, scheme, active, max_retries,"
                           " retry_delay_seconds, backoff, schedule, jitter, auto_disable_after, retention, transform,"
                           " created_at, updated_at) VALUES ('wh_old', 'acme', 'Old hook', 'https://old.example.com/hook',"
                           " 'kept across upgrades', 'hmac-hex', 1, 4, 2.5, 'fixed', '', 0.1, 7, 50, '', 1700000000000,"
                           " 1700000000000)"_s));
        QVERIFY(exec(conn, u"INSERT INTO webhook_subscriptions (webhook_id, position, pattern) VALUES ('wh_old', 0, 'webhook.test')"_s));
        QVERIFY(exec(conn, u"INSERT INTO webhook_secrets (webhook_id, secret, created_at) VALUES ('wh_old', 'old-secret-1234', 1700000000000)"_s));
        QVERIFY(exec(conn, u"INSERT INTO settings (key, value) VALUES ('headerPrefix', 'X-Old')"_s));
        QCOMPARE(scalar(conn, u"PRAGMA journal_mode"_s).toString().toLower(), u"delete"_s);
    }
    QVERIFY(!QFile::exists(dbPath() + u"-journal"_s));

    auto opened = Database::open(dbPath());
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    QVERIFY(!(*opened)->isNew());
    const auto conn = (*opened)->connection();
    auto v = Migrations::currentVersion(conn);
    QVERIFY(v);
    QCOMPARE(*v, Migrations::latestVersion());
    QCOMPARE(scalar(conn, u"PRAGMA journal_mode"_s).toString().toLower(), u"wal"_s);
    for (const auto &table : {u"events"_s, u"deliveries"_s, u"attempts"_s, u"api_keys"_s})
        QVERIFY2(hasObject(conn, u"table"_s, table), qPrintable(table));

    // The old rows survive, readable through the services.
    auto w = WebhookService(conn).get(u"wh_old"_s);
    QVERIFY2(w, qPrintable(w ? QString() : w.error().message));
    QCOMPARE(w->tenantId, u"acme"_s);
    QCOMPARE(w->name, u"Old hook"_s);
    QCOMPARE(w->url, u"https://old.example.com/hook"_s);
    QCOMPARE(w->description, u"kept across upgrades"_s);
    QCOMPARE(w->scheme, Scheme::HmacHex);
    QCOMPARE(w->retry.maxRetries, 4);
    QCOMPARE(w->retry.retryDelaySeconds, 2.5);
    QCOMPARE(w->retry.backoff, BackoffStrategy::Fixed);
    QCOMPARE(w->retry.autoDisableAfter, 7);
    QCOMPARE(w->retention, std::optional<int>(50));
    QCOMPARE(w->events, QStringList{u"webhook.test"_s});
    QCOMPARE(w->secret, u"old-secret-1234"_s);
    auto tenant = TenantService(conn).get(u"acme"_s);
    QVERIFY(tenant);
    QCOMPARE(tenant->plan, u"SCALE"_s);
    QCOMPARE(scalar(conn, u"SELECT value FROM settings WHERE key = 'headerPrefix'"_s).toString(), u"X-Old"_s);

    // Version rows 1..N, one each.
    QSqlQuery q(conn);
    QVERIFY(q.exec(u"SELECT version FROM schema_migrations ORDER BY version"_s));
    QList<int> versions;
    while (q.next())
        versions << q.value(0).toInt();
    QList<int> expected;
    for (int i = 1; i <= Migrations::latestVersion(); ++i)
        expected << i;
    QCOMPARE(versions, expected);

    // The new tables work with the old rows (foreign keys to the old webhook).
    QVERIFY(exec(conn, u"INSERT INTO events (id, tenant_id, type, created_at, body) VALUES ('evt_1', 'acme', 'webhook.test', 1, '{}')"_s));
    QVERIFY(exec(conn, u"INSERT INTO deliveries (id, event_id, webhook_id, tenant_id, event_type, status, created_at, updated_at)"
                       " VALUES ('msg_1', 'evt_1', 'wh_old', 'acme', 'webhook.test', 'pending', 1, 1)"_s));
}

void TestMigrations::refusesNewerSchema_data()
{
    QTest::addColumn<QString>("journalMode");
    QTest::newRow("wal") << u"wal"_s;
    QTest::newRow("rollback journal") << u"delete"_s;
}

void TestMigrations::refusesNewerSchema()
{
    QFETCH(QString, journalMode);
    const int future = Migrations::latestVersion() + 1;
    {
        auto opened = Database::open(dbPath());
        QVERIFY(opened);
        const auto conn = (*opened)->connection();
        auto t = TenantService(conn).create(u"acme"_s, u"PRO"_s);
        QVERIFY(t);
        if (journalMode != u"wal")
            QCOMPARE(scalar(conn, u"PRAGMA journal_mode = %1"_s.arg(journalMode)).toString().toLower(), journalMode);
        QVERIFY(exec(conn, u"INSERT INTO schema_migrations (version, description, applied_at) VALUES (%1, 'from the future', 1)"_s.arg(future)));
    }
    const auto before = stateOf(dbPath());
    QVERIFY(!before.sha256.isEmpty());

    {
        auto opened = Database::open(dbPath());
        QVERIFY(!opened);
        const auto &e = opened.error();
        QVERIFY2(e.message.contains(u"newer"_s), qPrintable(e.message));
        QVERIFY2(e.message.contains(QString::number(future)), qPrintable(e.message));
        QCOMPARE(e.code, Error::Code::Conflict);
    }
    const auto after = stateOf(dbPath());
    QVERIFY2(after == before, qPrintable(describe(before) + u" became "_s + describe(after)));

    // Still the newer database, untouched, and still refused the second time.
    {
        auto raw = Database::openUnmigrated(dbPath());
        QVERIFY2(raw, qPrintable(raw ? QString() : raw.error().message));
        const auto conn = (*raw)->connection();
        auto v = Migrations::currentVersion(conn);
        QVERIFY(v);
        QCOMPARE(*v, future);
        QCOMPARE(scalar(conn, u"PRAGMA journal_mode"_s).toString().toLower(), journalMode);
        auto s = Migrations::migrate(conn);
        QVERIFY(!s);
        QVERIFY(s.error().message.contains(u"newer"_s));
        QCOMPARE(scalar(conn, u"SELECT COUNT(*) FROM tenants WHERE id = 'acme'"_s).toInt(), 1);
    }
    QVERIFY(!Database::open(dbPath()));
}

void TestMigrations::refusesNonDatabase_data()
{
    QTest::addColumn<QByteArray>("content");
    QByteArray random(8192, Qt::Uninitialized);
    QRandomGenerator gen(20260101);
    for (auto &c : random)
        c = char(gen.bounded(256));
    // Never the SQLite magic by accident.
    random[0] = 'R';
    QTest::newRow("random bytes") << random;
    QTest::newRow("text file") << QByteArray("This is a shopping list, not a database.\nmilk\neggs\n").repeated(40);
    QByteArray badHeader("SQLite format 3", 16);
    badHeader += QByteArray(4080, '\xff');
    QTest::newRow("SQLite magic with a corrupt header") << badHeader;
}

void TestMigrations::refusesNonDatabase()
{
    QFETCH(QByteArray, content);
    {
        QFile f(dbPath());
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(content), content.size());
    }
    const auto before = stateOf(dbPath());
    {
        auto opened = Database::open(dbPath());
        QVERIFY(!opened);
        const auto &msg = opened.error().message;
        QVERIFY2(msg.contains(dbPath()), qPrintable(msg));
        QVERIFY2(msg.contains(u"not a Hookline database"_s) || msg.contains(u"not a database"_s), qPrintable(msg));
        QVERIFY(opened.error().code != Error::Code::Internal);
    }
    const auto after = stateOf(dbPath());
    QVERIFY2(after == before, qPrintable(describe(before) + u" became "_s + describe(after)));
    QCOMPARE(after.sha256, QCryptographicHash::hash(content, QCryptographicHash::Sha256));
    QVERIFY(!after.wal && !after.shm && !after.journal);
}

void TestMigrations::refusesDirectory()
{
    QVERIFY(QDir(m_dir->path()).mkdir(u"folder.db"_s));
    auto opened = Database::open(dbPath(u"folder.db"_s));
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, Error::Code::Io);
    QVERIFY2(opened.error().message.contains(u"directory"_s), qPrintable(opened.error().message));
}

void TestMigrations::refusedForeignDatabaseLeftUnchanged()
{
    // Another application's SQLite file whose "settings" table clashes with ours:
    // opening it must fail (it does) and must leave the file as it was.
    {
        auto foreign = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"foreign"_s);
        foreign.setDatabaseName(dbPath());
        QVERIFY(foreign.open());
        QVERIFY(exec(foreign, u"CREATE TABLE settings (k TEXT, v TEXT)"_s));
        QVERIFY(exec(foreign, u"INSERT INTO settings VALUES ('theme', 'dark')"_s));
        foreign.close();
    }
    QSqlDatabase::removeDatabase(u"foreign"_s);
    const auto before = stateOf(dbPath());
    {
        auto opened = Database::open(dbPath());
        QVERIFY(!opened);
        QVERIFY2(opened.error().message.contains(dbPath()) || opened.error().message.contains(u"schema version"_s),
                 qPrintable(opened.error().message));
    }
    {
        auto raw = Database::openUnmigrated(dbPath());
        QVERIFY(raw);
        const auto conn = (*raw)->connection();
        QCOMPARE(scalar(conn, u"SELECT v FROM settings WHERE k = 'theme'"_s).toString(), u"dark"_s);
        QVERIFY2(!hasObject(conn, u"table"_s, u"schema_migrations"_s), "a refused database was given a schema_migrations table");
        QCOMPARE(scalar(conn, u"PRAGMA journal_mode"_s).toString().toLower(), u"delete"_s);
    }
    const auto after = stateOf(dbPath());
    QVERIFY2(after == before, qPrintable(describe(before) + u" became "_s + describe(after)));
}

void TestMigrations::migrationErrorNamesTheCause()
{
    // A failing statement must report SQLite's reason, not a generic "No query".
    auto opened = Database::openUnmigrated(dbPath());
    QVERIFY(opened);
    const auto conn = (*opened)->connection();
    QVERIFY(Migrations::migrate(conn, 1));
    QVERIFY(exec(conn, u"CREATE TABLE attempts (x INTEGER)"_s));
    auto s = Migrations::migrate(conn);
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains(u"attempts"_s) && s.error().message.contains(u"already exists"_s), qPrintable(s.error().message));
}

void TestMigrations::migrateTwiceIsNoOp()
{
    auto opened = Database::open(dbPath());
    QVERIFY(opened);
    const auto conn = (*opened)->connection();
    const auto snapshot = [&] {
        QSqlQuery q(conn);
        QStringList rows;
        if (q.exec(u"SELECT version, description, applied_at FROM schema_migrations ORDER BY version"_s)) {
            while (q.next())
                rows << u"%1|%2|%3"_s.arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString());
        }
        q.finish();
        if (q.exec(u"SELECT type, name, sql FROM sqlite_master ORDER BY type, name"_s)) {
            while (q.next())
                rows << u"%1|%2|%3"_s.arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString());
        }
        return rows;
    };
    const auto before = snapshot();
    QCOMPARE(scalar(conn, u"SELECT COUNT(*) FROM schema_migrations"_s).toInt(), Migrations::latestVersion());
    // A re-applied migration would be stamped a minute later.
    test::ManualClock later(QDateTime::currentDateTimeUtc().addSecs(60));
    auto s = Migrations::migrate(conn);
    QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
    s = Migrations::migrate(conn, 1); // a lower target never goes back
    QVERIFY(s);
    QCOMPARE(snapshot(), before);
    QCOMPARE(scalar(conn, u"SELECT COUNT(*) FROM tenants"_s).toInt(), 1);
    QCOMPARE(scalar(conn, u"SELECT COUNT(*) FROM event_types"_s).toInt(), 4);

    // And reopening twice changes nothing either.
    for (int i = 0; i < 2; ++i) {
        auto again = Database::open(dbPath());
        QVERIFY(again);
        QVERIFY(!(*again)->isNew());
    }
}

void TestMigrations::failedMigrationRollsBack()
{
    auto opened = Database::openUnmigrated(dbPath());
    QVERIFY(opened);
    const auto conn = (*opened)->connection();
    QVERIFY(Migrations::migrate(conn, 1));
    // Migration 2 creates events and deliveries, then fails on this table.
    QVERIFY(exec(conn, u"CREATE TABLE attempts (x INTEGER)"_s));

    auto s = Migrations::migrate(conn);
    QVERIFY(!s);
    QCOMPARE(s.error().code, Error::Code::Database);
    QVERIFY2(s.error().message.contains(u"version 2"_s), qPrintable(s.error().message));
    auto v = Migrations::currentVersion(conn);
    QVERIFY(v);
    QCOMPARE(*v, 1);
    // Nothing of version 2 is left half done.
    QVERIFY(!hasObject(conn, u"table"_s, u"events"_s));
    QVERIFY(!hasObject(conn, u"table"_s, u"deliveries"_s));
    QVERIFY(!hasObject(conn, u"index"_s, u"deliveries_due"_s));
    QCOMPARE(scalar(conn, u"SELECT MAX(version) FROM schema_migrations"_s).toInt(), 1);
    // The connection is usable and not left inside a transaction.
    QVERIFY(exec(conn, u"DROP TABLE attempts"_s));
    s = Migrations::migrate(conn);
    QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
    v = Migrations::currentVersion(conn);
    QVERIFY(v);
    QCOMPARE(*v, Migrations::latestVersion());
}

void TestMigrations::migrateStepByStep()
{
    auto opened = Database::openUnmigrated(dbPath());
    QVERIFY(opened);
    const auto conn = (*opened)->connection();
    for (int target = 1; target <= Migrations::latestVersion(); ++target) {
        auto s = Migrations::migrate(conn, target);
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        auto v = Migrations::currentVersion(conn);
        QVERIFY(v);
        QCOMPARE(*v, target);
        QCOMPARE(scalar(conn, u"SELECT COUNT(*) FROM schema_migrations"_s).toInt(), target);
    }
    QCOMPARE(scalar(conn, u"SELECT COUNT(*) FROM tenants"_s).toInt(), 1);
}

void TestMigrations::indexesExist()
{
    auto opened = Database::open(dbPath());
    QVERIFY(opened);
    const auto conn = (*opened)->connection();
    struct Expected {
        QString name;
        QStringList columns;
    };
    const QList<Expected> expected{
        {u"deliveries_due"_s, {u"next_attempt_at"_s}},
        {u"deliveries_leased"_s, {u"lease_until"_s}},
        {u"deliveries_webhook_time"_s, {u"webhook_id"_s, u"created_at"_s}},
        {u"deliveries_status_time"_s, {u"status"_s, u"created_at"_s}},
        {u"deliveries_time"_s, {u"created_at"_s}},
        {u"deliveries_event"_s, {u"event_id"_s}},
        {u"attempts_delivery"_s, {u"delivery_id"_s, u"number"_s}},
        {u"webhooks_tenant"_s, {u"tenant_id"_s, u"active"_s}},
    };
    for (const auto &e : expected) {
        QVERIFY2(hasObject(conn, u"index"_s, e.name), qPrintable(e.name));
        QCOMPARE(indexColumns(conn, e.name), e.columns);
    }
    // The due index only holds what the engine still has to send.
    QSqlQuery q(conn);
    QVERIFY(q.exec(u"SELECT sql FROM sqlite_master WHERE name = 'deliveries_due'"_s));
    QVERIFY(q.next());
    const auto sql = q.value(0).toString();
    QVERIFY2(sql.contains(u"WHERE"_s) && sql.contains(u"'pending'"_s) && sql.contains(u"'retrying'"_s), qPrintable(sql));
}

void TestMigrations::dueQueryUsesPartialIndex()
{
    auto opened = Database::open(dbPath());
    QVERIFY(opened);
    const auto conn = (*opened)->connection();
    const auto plan = [&](const QString &select) {
        QSqlQuery q(conn);
        QString out;
        if (q.exec(u"EXPLAIN QUERY PLAN "_s + select)) {
            while (q.next())
                out += q.value(3).toString() + u'\n';
        }
        return out;
    };
    // The engine's "what is due" query can use the partial index (SQLite refuses
    // INDEXED BY when the query's WHERE does not imply the index's WHERE).
    const auto due = plan(u"SELECT id FROM deliveries INDEXED BY deliveries_due WHERE status IN ('pending','retrying')"
                          " AND next_attempt_at <= 5 ORDER BY next_attempt_at LIMIT 10"_s);
    QVERIFY2(due.contains(u"deliveries_due"_s), qPrintable(due));
    QVERIFY2(!due.contains(u"TEMP B-TREE"_s), qPrintable(due));
    // A query for other statuses cannot, which is what keeps the index small.
    const auto notDue = plan(u"SELECT id FROM deliveries INDEXED BY deliveries_due WHERE status = 'failed'"_s);
    QVERIFY2(notDue.isEmpty(), qPrintable(notDue));
    const auto byWebhook = plan(u"SELECT id FROM deliveries WHERE webhook_id = 'wh_x' ORDER BY created_at DESC LIMIT 50"_s);
    QVERIFY2(byWebhook.contains(u"deliveries_webhook_time"_s), qPrintable(byWebhook));
    const auto byStatus = plan(u"SELECT id FROM deliveries WHERE status = 'failed' ORDER BY created_at DESC LIMIT 50"_s);
    QVERIFY2(byStatus.contains(u"deliveries_status_time"_s), qPrintable(byStatus));
}

void TestMigrations::statusChecksCompareNames_data()
{
    QTest::addColumn<bool>("upgraded");
    QTest::newRow("fresh") << false;
    QTest::newRow("upgraded from version 15, with a delivery") << true;
}

void TestMigrations::statusChecksCompareNames()
{
    // A delivery's status changes twice in the engine: the CHECK on it must
    // not build a temporary table for every row (SQLite does for an IN list
    // of more than two names in a CHECK), and must still refuse other names.
    QFETCH(bool, upgraded);
    auto opened = Database::openUnmigrated(dbPath());
    QVERIFY(opened);
    const auto conn = (*opened)->connection();
    auto s = Migrations::migrate(conn, upgraded ? 15 : -1);
    QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
    QVERIFY(exec(conn, u"INSERT INTO webhooks (id, tenant_id, name, url, description, scheme, active, max_retries,"
                       " retry_delay_seconds, backoff, schedule, jitter, auto_disable_after, retention, transform,"
                       " created_at, updated_at) VALUES ('wh_1', 'default', 'One', 'https://example.com/hook', '',"
                       " 'standard', 1, 4, 2.5, 'fixed', '', 0.1, 7, 50, '', 1, 1)"_s));
    QVERIFY(exec(conn, u"INSERT INTO events (id, tenant_id, type, created_at, body) VALUES ('evt_1', 'default', 'lead.created', 1, '{}')"_s));
    QVERIFY(exec(conn, u"INSERT INTO deliveries (id, event_id, webhook_id, tenant_id, event_type, status, created_at, updated_at)"
                       " VALUES ('msg_1', 'evt_1', 'wh_1', 'default', 'lead.created', 'pending', 1, 1)"_s));
    if (upgraded) {
        s = Migrations::migrate(conn);
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        QCOMPARE(scalar(conn, u"PRAGMA quick_check"_s).toString(), u"ok"_s);
        QCOMPARE(scalar(conn, u"SELECT status FROM deliveries WHERE id = 'msg_1'"_s).toString(), u"pending"_s);
    }
    const auto opcodes = [&](const QString &statement) {
        QSqlQuery q(conn);
        QStringList out;
        if (q.exec(u"EXPLAIN "_s + statement)) {
            while (q.next())
                out << q.value(1).toString();
        }
        return out;
    };
    const QStringList writes{
        u"UPDATE deliveries SET status = 'delivering' WHERE id = 'msg_1'"_s,
        u"INSERT INTO deliveries (id, event_id, webhook_id, tenant_id, event_type, status, created_at, updated_at)"
        " VALUES ('msg_2', 'evt_1', 'wh_1', 'default', 'lead.created', 'pending', 1, 1)"_s,
        u"INSERT INTO alerts (webhook_id, tenant_id, kind, created_at) VALUES ('wh_1', 'default', 'failing', 1)"_s,
    };
    for (const auto &w : writes) {
        const auto ops = opcodes(w);
        QVERIFY2(!ops.isEmpty(), qPrintable(w));
        QVERIFY2(!ops.contains(u"OpenEphemeral"_s), qPrintable(w));
    }
    for (const auto &name : {u"pending"_s, u"delivering"_s, u"retrying"_s, u"succeeded"_s, u"failed"_s})
        QVERIFY2(exec(conn, u"UPDATE deliveries SET status = '%1' WHERE id = 'msg_1'"_s.arg(name)), qPrintable(name));
    for (const auto &name : {u"failing"_s, u"disabled"_s, u"gone"_s, u"recovered"_s, u"reenabled"_s})
        QVERIFY2(exec(conn, u"INSERT INTO alerts (webhook_id, tenant_id, kind, created_at) VALUES ('wh_1', 'default', '%1', 1)"_s.arg(name)),
                 qPrintable(name));
    QSqlQuery refused(conn);
    QVERIFY(!refused.exec(u"UPDATE deliveries SET status = 'Pending' WHERE id = 'msg_1'"_s));
    QVERIFY2(refused.lastError().text().contains(u"CHECK"_s), qPrintable(refused.lastError().text()));
    QVERIFY(!refused.exec(u"INSERT INTO alerts (webhook_id, tenant_id, kind, created_at) VALUES ('wh_1', 'default', 'lost', 1)"_s));
    QVERIFY2(refused.lastError().text().contains(u"CHECK"_s), qPrintable(refused.lastError().text()));
    QCOMPARE(scalar(conn, u"SELECT status FROM deliveries WHERE id = 'msg_1'"_s).toString(), u"failed"_s);
}

void TestMigrations::statusChecksKeptWhenSchemaIsLocked()
{
    // A SQLite in defensive mode does not let a table's definition be
    // edited: the upgrade still succeeds, with the checks as they were.
    auto opened = Database::openUnmigrated(dbPath());
    QVERIFY(opened);
    const auto conn = (*opened)->connection();
    auto s = Migrations::migrate(conn, 15);
    QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
    const QVariant handle = conn.driver()->handle();
    QCOMPARE(handle.typeName(), "sqlite3*");
    auto *sqlite = *static_cast<sqlite3 *const *>(handle.constData());
    QVERIFY(sqlite);
    int defensive = 0;
    QCOMPARE(sqlite3_db_config(sqlite, SQLITE_DBCONFIG_DEFENSIVE, 1, &defensive), SQLITE_OK);
    QCOMPARE(defensive, 1);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"defensive mode"_s));
    s = Migrations::migrate(conn);
    QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
    auto version = Migrations::currentVersion(conn);
    QVERIFY(version);
    QCOMPARE(*version, Migrations::latestVersion());
    const auto definition = scalar(conn, u"SELECT sql FROM sqlite_schema WHERE name = 'deliveries'"_s).toString();
    QVERIFY2(definition.contains(u"CHECK (status IN ('pending','delivering','retrying','succeeded','failed'))"_s), qPrintable(definition));
    QCOMPARE(scalar(conn, u"PRAGMA quick_check"_s).toString(), u"ok"_s);
}

void TestMigrations::connectionsPerThread()
{
    auto opened = Database::open(dbPath());
    QVERIFY(opened);
    auto db = *opened;
    const QString mainName = db->connection().connectionName();
    QVERIFY(!mainName.isEmpty());
    // The same thread always gets the same connection.
    QCOMPARE(db->connection().connectionName(), mainName);

    struct Report {
        QString name;
        QString nameAgain;
        bool open = false;
        int foreignKeys = -1;
        bool wrote = false;
        int tenants = -1;
        bool stillThereBeforeRelease = false;
        bool goneAfterRelease = false;
    };
    Report reports[2];
    QSemaphore arrived;
    QSemaphore proceed;
    const auto work = [&](int i) {
        auto conn = db->connection();
        reports[i].name = conn.connectionName();
        reports[i].nameAgain = db->connection().connectionName();
        reports[i].open = conn.isOpen();
        reports[i].foreignKeys = scalar(conn, u"PRAGMA foreign_keys"_s).toInt();
        reports[i].wrote = exec(conn, u"INSERT INTO tenants (id, plan, created_at) VALUES ('thread%1', 'PRO', 0)"_s.arg(i));
        // Both threads hold their connection at the same time.
        arrived.release();
        proceed.acquire();
        reports[i].tenants = scalar(conn, u"SELECT COUNT(*) FROM tenants"_s).toInt();
        reports[i].stillThereBeforeRelease = QSqlDatabase::contains(reports[i].name);
        conn = QSqlDatabase();
        db->releaseThreadConnection();
        reports[i].goneAfterRelease = !QSqlDatabase::contains(reports[i].name);
    };
    std::unique_ptr<QThread> t0(QThread::create(work, 0));
    std::unique_ptr<QThread> t1(QThread::create(work, 1));
    t0->start();
    t1->start();
    QVERIFY(arrived.tryAcquire(2, 20000));
    proceed.release(2);
    QVERIFY(t0->wait(20000));
    QVERIFY(t1->wait(20000));

    for (int i = 0; i < 2; ++i) {
        const auto &r = reports[i];
        QVERIFY(!r.name.isEmpty());
        QCOMPARE(r.nameAgain, r.name);
        QVERIFY(r.open);
        QCOMPARE(r.foreignKeys, 1);
        QVERIFY(r.wrote);
        QCOMPARE(r.tenants, 3);
        QVERIFY(r.stillThereBeforeRelease);
        QVERIFY(r.goneAfterRelease);
        QVERIFY(r.name != mainName);
    }
    QVERIFY(reports[0].name != reports[1].name);
    // The main thread sees both threads' writes on its own connection.
    QCOMPARE(scalar(db->connection(), u"SELECT COUNT(*) FROM tenants WHERE id LIKE 'thread%'"_s).toInt(), 2);
}

void TestMigrations::releaseThreadConnection()
{
    auto opened = Database::open(dbPath());
    QVERIFY(opened);
    auto db = *opened;
    const QString name = db->connection().connectionName();
    QVERIFY(QSqlDatabase::contains(name));
    db->releaseThreadConnection();
    QVERIFY(!QSqlDatabase::contains(name));
    db->releaseThreadConnection(); // twice is harmless

    // Asking again opens a working connection, with the pragmas applied.
    const auto conn = db->connection();
    QVERIFY(conn.isOpen());
    QCOMPARE(scalar(conn, u"PRAGMA foreign_keys"_s).toInt(), 1);
    QCOMPARE(scalar(conn, u"SELECT COUNT(*) FROM tenants"_s).toInt(), 1);

    // Two Database objects on the same file never share a connection name.
    auto other = Database::open(dbPath());
    QVERIFY(other);
    QVERIFY((*other)->connection().connectionName() != db->connection().connectionName());

    // Destroying the Database removes its connections.
    const QString otherName = (*other)->connection().connectionName();
    other = Error{};
    QVERIFY(!QSqlDatabase::contains(otherName));
}

void TestMigrations::checkpointsInBackground()
{
    auto opened = Database::open(dbPath());
    QVERIFY(opened);
    auto db = *opened;
    auto conn = db->connection();
    QCOMPARE(scalar(conn, u"PRAGMA wal_autocheckpoint"_s).toInt(), 1000); // SQLite's own, by default

    db->checkpointInBackground();
    db->checkpointInBackground(); // twice is one checkpointer
    // This thread's connection (open already) and any opened from now on
    // leave the log to the checkpointer.
    QCOMPARE(scalar(conn, u"PRAGMA wal_autocheckpoint"_s).toInt(), 0);
    int other = -1;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        other = scalar(db->connection(), u"PRAGMA wal_autocheckpoint"_s).toInt();
        db->releaseThreadConnection();
    }));
    thread->start();
    QVERIFY(thread->wait(10000));
    QCOMPARE(other, 0);

    // About 2 MB committed: only the log holds it until a checkpoint copies
    // it into the database file, which no commit here does any more.
    const qint64 before = QFileInfo(dbPath()).size();
    QVERIFY(exec(conn, u"CREATE TABLE scratch (v BLOB)"_s));
    QVERIFY(conn.transaction());
    QSqlQuery insert(conn);
    QVERIFY(insert.prepare(u"INSERT INTO scratch (v) VALUES (?)"_s));
    for (int i = 0; i < 500; ++i) {
        insert.addBindValue(QByteArray(4096, char('a' + i % 26)));
        QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
    }
    QVERIFY(conn.commit());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(dbPath()).size() > before + 1024 * 1024, 10000);

    // The checkpointer's thread ends with the Database, its connection closed.
    const QString prefix = conn.connectionName().section(u'-', 0, 1) + u'-';
    conn = QSqlDatabase();
    db.reset();
    opened = Error{};
    for (const auto &name : QSqlDatabase::connectionNames())
        QVERIFY2(!name.startsWith(prefix), qPrintable(name));
}

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
