// Files that hold secrets are the owner's alone, whatever the umask: the
// database and its -wal/-shm files 0600, folders created for them 0700; an
// existing database open to others is reported once, with the fix.
#include "store/Database.h"
#include "store/Sql.h"
#include "util/PrivateFiles.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {
// The mode bits of `path`, as chmod spells them (0600), or -1.
int mode(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

// Sets the process umask for the life of one test: the files must not care.
class UmaskScope final {
public:
    explicit UmaskScope(mode_t mask)
        : m_old(::umask(mask))
    {
    }
    ~UmaskScope() { ::umask(m_old); }
    Q_DISABLE_COPY_MOVE(UmaskScope)

private:
    mode_t m_old;
};
} // namespace

class TestPrivateFiles final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void foldersCreatedPrivate_data();
    void foldersCreatedPrivate();
    void existingFolderLeftAlone();
    void fileCreatedPrivate_data();
    void fileCreatedPrivate();
    void existingFileLeftAlone();
    void newDatabaseAndItsCompanionsPrivate();
    void exposedDatabaseReportedWithTheFix();
    void privateDatabaseNotReported();
};

void TestPrivateFiles::foldersCreatedPrivate_data()
{
    QTest::addColumn<int>("mask");
    QTest::newRow("umask 000") << 0;
    QTest::newRow("umask 022") << 022;
    QTest::newRow("umask 077") << 077;
}

void TestPrivateFiles::foldersCreatedPrivate()
{
    QFETCH(int, mask);
    const UmaskScope scope{mode_t(mask)};
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto nested = dir.filePath(u"a/b/c"_s);
    QVERIFY(PrivateFiles::makeDirectory(nested));
    for (const auto &d : {u"a"_s, u"a/b"_s, u"a/b/c"_s})
        QCOMPARE(mode(dir.filePath(d)), 0700);
}

void TestPrivateFiles::existingFolderLeftAlone()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
                                                  | QFile::ReadOther | QFile::ExeOther));
    QVERIFY(PrivateFiles::makeDirectory(dir.path()));
    QCOMPARE(mode(dir.path()), 0755); // a folder the user chose (say /srv/hookline) is theirs to set
}

void TestPrivateFiles::fileCreatedPrivate_data()
{
    foldersCreatedPrivate_data();
}

void TestPrivateFiles::fileCreatedPrivate()
{
    QFETCH(int, mask);
    const UmaskScope scope{mode_t(mask)};
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto path = dir.filePath(u"new/key"_s);
    QVERIFY(PrivateFiles::createFile(path));
    QCOMPARE(mode(path), 0600);
    QCOMPARE(mode(dir.filePath(u"new"_s)), 0700);
    QCOMPARE(QFileInfo(path).size(), 0);
}

void TestPrivateFiles::existingFileLeftAlone()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto path = dir.filePath(u"f"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("kept");
    f.close();
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
    QVERIFY(PrivateFiles::createFile(path));
    QCOMPARE(mode(path), 0640);
    QCOMPARE(QFileInfo(path).size(), 4);
}

void TestPrivateFiles::newDatabaseAndItsCompanionsPrivate()
{
    const UmaskScope scope(0); // the most permissive: SQLite alone would make 0644
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto path = dir.filePath(u"data/hookline.db"_s);
    {
        auto db = Database::open(path);
        QVERIFY2(db, db ? "" : qPrintable(db.error().message));
        // A write, with the connection still open: the -wal and -shm files exist now.
        QSqlQuery q((*db)->connection());
        QVERIFY(q.exec(u"CREATE TABLE t (x)"_s));
        QVERIFY(q.exec(u"INSERT INTO t VALUES (1)"_s));
        for (const QString &p : {path, QString(path + u"-wal"_s), QString(path + u"-shm"_s)}) {
            QVERIFY2(QFileInfo::exists(p), qPrintable(p));
            QCOMPARE(mode(p), 0600);
        }
        QCOMPARE(mode(dir.filePath(u"data"_s)), 0700);
        (*db)->releaseThreadConnection();
    }
}

void TestPrivateFiles::exposedDatabaseReportedWithTheFix()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto path = dir.filePath(u"hookline.db"_s);
    {
        auto db = Database::open(path);
        QVERIFY(db);
        (*db)->releaseThreadConnection();
    }
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    const auto expected = PrivateFiles::exposure(path);
    QVERIFY(expected);
    QVERIFY2(expected->contains(u"chmod 600 "_s + path), qPrintable(*expected));
    QTest::ignoreMessage(QtWarningMsg, qPrintable(*expected));
    auto db = Database::open(path);
    QVERIFY(db);
    (*db)->releaseThreadConnection();
    QCOMPARE(mode(path), 0644); // reported, not changed behind the owner's back
}

void TestPrivateFiles::privateDatabaseNotReported()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto path = dir.filePath(u"hookline.db"_s);
    for (int i = 0; i < 2; ++i) {
        QTest::failOnWarning(QRegularExpression(u".*"_s));
        auto db = Database::open(path);
        QVERIFY(db);
        (*db)->releaseThreadConnection();
    }
    QVERIFY(!PrivateFiles::exposure(path));
}

QTEST_GUILESS_MAIN(TestPrivateFiles)
#include "tst_privatefiles.moc"
