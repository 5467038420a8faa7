// The appends of a SQLite write-ahead log are combined into few writes, and
// that changes nothing anyone can see: every commit is readable by another
// connection the moment it returns, rows larger than the buffer (and than the
// 128 KB a single write of SQLite's unix VFS may carry) come back whole, and a
// rolled-back transaction that spilled into the log leaves nothing behind.
#include "store/Database.h"
#include "store/Sql.h"
#include "store/SqliteLibrary.h"
#include "store/WalWriteCombiner.h"

#include <QCryptographicHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hookline;
using namespace Qt::StringLiterals;

class TestWalWriteCombiner final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void combinesTheAppendsOfATransaction();
    void everyCommitIsSeenByAnotherConnectionAtOnce_data();
    void everyCommitIsSeenByAnotherConnectionAtOnce();
    void aRolledBackSpillLeavesNothingBehind();
    void aRolledBackSpillNeverOverwritesAnotherConnectionsCommit();

private:
    QSqlDatabase writer() const { return m_db->connection(); }
    // What another connection of this process reads now.
    qint64 rowsSeen(QByteArray *digest = nullptr);
    // SQLite's integrity check, read by the other connection: "ok", or what failed.
    QString integrity();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<Database> m_db;
    QSqlDatabase m_reader;
};

namespace {
QByteArray bytes(qsizetype size, int seed)
{
    QByteArray out(size, Qt::Uninitialized);
    quint32 x = quint32(seed) * 2654435761u + 1;
    for (qsizetype i = 0; i < size; ++i) {
        x = x * 1664525u + 1013904223u;
        out[i] = char(x >> 24);
    }
    return out;
}
} // namespace

void TestWalWriteCombiner::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString path = m_dir->filePath(u"wal.db"_s);
    auto opened = Database::open(path);
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    m_db = *opened;
    QVERIFY(WalWriteCombiner::installed());
    QVERIFY(sql::exec(writer(), u"CREATE TABLE samples (id INTEGER PRIMARY KEY, b BLOB NOT NULL)"_s, u"making the table"));
    m_reader = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"reader"_s);
    m_reader.setDatabaseName(path);
    QVERIFY(m_reader.open());
}

void TestWalWriteCombiner::cleanup()
{
    m_reader.close();
    m_reader = {};
    QSqlDatabase::removeDatabase(u"reader"_s);
    m_db.reset();
    m_dir.reset();
}

qint64 TestWalWriteCombiner::rowsSeen(QByteArray *digest)
{
    QSqlQuery q(m_reader);
    if (!q.exec(u"SELECT b FROM samples ORDER BY id"_s)) {
        qWarning() << q.lastError().text();
        return -1;
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 rows = 0;
    while (q.next()) {
        hash.addData(q.value(0).toByteArray());
        ++rows;
    }
    if (digest)
        *digest = hash.result();
    return rows;
}

QString TestWalWriteCombiner::integrity()
{
    QSqlQuery check(m_reader);
    if (!check.exec(u"PRAGMA integrity_check"_s) || !check.next())
        return check.lastError().text();
    return check.value(0).toString();
}

void TestWalWriteCombiner::combinesTheAppendsOfATransaction()
{
    const auto before = WalWriteCombiner::counts();
    sql::Transaction tx(writer());
    QVERIFY(tx.begin());
    QSqlQuery insert(writer());
    QVERIFY(insert.prepare(u"INSERT INTO samples (b) VALUES (?)"_s));
    for (int i = 0; i < 500; ++i) {
        insert.addBindValue(bytes(200, i));
        QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
    }
    QVERIFY(tx.commit());
    const auto after = WalWriteCombiner::counts();
    const quint64 requested = after.requested - before.requested;
    const quint64 issued = after.issued - before.issued;
    // ~100 KB of rows: some 25 pages, two writes each, in two or three writes.
    QVERIFY2(requested >= 50, qPrintable(u"SQLite asked for %1 writes"_s.arg(requested)));
    QVERIFY2(issued * 8 <= requested, qPrintable(u"%1 writes made for %2 asked"_s.arg(issued).arg(requested)));
    QCOMPARE(rowsSeen(), 500);
}

void TestWalWriteCombiner::everyCommitIsSeenByAnotherConnectionAtOnce_data()
{
    QTest::addColumn<int>("rowBytes");
    QTest::addColumn<int>("rowsPerCommit");
    QTest::addColumn<int>("commits");
    QTest::newRow("small rows, one a commit") << 100 << 1 << 60;
    QTest::newRow("small rows, many a commit") << 300 << 40 << 60;
    QTest::newRow("rows over the buffer") << 100 * 1024 << 1 << 20;
    // 7 MB: SQLite's own checkpoints start the log over on the way.
    QTest::newRow("rows over one write of the VFS") << 300 * 1024 << 2 << 12;
}

void TestWalWriteCombiner::everyCommitIsSeenByAnotherConnectionAtOnce()
{
    QFETCH(int, rowBytes);
    QFETCH(int, rowsPerCommit);
    QFETCH(int, commits);
    QCryptographicHash expected(QCryptographicHash::Sha256);
    qint64 rows = 0;
    QSqlQuery insert(writer());
    QVERIFY(insert.prepare(u"INSERT INTO samples (b) VALUES (?)"_s));
    for (int commit = 0; commit < commits; ++commit) {
        sql::Transaction tx(writer());
        QVERIFY(tx.begin());
        for (int i = 0; i < rowsPerCommit; ++i) {
            const QByteArray row = bytes(rowBytes, int(rows));
            insert.addBindValue(row);
            QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
            expected.addData(row);
            ++rows;
        }
        QVERIFY(tx.commit());
        QByteArray digest;
        QCOMPARE(rowsSeen(&digest), rows);
        QCOMPARE(digest, expected.result());
    }
    QCOMPARE(integrity(), u"ok"_s);
}

void TestWalWriteCombiner::aRolledBackSpillLeavesNothingBehind()
{
    // A cache of a few pages: a large transaction writes to the log before
    // its commit, and reads those pages back from it.
    QVERIFY(sql::exec(writer(), u"PRAGMA cache_size = 10"_s, u"shrinking the cache"));
    {
        sql::Transaction tx(writer());
        QVERIFY(tx.begin());
        QSqlQuery insert(writer());
        QVERIFY(insert.prepare(u"INSERT INTO samples (b) VALUES (?)"_s));
        for (int i = 0; i < 400; ++i) {
            insert.addBindValue(bytes(5000, i));
            QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
        }
        QSqlQuery sum(writer());
        QVERIFY(sum.exec(u"SELECT COUNT(*), SUM(LENGTH(b)) FROM samples"_s) && sum.next());
        QCOMPARE(sum.value(0).toInt(), 400);
        QCOMPARE(sum.value(1).toLongLong(), 400 * 5000);
        sum.finish();
        insert.finish();
        tx.rollback();
    }
    QCOMPARE(rowsSeen(), 0);
    QSqlQuery insert(writer());
    QVERIFY(insert.prepare(u"INSERT INTO samples (b) VALUES (?)"_s));
    insert.addBindValue(bytes(1000, 7));
    QVERIFY(insert.exec());
    QByteArray digest;
    QCOMPARE(rowsSeen(&digest), 1);
    QCOMPARE(digest, QCryptographicHash::hash(bytes(1000, 7), QCryptographicHash::Sha256));
    QCOMPARE(integrity(), u"ok"_s);
}

void TestWalWriteCombiner::aRolledBackSpillNeverOverwritesAnotherConnectionsCommit()
{
    // The writer's transaction spills pages into the log and is rolled
    // back; another connection then commits frames where the spilled ones
    // were; then the first connection reads again. What it had gathered of
    // the rolled-back transaction must never reach the file.
    QVERIFY(sql::exec(writer(), u"PRAGMA cache_size = 10"_s, u"shrinking the cache"));
    // The log starts empty: the rollback then reads nothing from it.
    QVERIFY(sql::exec(writer(), u"PRAGMA wal_checkpoint(TRUNCATE)"_s, u"emptying the log"));
    {
        sql::Transaction tx(writer());
        QVERIFY(tx.begin());
        QSqlQuery insert(writer());
        QVERIFY(insert.prepare(u"INSERT INTO samples (b) VALUES (?)"_s));
        for (int i = 0; i < 400; ++i) {
            insert.addBindValue(bytes(5000, 1000 + i));
            QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
        }
        insert.finish();
        tx.rollback();
    }
    QCryptographicHash expected(QCryptographicHash::Sha256);
    {
        QSqlQuery other(m_reader);
        QVERIFY(other.exec(u"BEGIN IMMEDIATE"_s));
        QVERIFY(other.prepare(u"INSERT INTO samples (b) VALUES (?)"_s));
        for (int i = 0; i < 100; ++i) {
            const QByteArray row = bytes(30000, 5000 + i); // 3 MB: over where the spilled pages were
            other.addBindValue(row);
            QVERIFY2(other.exec(), qPrintable(other.lastError().text()));
            expected.addData(row);
        }
        QVERIFY(other.exec(u"COMMIT"_s));
    }
    // The first connection reads every page again.
    QSqlQuery sum(writer());
    QVERIFY(sum.exec(u"SELECT COUNT(*), SUM(LENGTH(b)) FROM samples"_s) && sum.next());
    QCOMPARE(sum.value(0).toInt(), 100);
    sum.finish();
    QVERIFY(sql::exec(writer(), u"CREATE TABLE later (x)"_s, u"writing again"));
    QByteArray digest;
    QCOMPARE(rowsSeen(&digest), 100);
    QCOMPARE(digest, expected.result());
    QCOMPARE(integrity(), u"ok"_s);
}

QTEST_GUILESS_MAIN(TestWalWriteCombiner)
#include "tst_walwritecombiner.moc"
