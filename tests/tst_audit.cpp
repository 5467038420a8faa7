// The audit log: every administrative action of the services leaves one row
// (who, when, what, old and new values), written in the same transaction as
// the change (a refused change leaves none), never holding a secret, kept
// within the installation's retention per object.
#include "ManualClock.h"

#include "model/EventType.h"
#include "service/AuditLog.h"
#include "service/CatalogService.h"
#include "service/DeliveryService.h"
#include "service/Installation.h"
#include "service/Settings.h"
#include "service/TenantService.h"
#include "service/WebhookService.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {
Webhook draft()
{
    Webhook w;
    w.name = u"Audited"_s;
    w.url = u"https://hooks.example.com/a"_s;
    w.events = {u"*"_s};
    return w;
}
} // namespace

class TestAudit final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void everyActionLeavesARow();
    void refusedChangeLeavesNoRow();
    void noSecretInTheLog();
    void keptWithinRetention();
    void filters();

private:
    QList<AuditEntry> entries(const AuditFilter &filter = {}) const
    {
        auto list = AuditLog(m_db->connection()).list(filter);
        return list ? *list : QList<AuditEntry>{};
    }
    QStringList actions(const QString &objectId = {}) const
    {
        AuditFilter f;
        f.objectId = objectId;
        f.limit = 1000;
        QStringList out;
        for (const auto &e : entries(f))
            out.prepend(e.action); // oldest first
        return out;
    }

    std::unique_ptr<test::ManualClock> m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<Installation> m_db;
};

void TestAudit::init()
{
    m_clock = std::make_unique<test::ManualClock>();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto db = Installation::open(m_dir->filePath(u"audit.db"_s));
    QVERIFY2(db, db ? "" : qPrintable(db.error().message));
    m_db = *db;
    AuditLog::setChannel(u"test"_s);
}

void TestAudit::cleanup()
{
    m_db.reset();
    m_dir.reset();
    m_clock.reset();
}

void TestAudit::everyActionLeavesARow()
{
    auto conn = m_db->connection();
    WebhookService webhooks(conn);
    QVERIFY(actions().isEmpty()); // a new database's catalogs are not an administrator's import
    auto w = webhooks.create(draft());
    QVERIFY(w);
    auto changed = *w;
    changed.name = u"Renamed"_s;
    changed.url = u"https://hooks.example.com/b"_s;
    QVERIFY(webhooks.update(changed));
    changed.active = false;
    QVERIFY(webhooks.update(changed));
    changed.active = true;
    QVERIFY(webhooks.update(changed));
    QVERIFY(webhooks.update(changed)); // nothing changed: nothing recorded
    QVERIFY(webhooks.rotateSecret(w->id, 60));
    QVERIFY(AuditLog(conn).recordSecretAccess(w->id, false));
    QVERIFY(AuditLog(conn).recordSecretAccess(w->id, true));
    QCOMPARE(actions(w->id), (QStringList{u"webhook.created"_s, u"webhook.updated"_s, u"webhook.deactivated"_s, u"webhook.activated"_s,
                                          u"secret.rotated"_s, u"secret.revealed"_s, u"secret.copied"_s}));

    // The update names each changed field with its old and new value.
    AuditFilter f;
    f.objectId = w->id;
    const auto rows = entries(f);
    const auto update = std::find_if(rows.cbegin(), rows.cend(), [](const AuditEntry &e) { return e.action == u"webhook.updated"; });
    QVERIFY(update != rows.cend());
    QCOMPARE(update->changes.keys(), (QStringList{u"name"_s, u"url"_s}));
    QCOMPARE(update->changes[u"name"_s][u"old"_s].toString(), u"Audited"_s);
    QCOMPARE(update->changes[u"name"_s][u"new"_s].toString(), u"Renamed"_s);
    QCOMPARE(update->actor, AuditLog::actor());
    QVERIFY(update->actor.endsWith(u" (test)"_s));
    QCOMPARE(update->at, Clock::now());

    QVERIFY(Settings(conn).setValue(QString::fromLatin1(Settings::kRetention), u"50"_s));
    QVERIFY(Settings(conn).setValue(QString::fromLatin1(Settings::kRetention), u"50"_s)); // unchanged: no row
    QVERIFY(Settings(conn).setValues({{QString::fromLatin1(Settings::kHeaderPrefix), u"X-Acme"_s}}));
    QVERIFY(Settings(conn).reset(QString::fromLatin1(Settings::kHeaderPrefix)));
    QCOMPARE(actions(QString::fromLatin1(Settings::kRetention)), QStringList{u"settings.changed"_s});
    QCOMPARE(actions(QString::fromLatin1(Settings::kHeaderPrefix)), (QStringList{u"settings.changed"_s, u"settings.changed"_s}));

    QVERIFY(TenantService(conn).create(u"acme"_s, u"PRO"_s));
    QVERIFY(TenantService(conn).setPlan(u"acme"_s, u"SCALE"_s));
    QCOMPARE(actions(u"acme"_s), (QStringList{u"tenant.created"_s, u"tenant.plan-changed"_s}));

    EventType t;
    t.name = u"audit.checked"_s;
    t.group = u"audit"_s;
    t.catalog = u"custom"_s;
    t.samplePayload = QByteArrayLiteral(R"({"ok":true})");
    const auto imported = CatalogService(conn).import({t});
    QVERIFY2(imported, imported ? "" : qPrintable(imported.error().message));
    QCOMPARE(actions(u"catalog"_s), QStringList{u"event-types.imported"_s});

    QVERIFY(DeliveryService(conn).replay({w->id, std::nullopt, {}}));
    QVERIFY(actions(w->id).contains(u"deliveries.replayed"_s));

    QVERIFY(webhooks.remove(w->id));
    QCOMPARE(actions(w->id).last(), u"webhook.deleted"_s);
}

void TestAudit::refusedChangeLeavesNoRow()
{
    auto conn = m_db->connection();
    WebhookService webhooks(conn);
    auto w = webhooks.create(draft());
    QVERIFY(w);
    const auto before = actions().size();
    auto bad = *w;
    bad.url = u"ftp://nowhere"_s;
    QVERIFY(!webhooks.update(bad));
    QVERIFY(!Settings(conn).setValue(QString::fromLatin1(Settings::kRetention), u"-3"_s));
    QVERIFY(!TenantService(conn).create(u"not a tenant id!"_s, u"FREE"_s));
    QVERIFY(!webhooks.rotateSecret(w->id, -1));
    QCOMPARE(actions().size(), before);
    // A failure after the change was written rolls both back: the audit row
    // rides in the change's transaction.
    QSqlQuery q(conn);
    QVERIFY(q.exec(u"CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END"_s));
    auto renamed = *w;
    renamed.name = u"Never"_s;
    QVERIFY(!webhooks.update(renamed));
    QCOMPARE(webhooks.get(w->id)->name, w->name);
    QVERIFY(!Settings(conn).setValue(QString::fromLatin1(Settings::kRetention), u"7"_s));
    QCOMPARE(Settings(conn).retention(), 100);
}

void TestAudit::noSecretInTheLog()
{
    auto conn = m_db->connection();
    WebhookService webhooks(conn);
    auto d = draft();
    d.scheme = Scheme::HmacHex;
    d.secret = u"It's a Secret to Everybody"_s;
    auto w = webhooks.create(d);
    QVERIFY(w);
    QStringList secrets{w->secret};
    for (int i = 0; i < 3; ++i) {
        auto r = webhooks.rotateSecret(w->id, 3600);
        QVERIFY(r);
        secrets << r->secret;
    }
    QVERIFY(AuditLog(conn).recordSecretAccess(w->id, true));
    QSqlQuery q(conn);
    QVERIFY(q.exec(u"SELECT actor || action || object_id || changes FROM audit_log"_s));
    int rows = 0;
    while (q.next()) {
        ++rows;
        for (const auto &s : std::as_const(secrets))
            QVERIFY2(!q.value(0).toString().contains(s), qPrintable(q.value(0).toString()));
    }
    QCOMPARE(rows, 5);
}

void TestAudit::keptWithinRetention()
{
    auto conn = m_db->connection();
    QVERIFY(Settings(conn).setValue(QString::fromLatin1(Settings::kRetention), u"5"_s));
    WebhookService webhooks(conn);
    auto w = webhooks.create(draft());
    QVERIFY(w);
    for (int i = 0; i < 12; ++i) {
        m_clock->advance(1000);
        QVERIFY(AuditLog(conn).recordSecretAccess(w->id, i % 2));
    }
    AuditFilter f;
    f.objectId = w->id;
    const auto kept = entries(f);
    QCOMPARE(kept.size(), 5);
    QCOMPARE(kept.first().at, Clock::now()); // the newest ones
}

void TestAudit::filters()
{
    auto conn = m_db->connection();
    WebhookService webhooks(conn);
    auto a = webhooks.create(draft());
    m_clock->advance(60'000);
    const auto later = Clock::now();
    auto b = webhooks.create(draft());
    QVERIFY(a && b);
    AuditFilter since;
    since.since = later;
    QCOMPARE(entries(since).size(), 1);
    QCOMPARE(entries(since).first().objectId, b->id);
    AuditFilter one;
    one.limit = 1;
    QCOMPARE(entries(one).size(), 1);
}

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
