// The master key in the desktop's keychain (QtKeychain against a throw-away
// GNOME Keyring in a private D-Bus session: tests/keychain/with_keyring.sh):
// a new database's key goes there and no key file is written, the key opens
// the secrets from the next process too, rekey replaces it in place, and a
// session without the keychain is told where the key was looked for.
#include "SystemKeychain.h"

#include "service/Installation.h"
#include "service/WebhookService.h"
#include "signing/SecretBox.h"
#include "store/MasterKey.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hookline;
using namespace Qt::StringLiterals;

class TestKeychain final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void newKeyGoesToTheKeychain();
    void rekeyInTheKeychain();
    void withoutTheKeychainTheErrorSaysWhere();

private:
    QString path() const { return m_dir.filePath(u"hookline.db"_s); }
    QTemporaryDir m_dir;
    std::shared_ptr<SystemKeychain> m_keychain;
};

void TestKeychain::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString why;
    m_keychain = SystemKeychain::probe(&why);
    if (!m_keychain)
        QSKIP(qPrintable(u"no keychain answers here: "_s + why));
}

void TestKeychain::cleanup()
{
    Installation::setKeychain(nullptr);
}

void TestKeychain::newKeyGoesToTheKeychain()
{
    Installation::setKeychain(m_keychain);
    QString secret;
    QString id;
    {
        auto db = Installation::open(path());
        QVERIFY2(db, db ? "" : qPrintable(db.error().message));
        QCOMPARE((*db)->keyInfo().source, u"the system keychain"_s);
        auto w = WebhookService((*db)->connection()).create([] {
            Webhook d;
            d.name = u"K"_s;
            d.url = u"https://hooks.example.com/k"_s;
            d.events = {u"*"_s};
            return d;
        }());
        QVERIFY(w);
        secret = w->secret;
        id = w->id;
        // The key is in the keychain, under the database's entry, and nowhere on disk.
        auto stored = m_keychain->read(MasterKey::account(path()));
        QVERIFY(stored && *stored);
        QCOMPARE(SecretBox::fromKey(QByteArray::fromBase64(**stored))->fingerprint(), (*db)->keyInfo().fingerprint);
        QVERIFY(!QFile::exists(path() + u".key"_s));
        (*db)->releaseThreadConnection();
    }
    auto again = Installation::open(path());
    QVERIFY2(again, again ? "" : qPrintable(again.error().message));
    QCOMPARE(WebhookService((*again)->connection()).get(id)->secret, secret);
    (*again)->releaseThreadConnection();
}

void TestKeychain::rekeyInTheKeychain()
{
    Installation::setKeychain(m_keychain);
    auto db = Installation::open(path());
    QVERIFY2(db, db ? "" : qPrintable(db.error().message));
    const auto before = (*db)->keyInfo().fingerprint;
    auto done = (*db)->rekey();
    QVERIFY2(done, done ? "" : qPrintable(done.error().message));
    QVERIFY(done->fingerprint != before);
    auto stored = m_keychain->read(MasterKey::account(path()));
    QVERIFY(stored && *stored);
    QCOMPARE(SecretBox::fromKey(QByteArray::fromBase64(**stored))->fingerprint(), done->fingerprint);
    auto staged = m_keychain->read(MasterKey::account(path()) + u".new"_s);
    QVERIFY(staged && !*staged);
    (*db)->releaseThreadConnection();
}

void TestKeychain::withoutTheKeychainTheErrorSaysWhere()
{
    auto db = Installation::open(path()); // no keychain installed: a CLI on a server
    QVERIFY(!db);
    QVERIFY2(db.error().message.contains(u"the system keychain (none in this session)"_s)
                 && db.error().message.contains(u"HOOKLINE_MASTER_KEY (not set)"_s),
             qPrintable(db.error().message));
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
