// API keys of the REST API: "hlk_" + 43 base64url characters, shown once and
// stored only as a SHA-256; a presented key authenticates until revoked; a
// key belongs to an existing tenant or is an admin key; making and revoking
// are audited without the key's text.
#include "ManualClock.h"

#include "service/ApiKeyService.h"
#include "service/AuditLog.h"
#include "service/Installation.h"
#include "service/TenantService.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hookline;
using namespace Qt::StringLiterals;

class TestApiKeys final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void createdKeyAuthenticates();
    void onlyTheHashIsStored();
    void wrongOrRevokedKeysDoNot_data();
    void wrongOrRevokedKeysDoNot();
    void tenantRules_data();
    void tenantRules();
    void auditedWithoutTheKey();

private:
    QSqlDatabase conn() const { return m_db->connection(); }
    std::unique_ptr<test::ManualClock> m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<Installation> m_db;
};

void TestApiKeys::init()
{
    m_clock = std::make_unique<test::ManualClock>();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto db = Installation::open(m_dir->filePath(u"keys.db"_s));
    QVERIFY2(db, db ? "" : qPrintable(db.error().message));
    m_db = *db;
    QVERIFY(TenantService(conn()).create(u"acme"_s, u"PRO"_s));
}

void TestApiKeys::cleanup()
{
    m_db.reset();
    m_dir.reset();
    m_clock.reset();
}

void TestApiKeys::createdKeyAuthenticates()
{
    ApiKeyService keys(conn());
    auto made = keys.create(u"acme"_s, u"CRM"_s, false);
    QVERIFY2(made, made ? "" : qPrintable(made.error().message));
    static const QRegularExpression shape(u"^hlk_[A-Za-z0-9_-]{43}$"_s);
    QVERIFY2(shape.match(made->text).hasMatch(), qPrintable(made->text));
    QVERIFY(made->key.id.startsWith(u"key_"_s));
    QCOMPARE(made->key.hint, made->text.left(8) + u"…"_s);
    auto who = keys.authenticate(made->text);
    QVERIFY(who && *who);
    QCOMPARE((*who)->id, made->key.id);
    QCOMPARE((*who)->tenantId, u"acme"_s);
    QVERIFY(!(*who)->admin);
    // Two keys never alike.
    auto other = keys.create(u"acme"_s, {}, false);
    QVERIFY(other && other->text != made->text);
    QCOMPARE(keys.list()->size(), 2);
}

void TestApiKeys::onlyTheHashIsStored()
{
    auto made = ApiKeyService(conn()).create(u"acme"_s, u"CRM"_s, false);
    QVERIFY(made);
    QSqlQuery q(conn());
    QVERIFY(q.exec(u"SELECT id || tenant_id || name || prefix || key_hash FROM api_keys"_s));
    QVERIFY(q.next());
    QVERIFY(!q.value(0).toString().contains(made->text));
    QVERIFY(!q.value(0).toString().contains(made->text.mid(8)));
    m_db->releaseThreadConnection();
    const auto path = m_dir->filePath(u"keys.db"_s);
    for (const auto &f : {path, QString(path + u"-wal"_s)}) {
        QFile file(f);
        if (file.open(QIODevice::ReadOnly))
            QVERIFY2(!file.readAll().contains(made->text.toUtf8()), qPrintable(f));
    }
}

void TestApiKeys::wrongOrRevokedKeysDoNot_data()
{
    QTest::addColumn<int>("what");
    QTest::newRow("revoked") << 0;
    QTest::newRow("one character changed") << 1;
    QTest::newRow("no prefix") << 2;
    QTest::newRow("empty") << 3;
    QTest::newRow("very long") << 4;
}

void TestApiKeys::wrongOrRevokedKeysDoNot()
{
    QFETCH(int, what);
    ApiKeyService keys(conn());
    auto made = keys.create(u"acme"_s, {}, false);
    QVERIFY(made);
    QString presented = made->text;
    switch (what) {
    case 0:
        QVERIFY(keys.revoke(made->key.id));
        QVERIFY(keys.revoke(made->key.id)); // twice: nothing more happens
        QVERIFY(keys.list()->first().isRevoked());
        break;
    case 1: presented[20] = presented[20] == u'A' ? u'B' : u'A'; break;
    case 2: presented = presented.mid(4); break;
    case 3: presented.clear(); break;
    case 4: presented += QString(500, u'x'); break;
    }
    auto who = keys.authenticate(presented);
    QVERIFY(who);
    QVERIFY(!*who);
}

void TestApiKeys::tenantRules_data()
{
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<bool>("admin");
    QTest::addColumn<QString>("refusal"); // empty: made
    QTest::newRow("a tenant's key") << u"acme"_s << false << QString();
    QTest::newRow("an admin key") << QString() << true << QString();
    QTest::newRow("no such tenant") << u"nobody"_s << false << u"no tenant \"nobody\""_s;
    QTest::newRow("no tenant, not admin") << QString() << false << u"tenant: is required"_s;
    QTest::newRow("admin with a tenant") << u"acme"_s << true << u"an admin key is for every tenant"_s;
}

void TestApiKeys::tenantRules()
{
    QFETCH(QString, tenant);
    QFETCH(bool, admin);
    QFETCH(QString, refusal);
    ApiKeyService keys(conn());
    auto made = keys.create(tenant, {}, admin);
    if (refusal.isEmpty()) {
        QVERIFY2(made, made ? "" : qPrintable(made.error().message));
        QCOMPARE((*keys.authenticate(made->text))->admin, admin);
        return;
    }
    QVERIFY(!made);
    QVERIFY2(made.error().message.contains(refusal), qPrintable(made.error().message));
    QVERIFY(keys.list()->isEmpty());
}

void TestApiKeys::auditedWithoutTheKey()
{
    ApiKeyService keys(conn());
    auto made = keys.create(u"acme"_s, u"CRM"_s, false);
    QVERIFY(made);
    QVERIFY(keys.revoke(made->key.id));
    AuditFilter f;
    f.objectId = made->key.id;
    auto rows = AuditLog(conn()).list(f);
    QVERIFY(rows);
    QCOMPARE(rows->size(), 2);
    QCOMPARE(rows->at(0).action, u"apikey.revoked"_s);
    QCOMPARE(rows->at(1).action, u"apikey.created"_s);
    QSqlQuery q(conn());
    QVERIFY(q.exec(u"SELECT changes FROM audit_log"_s));
    while (q.next())
        QVERIFY(!q.value(0).toString().contains(made->text));
}

QTEST_GUILESS_MAIN(TestApiKeys)
#include "tst_apikeys.moc"
