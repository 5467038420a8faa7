// store/DirectStatement: the engine's busiest statements, straight to SQLite's
// own interface (through QtSql on PostgreSQL). What it writes must read back
// exactly as QtSql would have written it, in the caller's transaction.
#include "store/Database.h"
#include "store/DirectStatement.h"
#include "store/Sql.h"
#include "store/SqliteLibrary.h"

#include "TestLocation.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hookline;
using namespace Qt::StringLiterals;

class TestDirectStatement final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void runsOnSqlitesOwnInterface();
    void valuesReadBackAsQtSqlStoresThem_data();
    void valuesReadBackAsQtSqlStoresThem();
    void runsAgainWithNewValuesWhileRowsAreLeft();
    void isPartOfTheCallersTransaction();
    void countsTheRowsItChanged();
    void failuresNameWhatWasBeingDone();
    void qtSqlQueriesRunAgainAfterAFailure();
    void sqliteKeepsNoMemoryStatistics();

private:
    QSqlDatabase conn() const { return m_db->connection(); }
    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<Database> m_db;
};

void TestDirectStatement::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto opened = Database::open(test::databaseLocation(*m_dir));
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    m_db = *opened;
    const bool postgres = sql::isPostgres(conn());
    const auto table = postgres ? u"CREATE TABLE samples (id BIGINT PRIMARY KEY, n BIGINT, s TEXT NOT NULL CHECK (s <> 'refused'), b BYTEA)"_s
                                : u"CREATE TABLE samples (id INTEGER PRIMARY KEY, n INTEGER, s TEXT NOT NULL CHECK (s <> 'refused'), b BLOB)"_s;
    QVERIFY(sql::exec(conn(), table, u"making the table"));
}

void TestDirectStatement::cleanup()
{
    m_db.reset();
    m_dir.reset();
}

void TestDirectStatement::runsOnSqlitesOwnInterface()
{
    DirectStatement s(conn(), u"SELECT 1"_s);
    // The whole point on SQLite; PostgreSQL goes through QtSql.
    QCOMPARE(s.isDirect(), !test::usesPostgres());
    QVERIFY(s.exec(u"selecting"));
    QVERIFY(s.next());
    QCOMPARE(s.integer(0), 1);
    QVERIFY(!s.next());
}

void TestDirectStatement::valuesReadBackAsQtSqlStoresThem_data()
{
    QTest::addColumn<std::optional<qint64>>("number");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("blob");

    QTest::newRow("plain") << std::optional<qint64>(42) << u"hello"_s << QByteArray("bytes");
    QTest::newRow("large and negative") << std::optional<qint64>(-9'007'199'254'740'993LL) << u"x"_s << QByteArray("y");
    QTest::newRow("NULL number and blob") << std::optional<qint64>() << u"t"_s << QByteArray();
    QTest::newRow("empty text and empty blob, not NULL") << std::optional<qint64>(0) << u""_s << QByteArray("");
    QTest::newRow("text beyond ASCII") << std::optional<qint64>(1) << u"Größe — ✓ 𝄞 日本"_s << QByteArray("\xff\xfe", 2);
    QTest::newRow("bytes with zeros") << std::optional<qint64>(2) << u"zero"_s << QByteArray("a\0b\0", 4);
    QTest::newRow("a megabyte") << std::optional<qint64>(3) << QString(1 << 20, u'é') << QByteArray(1 << 20, '\x01');
}

void TestDirectStatement::valuesReadBackAsQtSqlStoresThem()
{
    QFETCH(std::optional<qint64>, number);
    QFETCH(QString, text);
    QFETCH(QByteArray, blob);

    DirectStatement insert(conn(), u"INSERT INTO samples (id, n, s, b) VALUES (?, ?, ?, ?)"_s);
    insert.bind(7);
    insert.bind(number);
    insert.bindText(text);
    insert.bindBlob(blob);
    QVERIFY(insert.exec(u"inserting"));

    // Read by QtSql, as the rest of the program reads it.
    auto q = sql::prepare(conn(), u"SELECT n, s, b FROM samples WHERE id = 7"_s);
    QVERIFY(sql::exec(q, u"reading"));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).isNull(), !number.has_value());
    if (number)
        QCOMPARE(q.value(0).toLongLong(), *number);
    QCOMPARE(q.value(1).toString(), text);
    QCOMPARE(q.value(2).isNull(), blob.isNull());
    QCOMPARE(q.value(2).toByteArray(), blob);
    q.finish();
    if (!test::usesPostgres()) {
        // Text stays TEXT and bytes stay BLOB, as QtSql binds them.
        auto types = sql::prepare(conn(), u"SELECT typeof(s), typeof(b) FROM samples WHERE id = 7"_s);
        QVERIFY(sql::exec(types, u"reading types"));
        QVERIFY(types.next());
        QCOMPARE(types.value(0).toString(), u"text"_s);
        QCOMPARE(types.value(1).toString(), blob.isNull() ? u"null"_s : u"blob"_s);
    }

    // And read by itself.
    DirectStatement select(conn(), u"SELECT n, s, b FROM samples WHERE id = ?"_s);
    select.bind(7);
    QVERIFY(select.exec(u"reading"));
    QVERIFY(select.next());
    QCOMPARE(select.isNull(0), !number.has_value());
    QCOMPARE(select.integer(0), number.value_or(0));
    QCOMPARE(select.text(1), text);
    QCOMPARE(select.bytes(1), text.toUtf8());
    QCOMPARE(select.isNull(2), blob.isNull());
    QCOMPARE(select.bytes(2), blob);
    QVERIFY(!select.next());
}

void TestDirectStatement::runsAgainWithNewValuesWhileRowsAreLeft()
{
    DirectStatement insert(conn(), u"INSERT INTO samples (id, n, s) VALUES (?, ?, ?)"_s);
    for (int i = 1; i <= 5; ++i) {
        insert.bind(i);
        insert.bind(i * 10);
        insert.bindText(QString::number(i));
        QVERIFY(insert.exec(u"inserting"));
    }
    DirectStatement select(conn(), u"SELECT n FROM samples WHERE id >= ? ORDER BY id"_s);
    select.bind(2);
    QVERIFY(select.exec(u"reading"));
    QVERIFY(select.next());
    QCOMPARE(select.integer(0), 20);
    // Three rows left unread: binding starts the next run from the top.
    select.bind(4);
    QVERIFY(select.exec(u"reading"));
    QList<qint64> seen;
    while (select.next())
        seen << select.integer(0);
    QCOMPARE(seen, (QList<qint64>{40, 50}));
    // A statement with nothing to bind runs again as it is.
    DirectStatement count(conn(), u"SELECT count(*) FROM samples"_s);
    for (int i = 0; i < 2; ++i) {
        QVERIFY(count.exec(u"counting"));
        QVERIFY(count.next());
        QCOMPARE(count.integer(0), 5);
    }
}

void TestDirectStatement::isPartOfTheCallersTransaction()
{
    DirectStatement insert(conn(), u"INSERT INTO samples (id, s) VALUES (?, ?)"_s);
    {
        sql::Transaction tx(conn());
        QVERIFY(tx.begin());
        insert.bind(1);
        insert.bindText(u"rolled back"_s);
        QVERIFY(insert.exec(u"inserting"));
        // Not committed: gone with the transaction.
    }
    {
        sql::Transaction tx(conn());
        QVERIFY(tx.begin());
        insert.bind(2);
        insert.bindText(u"kept"_s);
        QVERIFY(insert.exec(u"inserting"));
        QVERIFY(tx.commit());
    }
    auto q = sql::prepare(conn(), u"SELECT id FROM samples ORDER BY id"_s);
    QVERIFY(sql::exec(q, u"reading"));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 2);
    QVERIFY(!q.next());
}

void TestDirectStatement::countsTheRowsItChanged()
{
    DirectStatement insert(conn(), u"INSERT INTO samples (id, s) VALUES (?, 'a')"_s);
    for (int i = 1; i <= 4; ++i) {
        insert.bind(i);
        QVERIFY(insert.exec(u"inserting"));
        QCOMPARE(insert.rowsAffected(), 1);
    }
    DirectStatement update(conn(), u"UPDATE samples SET s = 'b' WHERE id IN (?, ?, ?)"_s);
    for (int id : {1, 3, 99})
        update.bind(id);
    QVERIFY(update.exec(u"updating"));
    QCOMPARE(update.rowsAffected(), 2);
}

void TestDirectStatement::failuresNameWhatWasBeingDone()
{
    DirectStatement broken(conn(), u"SELECT missing FROM no_such_table"_s);
    const auto prepared = broken.exec(u"reading what is not there");
    QVERIFY(!prepared);
    QVERIFY2(prepared.error().message.contains(u"reading what is not there"), qPrintable(prepared.error().message));
    QVERIFY2(prepared.error().message.contains(u"no_such_table"), qPrintable(prepared.error().message));

    DirectStatement insert(conn(), u"INSERT INTO samples (id, s) VALUES (?, ?)"_s);
    insert.bind(1);
    insert.bindText(u"refused"_s);
    const auto refused = insert.exec(u"inserting a sample");
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(u"inserting a sample"), qPrintable(refused.error().message));
    // Nothing written, and the statement still works.
    insert.bind(1);
    insert.bindText(u"fine"_s);
    QVERIFY(insert.exec(u"inserting a sample"));
    DirectStatement count(conn(), u"SELECT count(*) FROM samples"_s);
    QVERIFY(count.exec(u"counting"));
    QVERIFY(count.next());
    QCOMPARE(count.integer(0), 1);
}

// The statements every other store keeps prepared (sql::prepare / sql::exec):
// one failed run must not fail every later one.
void TestDirectStatement::qtSqlQueriesRunAgainAfterAFailure()
{
    auto insert = sql::prepare(conn(), u"INSERT INTO samples (id, s) VALUES (?, ?)"_s);
    insert.addBindValue(1);
    insert.addBindValue(u"refused"_s);
    const auto refused = sql::exec(insert, u"inserting a sample");
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(u"inserting a sample"), qPrintable(refused.error().message));
    insert.addBindValue(1);
    insert.addBindValue(u"fine"_s);
    const auto again = sql::exec(insert, u"inserting a sample");
    QVERIFY2(again, qPrintable(again ? QString() : again.error().message));

    // One that never prepared still says why.
    auto broken = sql::prepare(conn(), u"SELECT missing FROM no_such_table"_s);
    const auto failed = sql::exec(broken, u"reading what is not there");
    QVERIFY(!failed);
    QVERIFY2(failed.error().message.contains(u"no_such_table"), qPrintable(failed.error().message));
}

void TestDirectStatement::sqliteKeepsNoMemoryStatistics()
{
    if (test::usesPostgres())
        QSKIP("a SQLite setting");
    // Opening the database set it: statements ran (init) and SQLite counted
    // nothing. With its statistics on, each of its allocations would take a
    // mutex shared by every thread's connection.
    QVERIFY(SqliteLibrary::configure());
    for (int i = 0; i < 100; ++i) {
        DirectStatement insert(conn(), u"INSERT INTO samples (id, n, s) VALUES (?, ?, ?)"_s);
        insert.bind(qint64(i));
        insert.bind(qint64(i));
        insert.bind(QStringLiteral("row %1").arg(i));
        QVERIFY(insert.exec(u"inserting"));
    }
    QCOMPARE(SqliteLibrary::memoryCounted(), 0);
}

QTEST_GUILESS_MAIN(TestDirectStatement)
#include "tst_directstatement.moc"
