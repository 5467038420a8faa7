// Webhook secrets at rest: sealed with AES-256-GCM under a master key kept
// outside the database (HOOKLINE_MASTER_KEY, a keychain, or a 0600 key file
// beside it); plain-text secrets of an older database sealed at its next
// open in one transaction; a wrong or missing key refused with where it was
// looked for, the database unchanged; rekey, and a rekey cut short finished
// at the next open; a raw scan of the files finds no secret.
#include "ManualClock.h"

#include "service/Installation.h"
#include "service/WebhookService.h"
#include "signing/Secret.h"
#include "signing/SecretBox.h"
#include "store/Database.h"
#include "store/MasterKey.h"
#include "store/Migrations.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {
QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The database and its companions, as bytes: what a copied file would reveal.
QByteArray allBytes(const QString &db)
{
    return fileBytes(db) + fileBytes(db + u"-wal"_s) + fileBytes(db + u"-shm"_s);
}

QByteArray digest(const QString &db)
{
    return QCryptographicHash::hash(allBytes(db), QCryptographicHash::Sha256).toHex();
}

Webhook draft()
{
    Webhook w;
    w.name = u"Secrets"_s;
    w.url = u"https://hooks.example.com/x"_s;
    w.events = {u"*"_s};
    return w;
}

int mode(const QString &path)
{
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

// Sets an environment variable for one scope.
class EnvScope final {
public:
    EnvScope(const char *name, const QByteArray &value)
        : m_name(name)
    {
        qputenv(name, value);
    }
    ~EnvScope() { qunsetenv(m_name); }
    Q_DISABLE_COPY_MOVE(EnvScope)

private:
    const char *m_name;
};
} // namespace

class TestSecrets final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void boxRoundTrip();
    void boxRefusesWhatItDidNotSeal_data();
    void boxRefusesWhatItDidNotSeal();
    void newDatabaseSealsWithAPrivateKeyFile();
    void environmentKeyUsedAndNoFileMade();
    void plainSecretsSealedAtNextOpen();
    void wrongKeyChangesNothing();
    void missingKeyChangesNothing();
    void malformedKeyRefused_data();
    void malformedKeyRefused();
    void valueMovedToAnotherRowDoesNotOpen();
    void rekeyReplacesTheKey();
    void rekeyCutShortIsFinishedAtOpen();
    void rekeyWithTheEnvironmentKey();
    void rawScanFindsNoSecret();

private:
    QString path() const { return m_dir->filePath(u"hookline.db"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSecrets::init()
{
    qunsetenv(MasterKey::kEnvironment);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSecrets::boxRoundTrip()
{
    const auto key = SecretBox::generateKey();
    QCOMPARE(key.size(), SecretBox::kKeyBytes);
    const auto box = SecretBox::fromKey(key);
    QVERIFY(box);
    for (const auto &plain : {u"whsec_abc"_s, u"It's a Secret to Everybody"_s, u"ünïcødé ✓"_s, QString()}) {
        const auto a = box->seal(plain, "row/1");
        const auto b = box->seal(plain, "row/1");
        QVERIFY(a.startsWith(u"v1:"_s));
        QVERIFY2(a != b, "the same value sealed twice must differ (a fresh nonce each time)");
        QCOMPARE(box->open(a, "row/1"), std::optional<QString>(plain));
        QCOMPARE(box->open(b, "row/1"), std::optional<QString>(plain));
    }
    QCOMPARE(box->fingerprint().size(), 16);
    QCOMPARE(SecretBox::fromKey(key)->fingerprint(), box->fingerprint());
    QVERIFY(!SecretBox::fromKey(key.left(31)));
}

void TestSecrets::boxRefusesWhatItDidNotSeal_data()
{
    QTest::addColumn<int>("what");
    QTest::newRow("another key") << 0;
    QTest::newRow("another row") << 1;
    QTest::newRow("a flipped byte") << 2;
    QTest::newRow("cut short") << 3;
    QTest::newRow("plain text") << 4;
}

void TestSecrets::boxRefusesWhatItDidNotSeal()
{
    QFETCH(int, what);
    const auto box = SecretBox::fromKey(SecretBox::generateKey());
    const auto other = SecretBox::fromKey(SecretBox::generateKey());
    auto sealed = box->seal(u"whsec_secret"_s, "row/1");
    std::optional<QString> opened;
    switch (what) {
    case 0: opened = other->open(sealed, "row/1"); break;
    case 1: opened = box->open(sealed, "row/2"); break;
    case 2: {
        auto raw = QByteArray::fromBase64(sealed.mid(3).toLatin1());
        raw[raw.size() / 2] = char(raw[raw.size() / 2] ^ 1);
        opened = box->open(QString(u"v1:"_s + QString::fromLatin1(raw.toBase64())), "row/1");
        break;
    }
    case 3: opened = box->open(sealed.left(sealed.size() - 8), "row/1"); break;
    case 4: opened = box->open(u"whsec_secret"_s, "row/1"); break;
    }
    QVERIFY(!opened);
}

void TestSecrets::newDatabaseSealsWithAPrivateKeyFile()
{
    auto db = Installation::open(path());
    QVERIFY2(db, db ? "" : qPrintable(db.error().message));
    const QString keyFile = path() + u".key"_s;
    QCOMPARE((*db)->keyInfo().where, keyFile);
    QCOMPARE(mode(keyFile), 0600);
    WebhookService service((*db)->connection());
    auto w = service.create(draft());
    QVERIFY(w);
    QSqlQuery q((*db)->connection());
    QVERIFY(q.exec(u"SELECT secret FROM webhook_secrets"_s));
    QVERIFY(q.next());
    QVERIFY(q.value(0).toString().startsWith(u"v1:"_s));
    QVERIFY(!q.value(0).toString().contains(w->secret));
    QCOMPARE(service.get(w->id)->secret, w->secret);
}

void TestSecrets::environmentKeyUsedAndNoFileMade()
{
    const auto key = SecretBox::generateKey();
    EnvScope env(MasterKey::kEnvironment, key.toBase64());
    auto db = Installation::open(path());
    QVERIFY2(db, db ? "" : qPrintable(db.error().message));
    QCOMPARE((*db)->keyInfo().where, QString::fromLatin1(MasterKey::kEnvironment));
    QCOMPARE((*db)->keyInfo().fingerprint, SecretBox::fromKey(key)->fingerprint());
    QVERIFY(!QFile::exists(path() + u".key"_s));
}

void TestSecrets::plainSecretsSealedAtNextOpen()
{
    // A database from before encryption: schema 6, its secrets in plain text.
    const QStringList plain{u"whsec_YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4"_s, u"It's a Secret to Everybody"_s};
    {
        auto raw = Database::openUnmigrated(path());
        QVERIFY(raw);
        auto conn = (*raw)->connection();
        QVERIFY(Migrations::migrate(conn, 6));
        QSqlQuery q(conn);
        QVERIFY(q.exec(u"INSERT INTO webhooks (id, tenant_id, name, url, scheme, active, max_retries, retry_delay_seconds, backoff,"
                       " auto_disable_after, consecutive_failures, created_at, updated_at)"
                       " VALUES ('wh_old', 'default', 'Old', 'https://a.example/x', 'standard', 1, 3, 1, 'exponential', 0, 0, 0, 0)"_s));
        QVERIFY(q.prepare(u"INSERT INTO webhook_secrets (webhook_id, secret, created_at, expires_at) VALUES ('wh_old', ?, ?, ?)"_s));
        q.addBindValue(plain[1]);
        q.addBindValue(1);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch() + 3600'000);
        QVERIFY(q.exec());
        q.addBindValue(plain[0]);
        q.addBindValue(2);
        q.addBindValue(QVariant());
        QVERIFY(q.exec());
        (*raw)->releaseThreadConnection();
    }
    QVERIFY(allBytes(path()).contains(plain[0].toUtf8()));
    auto db = Installation::open(path());
    QVERIFY2(db, db ? "" : qPrintable(db.error().message));
    const auto got = WebhookService((*db)->connection()).get(u"wh_old"_s);
    QVERIFY2(got, got ? "" : qPrintable(got.error().message));
    QCOMPARE(got->secret, plain[0]);
    QCOMPARE(got->secrets.size(), 2);
    QCOMPARE(got->secrets.at(1).secret, plain[1]);
    QSqlQuery q((*db)->connection());
    QVERIFY(q.exec(u"SELECT COUNT(*) FROM webhook_secrets WHERE secret NOT LIKE 'v1:%'"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    // Nor are they left behind in freed space or in the log: a copied file
    // holds them no more.
    for (const auto &p : plain)
        QVERIFY2(!allBytes(path()).contains(p.toUtf8()), qPrintable(Secret::mask(p)));
    (*db)->releaseThreadConnection();
    db->reset();
    for (const auto &p : plain)
        QVERIFY2(!allBytes(path()).contains(p.toUtf8()), qPrintable(Secret::mask(p)));
}

void TestSecrets::wrongKeyChangesNothing()
{
    {
        auto db = Installation::open(path());
        QVERIFY(db);
        QVERIFY(WebhookService((*db)->connection()).create(draft()));
    }
    const auto before = digest(path());
    const auto keyBefore = fileBytes(path() + u".key"_s);
    const auto wrong = SecretBox::generateKey();
    EnvScope env(MasterKey::kEnvironment, wrong.toBase64());
    auto db = Installation::open(path());
    QVERIFY(!db);
    const auto message = db.error().message;
    QVERIFY2(message.contains(u"HOOKLINE_MASTER_KEY"_s) && message.contains(SecretBox::fromKey(wrong)->fingerprint())
                 && message.contains(u"is not the one"_s) && message.contains(u"nothing was read or changed"_s),
             qPrintable(message));
    QCOMPARE(digest(path()), before);
    QCOMPARE(fileBytes(path() + u".key"_s), keyBefore);
}

void TestSecrets::missingKeyChangesNothing()
{
    {
        auto db = Installation::open(path());
        QVERIFY(db);
        QVERIFY(WebhookService((*db)->connection()).create(draft()));
    }
    QVERIFY(QFile::rename(path() + u".key"_s, m_dir->filePath(u"elsewhere.key"_s)));
    const auto before = digest(path());
    auto db = Installation::open(path());
    QVERIFY(!db);
    const auto message = db.error().message;
    QVERIFY2(message.contains(u"master key was not found"_s) && message.contains(u"HOOKLINE_MASTER_KEY (not set)"_s)
                 && message.contains(path() + u".key (no such file)"_s),
             qPrintable(message));
    QCOMPARE(digest(path()), before);
    QVERIFY2(!QFile::exists(path() + u".key"_s), "a new key was made for a database whose secrets need the old one");
}

void TestSecrets::malformedKeyRefused_data()
{
    QTest::addColumn<bool>("inEnvironment");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("variable: not base64") << true << QByteArray("not a key!");
    QTest::newRow("variable: 16 bytes") << true << QByteArray(16, 'k').toBase64();
    QTest::newRow("file: 31 bytes") << false << QByteArray(31, 'k').toBase64();
    QTest::newRow("file: empty") << false << QByteArray();
}

void TestSecrets::malformedKeyRefused()
{
    QFETCH(bool, inEnvironment);
    QFETCH(QByteArray, value);
    std::unique_ptr<EnvScope> env;
    if (inEnvironment) {
        env = std::make_unique<EnvScope>(MasterKey::kEnvironment, value);
    } else {
        QFile f(path() + u".key"_s);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(value);
    }
    auto db = Installation::open(path());
    QVERIFY(!db);
    QVERIFY2(db.error().message.contains(u"does not hold a master key (expected base64 of 32 bytes)"_s), qPrintable(db.error().message));
    QVERIFY(!db.error().message.contains(QString::fromLatin1(value)) || value.isEmpty());
}

void TestSecrets::valueMovedToAnotherRowDoesNotOpen()
{
    auto db = Installation::open(path());
    QVERIFY(db);
    WebhookService service((*db)->connection());
    auto a = service.create(draft());
    auto b = service.create(draft());
    QVERIFY(a && b);
    QSqlQuery q((*db)->connection());
    QVERIFY(q.exec(u"UPDATE webhook_secrets SET secret = (SELECT secret FROM webhook_secrets WHERE webhook_id = '%1')"
                   " WHERE webhook_id = '%2'"_s.arg(a->id, b->id)));
    auto got = service.get(b->id);
    QVERIFY(!got);
    QVERIFY2(got.error().message.contains(u"does not open with the master key"_s), qPrintable(got.error().message));
    QVERIFY(!got.error().message.contains(a->secret));
    QVERIFY(service.get(a->id));
}

void TestSecrets::rekeyReplacesTheKey()
{
    auto db = Installation::open(path());
    QVERIFY(db);
    WebhookService service((*db)->connection());
    auto w = service.create(draft());
    QVERIFY(w);
    auto rotated = service.rotateSecret(w->id, 3600);
    QVERIFY(rotated);
    const auto oldKey = fileBytes(path() + u".key"_s);
    const auto oldFingerprint = (*db)->keyInfo().fingerprint;
    auto done = (*db)->rekey();
    QVERIFY2(done, done ? "" : qPrintable(done.error().message));
    QVERIFY(done->fingerprint != oldFingerprint);
    QVERIFY(fileBytes(path() + u".key"_s) != oldKey);
    QVERIFY(!QFile::exists(path() + u".key.new"_s));
    QCOMPARE(mode(path() + u".key"_s), 0600);
    // The same process reads on with the new key; so does the next one.
    QCOMPARE(service.get(w->id)->secret, rotated->secret);
    (*db)->releaseThreadConnection();
    db->reset();
    auto again = Installation::open(path());
    QVERIFY2(again, again ? "" : qPrintable(again.error().message));
    const auto got = WebhookService((*again)->connection()).get(w->id);
    QVERIFY(got);
    QCOMPARE(got->secrets.size(), 2);
    QCOMPARE(got->secrets.at(1).secret, w->secret);
    // The old key opens nothing any more.
    EnvScope env(MasterKey::kEnvironment, QByteArray::fromBase64(oldKey.trimmed()).toBase64());
    QVERIFY(!Installation::open(path()));
}

void TestSecrets::rekeyCutShortIsFinishedAtOpen()
{
    QString secret;
    QByteArray oldKey;
    QByteArray newKey;
    {
        auto db = Installation::open(path());
        QVERIFY(db);
        auto w = WebhookService((*db)->connection()).create(draft());
        QVERIFY(w);
        secret = w->secret;
        oldKey = fileBytes(path() + u".key"_s);
        QVERIFY((*db)->rekey());
        newKey = fileBytes(path() + u".key"_s);
        (*db)->releaseThreadConnection();
    }
    // As if the process died after its commit and before the rename: the
    // old key in place, the new one staged beside it.
    QVERIFY(QFile::remove(path() + u".key"_s));
    for (const auto &[name, bytes] : {std::pair{u".key"_s, oldKey}, std::pair{u".key.new"_s, newKey}}) {
        QFile f(path() + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    auto db = Installation::open(path());
    QVERIFY2(db, db ? "" : qPrintable(db.error().message));
    QCOMPARE(fileBytes(path() + u".key"_s), newKey);
    QVERIFY(!QFile::exists(path() + u".key.new"_s));
    const auto all = WebhookService((*db)->connection()).list();
    QVERIFY(all);
    QCOMPARE(all->first().secret, secret);
}

void TestSecrets::rekeyWithTheEnvironmentKey()
{
    EnvScope env(MasterKey::kEnvironment, SecretBox::generateKey().toBase64());
    auto db = Installation::open(path());
    QVERIFY(db);
    auto w = WebhookService((*db)->connection()).create(draft());
    QVERIFY(w);
    auto refused = (*db)->rekey();
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(u"--print-new-key"_s), qPrintable(refused.error().message));
    QByteArray printed;
    auto done = (*db)->rekey(&printed);
    QVERIFY2(done, done ? "" : qPrintable(done.error().message));
    QCOMPARE(done->fingerprint, SecretBox::fromKey(QByteArray::fromBase64(printed))->fingerprint());
    (*db)->releaseThreadConnection();
    db->reset();
    qputenv(MasterKey::kEnvironment, printed);
    auto again = Installation::open(path());
    QVERIFY2(again, again ? "" : qPrintable(again.error().message));
    QCOMPARE(WebhookService((*again)->connection()).get(w->id)->secret, w->secret);
}

void TestSecrets::rawScanFindsNoSecret()
{
    QStringList issued;
    {
        auto db = Installation::open(path());
        QVERIFY(db);
        WebhookService service((*db)->connection());
        for (int i = 0; i < 5; ++i) {
            auto d = draft();
            if (i == 0) {
                d.scheme = Scheme::HmacHex;
                d.secret = u"It's a Secret to Everybody"_s;
            }
            auto w = service.create(d);
            QVERIFY2(w, w ? "" : qPrintable(w.error().message));
            issued << w->secret;
            for (int r = 0; r < 3; ++r) {
                auto rotated = service.rotateSecret(w->id, 3600);
                QVERIFY(rotated);
                issued << rotated->secret;
            }
        }
        QVERIFY((*db)->rekey());
        // Scanned while open (the WAL holds the newest pages) and after.
        const auto bytes = allBytes(path());
        for (const auto &s : std::as_const(issued)) {
            QVERIFY2(!bytes.contains(s.toUtf8()), qPrintable(Secret::mask(s)));
            QVERIFY(!bytes.contains(QByteArray(reinterpret_cast<const char *>(s.utf16()), s.size() * 2)));
        }
        (*db)->releaseThreadConnection();
    }
    const auto bytes = allBytes(path());
    for (const auto &s : std::as_const(issued))
        QVERIFY2(!bytes.contains(s.toUtf8()), qPrintable(Secret::mask(s)));
}

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
