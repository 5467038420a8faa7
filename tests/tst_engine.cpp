// The delivery engine end to end (core/engine/DeliveryEngine, QueueKeeper, DeliveryWorker,
// RequestBuilder, HostGuard, OutcomeRules, Transformer; core/store/DeliveryQueue),
// run in-process against TestReceiver on 127.0.0.1. Retry delays are cut to
// tens of milliseconds so that every case takes well under a few seconds.

#include "TestLocation.h"
#include "TestReceiver.h"

#include "engine/DeliveryEngine.h"
#include "util/Log.h"
#include "model/EventType.h"
#include "service/CatalogService.h"
#include "service/EventService.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "signing/Verifier.h"
#include "store/Database.h"
#include "store/DeliveryQueue.h"
#include "store/DeliveryStore.h"
#include "store/EventStore.h"
#include "store/Sql.h"

#include <QElapsedTimer>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace hookline;
using namespace Qt::StringLiterals;
using hookline::test::ReceivedRequest;
using hookline::test::ScriptedReply;
using hookline::test::TestReceiver;

Q_DECLARE_METATYPE(hookline::Scheme)

namespace {

EngineOptions fastOptions()
{
    EngineOptions o;
    o.workers = 2;
    o.concurrency = 4;
    o.flushIntervalMs = 5;
    o.idlePollMs = 100;
    o.drainTimeoutMs = 1000;
    o.pruneIntervalMs = 200; // retention rounds within the test's patience (30 s in production)
    o.settingsRefreshMs = 100;
    return o;
}

EngineOptions serialOptions()
{
    auto o = fastOptions();
    o.workers = 1;
    o.concurrency = 1;
    return o;
}

// One database in a temporary folder, the event catalog the tests use, and
// the installation settings that let webhooks point at 127.0.0.1.
class Fixture {
public:
    Fixture()
    {
        auto opened = Database::open(test::databaseLocation(m_dir));
        if (!opened) {
            qWarning() << "cannot open the database:" << opened.error().message;
            return;
        }
        db = *opened;
        setting("allowInsecureUrls", "true");
        setting("allowPrivateAddresses", "true");
        CatalogService catalog(db->connection());
        for (const auto *name : {"lead.created", "lead.updated", "deal.won"}) {
            EventType t;
            t.name = QString::fromLatin1(name);
            t.group = EventType::groupOf(t.name);
            t.description = QStringLiteral("test type");
            t.samplePayload = QByteArrayLiteral("{}");
            t.catalog = QStringLiteral("custom");
            if (auto s = catalog.save(t); !s)
                qWarning() << "cannot add" << name << s.error().message;
        }
    }
    ~Fixture()
    {
        engine.reset(); // stops and joins the workers before the database goes
    }

    bool ok() const { return db != nullptr; }
    QSqlDatabase conn() const { return db->connection(); }

    bool setting(const char *key, const char *value)
    {
        auto s = Settings(conn()).setValue(QString::fromLatin1(key), QString::fromLatin1(value));
        if (!s)
            qWarning() << "setting" << key << s.error().message;
        return s.ok();
    }

    static Webhook draft(const QString &url, Scheme scheme = Scheme::Standard)
    {
        Webhook w;
        w.url = url;
        w.name = QStringLiteral("test");
        w.events = {QStringLiteral("lead.*")};
        w.scheme = scheme;
        w.retry.maxRetries = 3;
        w.retry.retryDelaySeconds = 0.05;
        w.retry.backoff = BackoffStrategy::Fixed;
        return w;
    }

    Result<Webhook> create(const Webhook &w) { return WebhookService(conn()).create(w); }

    Webhook webhook(const QString &id) const
    {
        auto w = WebhookService(conn()).get(id);
        return w ? *w : Webhook{};
    }

    // Emits one event; returns its id (empty on failure, with a warning).
    QString emitEvent(const QString &type = QStringLiteral("lead.created"), const QByteArray &data = QByteArrayLiteral(R"({"name":"Ada","n":1})"))
    {
        auto e = EventService(conn()).emitEvent(QStringLiteral("default"), type, data);
        if (!e) {
            qWarning() << "emit:" << e.error().message;
            return {};
        }
        if (engine)
            engine->wake();
        return e->eventId;
    }

    QString deliveryId(const QString &eventId, const QString &webhookId) const
    {
        QSqlQuery q(conn());
        q.prepare(QStringLiteral("SELECT id FROM deliveries WHERE event_id = ? AND webhook_id = ?"));
        q.addBindValue(eventId);
        q.addBindValue(webhookId);
        if (!q.exec() || !q.next())
            return {};
        return q.value(0).toString();
    }

    QByteArray eventBody(const QString &eventId) const
    {
        auto e = EventStore(conn()).find(eventId);
        return e && *e ? (*e)->body : QByteArray();
    }

    std::optional<Delivery> delivery(const QString &id) const
    {
        auto d = DeliveryStore(conn()).find(id);
        return d ? *d : std::nullopt;
    }

    DeliveryStatus status(const QString &id) const
    {
        const auto d = delivery(id);
        return d ? d->status : DeliveryStatus::Pending;
    }

    bool isFinished(const QString &id) const
    {
        const auto d = delivery(id);
        return d && isFinal(d->status);
    }

    QList<Attempt> attempts(const QString &id) const
    {
        auto a = DeliveryStore(conn()).attempts(id);
        return a ? *a : QList<Attempt>();
    }

    int scalar(const QString &sql, const QVariantList &values = {}) const
    {
        QSqlQuery q(conn());
        q.prepare(sql);
        for (const auto &v : values)
            q.addBindValue(v);
        if (!q.exec() || !q.next()) {
            qWarning() << "query failed:" << sql << q.lastError().text();
            return -1;
        }
        return q.value(0).toInt();
    }

    DeliveryEngine &start(EngineOptions options = fastOptions())
    {
        engine = std::make_unique<DeliveryEngine>(db, options);
        QObject::connect(engine.get(), &DeliveryEngine::failure, [](const QString &m) { qWarning() << "engine failure:" << m; });
        engine->start();
        return *engine;
    }

    std::shared_ptr<Database> db;
    std::unique_ptr<DeliveryEngine> engine;

private:
    QTemporaryDir m_dir;
};

QString lastError(const Result<Webhook> &r)
{
    return r ? QString() : r.error().message;
}

// Milliseconds between two recorded requests.
qint64 gapMs(const TestReceiver &r, int from, int to)
{
    return r.request(to).receivedAtMs - r.request(from).receivedAtMs;
}

QString imfDate(const QDateTime &utc)
{
    return QLocale::c().toString(utc.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
}

} // namespace

#define REQUIRE_WEBHOOK(var, expr)                                                   \
    const auto var##Result = (expr);                                                 \
    QVERIFY2(var##Result.ok(), qPrintable(lastError(var##Result)));                  \
    const Webhook var = *var##Result

class TestEngine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void wireContract_data();
    void wireContract();
    void headerPrefix();
    void deliveryIdStableAcrossRetries();
    void rotation_data();
    void rotation();

    void outcomes_data();
    void outcomes();
    void redirectsNotFollowed_data();
    void redirectsNotFollowed();
    void goneDeactivates();

    void retryAfterSeconds();
    void retryAfterHttpDate();
    void timeoutWhenReceiverHangs();
    void timeoutWhenReceiverTrickles();
    void connectionRefused();
    void connectionClosedWithoutAnswer();

    void autoDisable();
    void autoDisableStopsQueuedDeliveriesAtOnce();
    void successResetsFailureCount();

    void schedule();
    void jitter();

    void responseStored();
    void oversizedResponseAborted();

    void transformation();
    void transformationTimeLimit();
    void transformationOversized();

    void ssrfRefusedAtDelivery_data();
    void ssrfRefusedAtDelivery();
    void ssrfRefusedAtCreation_data();
    void ssrfRefusedAtCreation();
    void insecureUrlRefused();

    void retention_data();
    void retention();
    void replay();
    void replayRestartsRetries();
    void testPing();
    void stopHandsBack();
    void pauseHandsBackClaimedAhead();
    void logsDecisionsButNoSecret();
    void settingsChangesReachRunningEngine();
};

void TestEngine::initTestCase()
{
    qRegisterMetaType<hookline::Scheme>();
}

// ---------------------------------------------------------------------------
// Wire contract

void TestEngine::wireContract_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::newRow("standard") << Scheme::Standard;
    QTest::newRow("hmac-hex") << Scheme::HmacHex;
    QTest::newRow("hmac-base64") << Scheme::HmacBase64;
    QTest::newRow("timestamped") << Scheme::Timestamped;
    QTest::newRow("github") << Scheme::Github;
    QTest::newRow("stripe") << Scheme::Stripe;
}

void TestEngine::wireContract()
{
    QFETCH(Scheme, scheme);
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url(QStringLiteral("/hooks/wire?src=hookline")), scheme);
    d.headers = {{QStringLiteral("X-Custom-One"), QStringLiteral("1")}, {QStringLiteral("Authorization"), QStringLiteral("Bearer abc")}};
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto eventId = f.emitEvent(QStringLiteral("lead.created"), QByteArrayLiteral(R"({"name":"Zoë","amount":12.50,"tags":["a"]})"));
    QVERIFY(!eventId.isEmpty());
    const auto id = f.deliveryId(eventId, w.id);
    QVERIFY(!id.isEmpty());
    const auto before = QDateTime::currentSecsSinceEpoch();
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(receiver.count(), 1);

    const auto r = receiver.request(0);
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.path, QByteArray("/hooks/wire?src=hookline"));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(r.header("User-Agent"), QByteArray("Hookline-Webhooks/" HOOKLINE_VERSION));
    QCOMPARE(r.header("X-Webhook-Event"), QByteArray("lead.created"));
    QCOMPARE(r.header("X-Webhook-Id"), w.id.toUtf8());
    QCOMPARE(r.header("X-Webhook-Delivery-Id"), id.toUtf8());
    bool numeric = false;
    const qint64 ts = r.header("X-Webhook-Timestamp").toLongLong(&numeric);
    QVERIFY(numeric);
    QVERIFY(ts >= before - 1 && ts <= QDateTime::currentSecsSinceEpoch() + 1);

    // The body is the stored canonical envelope, byte for byte.
    const auto body = f.eventBody(eventId);
    QVERIFY(!body.isEmpty());
    QCOMPARE(r.body, body);
    QCOMPARE(r.header("Content-Length"), QByteArray::number(body.size()));
    QVERIFY(body.startsWith(QByteArray("{\"id\":\"" + eventId.toUtf8() + "\",\"event\":\"lead.created\",\"timestamp\":\"")));
    QVERIFY(body.endsWith(",\"data\":{\"name\":\"Zoë\",\"amount\":12.5,\"tags\":[\"a\"]}}"));

    // The signature verifies with the receiving side's code, scheme pinned.
    VerifyRequest vr;
    vr.headers = r.headers;
    vr.body = r.body;
    vr.scheme = scheme;
    const auto verdict = Verifier::verify(w.secret, vr);
    QVERIFY2(verdict.valid, qPrintable(verdict.reason));
    // ... and not with another secret.
    QVERIFY(!Verifier::verify(QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), vr).valid);

    // Custom headers are there, after every header of ours.
    QCOMPARE(r.header("X-Custom-One"), QByteArray("1"));
    QCOMPARE(r.header("Authorization"), QByteArray("Bearer abc"));
    const auto firstCustom = std::min(r.headerIndex("X-Custom-One"), r.headerIndex("Authorization"));
    QList<QByteArray> ours{"Content-Type", "User-Agent", "X-Webhook-Event", "X-Webhook-Id", "X-Webhook-Delivery-Id", "X-Webhook-Timestamp"};
    switch (scheme) {
    case Scheme::Standard: ours << "webhook-id" << "webhook-timestamp" << "webhook-signature"; break;
    case Scheme::HmacHex:
    case Scheme::HmacBase64:
    case Scheme::Timestamped: ours << "X-Webhook-Signature"; break;
    case Scheme::Github: ours << "X-Hub-Signature-256"; break;
    case Scheme::Stripe: ours << "Stripe-Signature"; break;
    }
    for (const auto &name : ours) {
        const auto i = r.headerIndex(name);
        QVERIFY2(i >= 0, name.constData());
        QVERIFY2(i < firstCustom, qPrintable(QStringLiteral("%1 comes after a custom header").arg(QString::fromLatin1(name))));
    }
    // <P>-Timestamp once, even for the timestamped scheme that names it too.
    int timestamps = 0;
    for (const auto &[name, value] : r.headers)
        timestamps += name.compare("X-Webhook-Timestamp", Qt::CaseInsensitive) == 0 ? 1 : 0;
    QCOMPARE(timestamps, 1);

    // The attempt records the headers as sent.
    const auto attempts = f.attempts(id);
    QCOMPARE(attempts.size(), 1);
    const auto sent = QJsonDocument::fromJson(attempts[0].requestHeaders).array();
    QVERIFY(!sent.isEmpty());
    bool sawDeliveryId = false;
    for (const auto &pair : sent)
        sawDeliveryId = sawDeliveryId || (pair.toArray().at(0).toString() == u"X-Webhook-Delivery-Id" && pair.toArray().at(1).toString() == id);
    QVERIFY(sawDeliveryId);
    QVERIFY(attempts[0].requestBody.isEmpty()); // the event's body: not stored twice
}

void TestEngine::headerPrefix()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Fixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting("headerPrefix", "X-FinSight"));
    REQUIRE_WEBHOOK(hex, f.create(Fixture::draft(receiver.url(QStringLiteral("/hex")), Scheme::HmacHex)));
    REQUIRE_WEBHOOK(stamped, f.create(Fixture::draft(receiver.url(QStringLiteral("/ts")), Scheme::Timestamped)));
    const auto eventId = f.emitEvent();
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(f.deliveryId(eventId, hex.id)) && f.isFinished(f.deliveryId(eventId, stamped.id)), 5000);
    QCOMPARE(receiver.count(), 2);
    for (const auto &r : receiver.requests()) {
        const bool isHex = r.path == "/hex";
        QCOMPARE(r.header("X-FinSight-Event"), QByteArray("lead.created"));
        QCOMPARE(r.header("X-FinSight-Id"), (isHex ? hex.id : stamped.id).toUtf8());
        QCOMPARE(r.header("X-FinSight-Delivery-Id"), f.deliveryId(eventId, isHex ? hex.id : stamped.id).toUtf8());
        QVERIFY(!r.header("X-FinSight-Timestamp").isEmpty());
        QVERIFY(!r.header("X-FinSight-Signature").isEmpty());
        for (const auto &[name, value] : r.headers)
            QVERIFY2(!name.startsWith("X-Webhook"), name.constData());
        if (!isHex)
            QVERIFY(r.header("X-FinSight-Signature").startsWith("sha256="));
        VerifyRequest vr;
        vr.headers = r.headers;
        vr.body = r.body;
        vr.scheme = isHex ? Scheme::HmacHex : Scheme::Timestamped;
        vr.headerPrefix = "X-FinSight";
        const auto v = Verifier::verify(isHex ? hex.secret : stamped.secret, vr);
        QVERIFY2(v.valid, qPrintable(v.reason));
    }
}

void TestEngine::deliveryIdStableAcrossRetries()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setScript({ScriptedReply::ok(500), ScriptedReply::ok(503)});
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    const auto eventId = f.emitEvent();
    const auto id = f.deliveryId(eventId, w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(receiver.count(), 3);
    for (const auto &r : receiver.requests()) {
        QCOMPARE(r.header("X-Webhook-Delivery-Id"), id.toUtf8());
        QCOMPARE(r.header("webhook-id"), id.toUtf8());
        QCOMPARE(r.body, f.eventBody(eventId));
        VerifyRequest vr;
        vr.headers = r.headers;
        vr.body = r.body;
        vr.scheme = Scheme::Standard;
        QVERIFY(Verifier::verify(w.secret, vr).valid);
    }
    const auto attempts = f.attempts(id);
    QCOMPARE(attempts.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(attempts[i].number, i + 1);
}

void TestEngine::rotation_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<int>("signatures");     // entries in the signature header
    QTest::addColumn<bool>("oldVerifies");
    QTest::newRow("standard: both sign") << Scheme::Standard << 2 << true;
    QTest::newRow("stripe: both sign") << Scheme::Stripe << 2 << true;
    QTest::newRow("github: only the new one") << Scheme::Github << 1 << false;
    QTest::newRow("hmac-hex: only the new one") << Scheme::HmacHex << 1 << false;
}

void TestEngine::rotation()
{
    QFETCH(Scheme, scheme);
    QFETCH(int, signatures);
    QFETCH(bool, oldVerifies);
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url(), scheme)));
    const auto oldSecret = w.secret;
    auto rotated = WebhookService(f.conn()).rotateSecret(w.id, 3600);
    QVERIFY(rotated);
    const auto newSecret = rotated->secret;
    QVERIFY(newSecret != oldSecret);
    QCOMPARE(f.webhook(w.id).secret, newSecret);

    const auto eventId = f.emitEvent();
    const auto id = f.deliveryId(eventId, w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QCOMPARE(receiver.count(), 1);
    const auto r = receiver.request(0);
    switch (scheme) {
    case Scheme::Standard: {
        const auto entries = r.header("webhook-signature").split(' ');
        QCOMPARE(entries.size(), signatures);
        for (const auto &e : entries)
            QVERIFY2(e.startsWith("v1,"), e.constData());
        break;
    }
    case Scheme::Stripe:
        QCOMPARE(r.header("Stripe-Signature").count(",v1="), signatures);
        QVERIFY(r.header("Stripe-Signature").startsWith("t="));
        break;
    case Scheme::Github:
        QVERIFY(r.header("X-Hub-Signature-256").startsWith("sha256="));
        QCOMPARE(r.header("X-Hub-Signature-256").count("sha256="), signatures);
        break;
    default:
        QCOMPARE(r.header("X-Webhook-Signature").count(' ') + 1, signatures);
        break;
    }
    VerifyRequest vr;
    vr.headers = r.headers;
    vr.body = r.body;
    vr.scheme = scheme;
    const auto withNew = Verifier::verify(newSecret, vr);
    QVERIFY2(withNew.valid, qPrintable(withNew.reason));
    const auto withOld = Verifier::verify(oldSecret, vr);
    QVERIFY2(withOld.valid == oldVerifies, qPrintable(withOld.reason));
}

// ---------------------------------------------------------------------------
// Outcome rules

void TestEngine::outcomes_data()
{
    QTest::addColumn<QList<int>>("statuses");   // the receiver's answers in order; the last one repeats
    QTest::addColumn<int>("maxRetries");
    QTest::addColumn<int>("finalStatus");       // DeliveryStatus
    QTest::addColumn<int>("attempts");

    const int ok = int(DeliveryStatus::Succeeded);
    const int failed = int(DeliveryStatus::Failed);
    QTest::newRow("200") << QList<int>{200} << 3 << ok << 1;
    QTest::newRow("201") << QList<int>{201} << 3 << ok << 1;
    QTest::newRow("204") << QList<int>{204} << 3 << ok << 1;
    QTest::newRow("500 then 200") << QList<int>{500, 200} << 3 << ok << 2;
    QTest::newRow("502 503 504 then 200") << QList<int>{502, 503, 504, 200} << 3 << ok << 4;
    QTest::newRow("500 always, maxRetries 2") << QList<int>{500} << 2 << failed << 3;
    QTest::newRow("500 always, maxRetries 0") << QList<int>{500} << 0 << failed << 1;
    QTest::newRow("408 then 200") << QList<int>{408, 200} << 3 << ok << 2;
    QTest::newRow("429 then 200") << QList<int>{429, 200} << 3 << ok << 2;
    for (int s : {400, 401, 403, 404, 422})
        QTest::addRow("%d fails at once", s) << QList<int>{s, 200} << 3 << failed << 1;
    QTest::newRow("304 fails at once") << QList<int>{304, 200} << 3 << failed << 1;
}

void TestEngine::outcomes()
{
    QFETCH(QList<int>, statuses);
    QFETCH(int, maxRetries);
    QFETCH(int, finalStatus);
    QFETCH(int, attempts);
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    QList<ScriptedReply> script;
    for (int s : statuses)
        script << ScriptedReply::ok(s, "answer " + QByteArray::number(s));
    receiver.setDefaultReply(script.constLast());
    receiver.setScript(script);
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.retry.maxRetries = maxRetries;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto eventId = f.emitEvent();
    const auto id = f.deliveryId(eventId, w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QTest::qWait(300); // nothing more may arrive
    QCOMPARE(int(f.status(id)), finalStatus);
    QCOMPARE(receiver.count(), attempts);
    const auto delivery = f.delivery(id);
    QCOMPARE(delivery->attempts, attempts);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), attempts);
    for (int i = 0; i < attempts; ++i) {
        QCOMPARE(rows[i].number, i + 1);
        QCOMPARE(rows[i].responseStatus, std::optional<int>(statuses.value(i, statuses.constLast())));
        QCOMPARE(receiver.request(i).header("X-Webhook-Delivery-Id"), id.toUtf8());
        const bool success = *rows[i].responseStatus >= 200 && *rows[i].responseStatus < 300;
        QCOMPARE(rows[i].error.isEmpty(), success);
    }
    QCOMPARE(delivery->lastStatusCode, rows.constLast().responseStatus);
    // Only 410 deactivates.
    QVERIFY(f.webhook(w.id).active);
}

void TestEngine::redirectsNotFollowed_data()
{
    QTest::addColumn<int>("status");
    for (int s : {301, 302, 303, 307, 308})
        QTest::addRow("%d", s) << s;
}

void TestEngine::redirectsNotFollowed()
{
    QFETCH(int, status);
    TestReceiver receiver;
    TestReceiver elsewhere;
    QVERIFY(receiver.listen());
    QVERIFY(elsewhere.listen());
    receiver.setDefaultReply(ScriptedReply::withHeader(status, "Location", elsewhere.url(QStringLiteral("/stolen")).toUtf8()));
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QTest::qWait(300);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(receiver.count(), 1);
    QCOMPARE(elsewhere.count(), 0);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].responseStatus, std::optional<int>(status));
    QVERIFY2(rows[0].error.contains(QString::number(status)), qPrintable(rows[0].error));
    QVERIFY(rows[0].responseHeaders.contains("Location"));
}

void TestEngine::goneDeactivates()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setDefaultReply(ScriptedReply::ok(410, "gone"));
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    auto &engine = f.start();
    QSignalSpy deactivated(&engine, &DeliveryEngine::webhookDeactivated);
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(f.delivery(id)->attempts, 1);
    QCOMPARE(receiver.count(), 1);
    const auto after = f.webhook(w.id);
    QVERIFY(!after.active);
    QVERIFY(!after.disabledReason.isEmpty());
    QVERIFY2(after.disabledReason.contains(QStringLiteral("410")), qPrintable(after.disabledReason));
    QVERIFY(after.disabledAt.isValid());
    QTRY_COMPARE_WITH_TIMEOUT(deactivated.count(), 1, 2000);
    QCOMPARE(deactivated.at(0).at(0).toString(), w.id);
}

// ---------------------------------------------------------------------------
// Retry-After, timeouts, network errors

void TestEngine::retryAfterSeconds()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setScript({ScriptedReply::withHeader(503, "Retry-After", "1"), ScriptedReply::withHeader(429, "Retry-After", "0")});
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 6000);
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(receiver.count(), 3);
    // retryDelaySeconds is 0.05, but the receiver asked for one second.
    QVERIFY2(gapMs(receiver, 0, 1) >= 950, qPrintable(QStringLiteral("second request after %1 ms").arg(gapMs(receiver, 0, 1))));
    QVERIFY2(gapMs(receiver, 0, 1) < 3000, qPrintable(QStringLiteral("second request after %1 ms").arg(gapMs(receiver, 0, 1))));
    // Retry-After: 0 means now (not the 0.05 s policy, but either is quick).
    QVERIFY2(gapMs(receiver, 1, 2) < 1000, qPrintable(QStringLiteral("third request after %1 ms").arg(gapMs(receiver, 1, 2))));
}

void TestEngine::retryAfterHttpDate()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    // The date is computed when the first request arrives: ~2.5 s ahead, in
    // whole seconds, so between 1.5 and 2.5 s of waiting.
    receiver.setResponder([&receiver](const ReceivedRequest &r) {
        if (r.index == 0) {
            const auto when = QDateTime::currentDateTimeUtc().addMSecs(2500);
            return ScriptedReply::withHeader(503, "Retry-After", imfDate(when).toLatin1());
        }
        Q_UNUSED(receiver);
        return ScriptedReply::ok(200);
    });
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 6000);
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(receiver.count(), 2);
    const auto gap = gapMs(receiver, 0, 1);
    QVERIFY2(gap >= 1400 && gap < 4000,
             qPrintable(QStringLiteral("second request after %1 ms; Retry-After was an HTTP date ~2 s ahead (%2)")
                            .arg(gap).arg(QString::fromLatin1(f.attempts(id).value(0).responseHeaders))));
}

void TestEngine::timeoutWhenReceiverHangs()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setScript({ScriptedReply::hang()});
    Fixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting("requestTimeoutSeconds", "1"));
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    QElapsedTimer clock;
    clock.start();
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 6000);
    QVERIFY(clock.elapsed() < 5000);
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded); // retried after the time-out
    QCOMPARE(receiver.count(), 2);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 2);
    QVERIFY2(rows[0].error.contains(QStringLiteral("timed out")), qPrintable(rows[0].error));
    QVERIFY(!rows[0].responseStatus);
    QVERIFY2(rows[0].durationMs >= 900 && rows[0].durationMs <= 3000, qPrintable(QString::number(rows[0].durationMs)));
    QCOMPARE(rows[1].responseStatus, std::optional<int>(200));
}

void TestEngine::timeoutWhenReceiverTrickles()
{
    // Status line and headers at once, then one byte every 200 ms: Qt's
    // transfer (inactivity) timeout never fires; the total deadline must.
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setDefaultReply(ScriptedReply::trickle(QByteArray(50, 'x'), 200));
    Fixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting("requestTimeoutSeconds", "1"));
    auto d = Fixture::draft(receiver.url());
    d.retry.maxRetries = 0;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 6000);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(receiver.count(), 1);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QVERIFY2(rows[0].error.contains(QStringLiteral("timed out")), qPrintable(rows[0].error));
    QVERIFY(!rows[0].responseStatus); // the 200 in the head does not count
    QVERIFY2(rows[0].durationMs >= 900 && rows[0].durationMs <= 3000, qPrintable(QString::number(rows[0].durationMs)));
}

void TestEngine::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    } // closed: nothing listens there now
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(QStringLiteral("http://127.0.0.1:%1/hook").arg(port));
    d.retry.maxRetries = 2;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 3); // retried like any network error
    for (const auto &a : rows) {
        QVERIFY(!a.responseStatus);
        QVERIFY2(a.error.contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(a.error));
    }
    QVERIFY(!f.delivery(id)->lastError.isEmpty());
}

void TestEngine::connectionClosedWithoutAnswer()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setDefaultReply(ScriptedReply::close());
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.retry.maxRetries = 1;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 2);
    for (const auto &a : rows) {
        QVERIFY(!a.responseStatus);
        QVERIFY(!a.error.isEmpty());
    }
    QVERIFY(receiver.count() >= 2);
}

// ---------------------------------------------------------------------------
// Auto-disable

void TestEngine::autoDisable()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setDefaultReply(ScriptedReply::ok(500));
    // The third failure answers after 1.2 s, past the worker's one-second cache
    // of webhook rows, so this test checks the rule itself; the next test
    // checks what happens without that pause.
    receiver.setScript({ScriptedReply::ok(500), ScriptedReply::ok(500), ScriptedReply::delayed(1200, 500)});
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.retry.maxRetries = 0;
    d.retry.autoDisableAfter = 3;
    REQUIRE_WEBHOOK(w, f.create(d));
    QStringList ids;
    for (int i = 0; i < 5; ++i) {
        ids << f.deliveryId(f.emitEvent(), w.id);
        QTest::qWait(2); // distinct creation times: sent in this order
    }
    auto &engine = f.start(serialOptions());
    QSignalSpy deactivated(&engine, &DeliveryEngine::webhookDeactivated);
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(ids.cbegin(), ids.cend(), [&](const QString &id) { return f.isFinished(id); }), 8000);
    QTest::qWait(200);
    QCOMPARE(receiver.count(), 3);
    const auto after = f.webhook(w.id);
    QVERIFY(!after.active);
    QVERIFY(!after.disabledReason.isEmpty());
    QVERIFY2(after.disabledReason.contains(QStringLiteral("3")), qPrintable(after.disabledReason));
    QVERIFY(after.disabledAt.isValid());
    QCOMPARE(deactivated.count(), 1);
    for (int i = 0; i < 5; ++i) {
        const auto del = f.delivery(ids[i]);
        QCOMPARE(del->status, DeliveryStatus::Failed);
        if (i < 3) {
            QCOMPARE(del->attempts, 1);
        } else {
            QCOMPARE(del->attempts, 0); // not sent
            QVERIFY2(del->lastError.contains(QStringLiteral("inactive")), qPrintable(del->lastError));
        }
    }
    // New events do not even make deliveries for an inactive webhook.
    const auto later = f.emitEvent();
    QVERIFY(f.deliveryId(later, w.id).isEmpty());
    QTest::qWait(300);
    QCOMPARE(receiver.count(), 3);
}

void TestEngine::autoDisableStopsQueuedDeliveriesAtOnce()
{
    // Same as above without the pause: one worker, one request at a time, five
    // deliveries queued. Once the third has failed the webhook is inactive, so
    // the fourth and fifth must not be sent.
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setDefaultReply(ScriptedReply::ok(500));
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.retry.maxRetries = 0;
    d.retry.autoDisableAfter = 3;
    REQUIRE_WEBHOOK(w, f.create(d));
    QStringList ids;
    for (int i = 0; i < 5; ++i) {
        ids << f.deliveryId(f.emitEvent(), w.id);
        QTest::qWait(2);
    }
    f.start(serialOptions());
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(ids.cbegin(), ids.cend(), [&](const QString &id) { return f.isFinished(id); }), 8000);
    QTest::qWait(200);
    QVERIFY(!f.webhook(w.id).active);
    QVERIFY2(receiver.count() == 3,
             qPrintable(QStringLiteral("%1 requests reached the receiver; the webhook was deactivated after the 3rd").arg(receiver.count())));
}

void TestEngine::successResetsFailureCount()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setScript({ScriptedReply::ok(500), ScriptedReply::ok(500), ScriptedReply::ok(200), ScriptedReply::ok(500), ScriptedReply::ok(500)});
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.retry.maxRetries = 0;
    d.retry.autoDisableAfter = 3;
    REQUIRE_WEBHOOK(w, f.create(d));
    QStringList ids;
    for (int i = 0; i < 5; ++i)
        ids << f.deliveryId(f.emitEvent(), w.id);
    f.start(serialOptions());
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(ids.cbegin(), ids.cend(), [&](const QString &id) { return f.isFinished(id); }), 8000);
    QCOMPARE(receiver.count(), 5);
    const auto after = f.webhook(w.id);
    QVERIFY(after.active);
    QVERIFY(after.disabledReason.isEmpty());
    QCOMPARE(after.consecutiveFailures, 2);
}

// ---------------------------------------------------------------------------
// Schedules and jitter

void TestEngine::schedule()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setDefaultReply(ScriptedReply::ok(500));
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.retry.schedule = {0.1, 0.3};
    d.retry.maxRetries = 2;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QTest::qWait(200);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(receiver.count(), 3);
    const auto g1 = gapMs(receiver, 0, 1);
    const auto g2 = gapMs(receiver, 1, 2);
    QVERIFY2(g1 >= 90 && g1 < 700, qPrintable(QStringLiteral("first gap %1 ms").arg(g1)));
    QVERIFY2(g2 >= 290 && g2 < 1000, qPrintable(QStringLiteral("second gap %1 ms").arg(g2)));
    QVERIFY(g2 > g1);
}

void TestEngine::jitter()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setDefaultReply(ScriptedReply::ok(500));
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.retry.retryDelaySeconds = 0.2;
    d.retry.jitter = 0.5;
    d.retry.maxRetries = 4;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 6000);
    QCOMPARE(receiver.count(), 5);
    for (int i = 0; i < 4; ++i) {
        const auto g = gapMs(receiver, i, i + 1);
        QVERIFY2(g >= 95 && g < 800, qPrintable(QStringLiteral("gap %1: %2 ms, outside 0.1..0.3 s (+ slack)").arg(i).arg(g)));
    }
}

// ---------------------------------------------------------------------------
// What an attempt stores

void TestEngine::responseStored()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    QByteArray big(100 * 1024, 'x');
    for (int i = 0; i < big.size(); i += 1000)
        big[i] = char('a' + (i / 1000) % 26);
    auto reply = ScriptedReply::ok(201, big);
    reply.delayMs = 150;
    reply.headers = {{"X-Receiver", "yes"}, {"Content-Type", "text/html"}};
    receiver.setScript({reply});
    receiver.setDefaultReply(ScriptedReply::ok(202, "small body"));
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    const auto bigId = f.deliveryId(f.emitEvent(), w.id);
    const auto started = QDateTime::currentDateTimeUtc();
    f.start(serialOptions());
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(bigId), 5000);
    const auto smallId = f.deliveryId(f.emitEvent(), w.id);
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(smallId), 5000);

    const auto rows = f.attempts(bigId);
    QCOMPARE(rows.size(), 1);
    const auto &a = rows[0];
    QCOMPARE(a.responseStatus, std::optional<int>(201));
    QCOMPARE(a.responseBody.size(), 64 * 1024);
    QCOMPARE(a.responseBody, big.left(64 * 1024));
    const auto headers = QJsonDocument::fromJson(a.responseHeaders).array();
    bool sawReceiver = false;
    for (const auto &h : headers)
        sawReceiver = sawReceiver || (h.toArray().at(0).toString().compare(u"X-Receiver", Qt::CaseInsensitive) == 0 && h.toArray().at(1).toString() == u"yes");
    QVERIFY2(sawReceiver, a.responseHeaders.constData());
    QVERIFY2(a.durationMs >= 140 && a.durationMs < 3000, qPrintable(QString::number(a.durationMs)));
    QVERIFY(a.startedAt.isValid());
    QVERIFY(std::abs(started.msecsTo(a.startedAt)) < 5000);
    QVERIFY(a.error.isEmpty());
    const auto del = f.delivery(bigId);
    QCOMPARE(del->lastStatusCode, std::optional<int>(201));
    QVERIFY(del->lastDurationMs && *del->lastDurationMs >= 140);

    const auto small = f.attempts(smallId);
    QCOMPARE(small.size(), 1);
    QCOMPARE(small[0].responseBody, QByteArray("small body"));
    QCOMPARE(small[0].responseStatus, std::optional<int>(202));
}

void TestEngine::oversizedResponseAborted()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setDefaultReply(ScriptedReply::ok(200, QByteArray(9 * 1024 * 1024, 'y')));
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.retry.maxRetries = 0;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 8000);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QVERIFY2(rows[0].error.contains(QStringLiteral("larger than")), qPrintable(rows[0].error));
    QVERIFY(rows[0].responseBody.size() <= 64 * 1024);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
}

// ---------------------------------------------------------------------------
// Transformations

void TestEngine::transformation()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.transform = QStringLiteral("return {...payload, custom_field: 'value'}");
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto eventId = f.emitEvent(QStringLiteral("lead.updated"), QByteArrayLiteral(R"({"b":1,"a":{"z":true,"y":[1,2.0]}})"));
    const auto id = f.deliveryId(eventId, w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(receiver.count(), 1);
    auto expected = f.eventBody(eventId);
    expected.chop(1);
    expected += ",\"custom_field\":\"value\"}";
    const auto r = receiver.request(0);
    QCOMPARE(r.body, expected);
    QVERIFY(r.body.contains("\"data\":{\"b\":1,\"a\":{\"z\":true,\"y\":[1,2]}}"));
    // Signed over the bytes sent.
    VerifyRequest vr;
    vr.headers = r.headers;
    vr.body = r.body;
    vr.scheme = Scheme::Standard;
    QVERIFY(Verifier::verify(w.secret, vr).valid);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].requestBody, expected);
}

void TestEngine::transformationTimeLimit()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.transform = QStringLiteral("while (true) {}");
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QTest::qWait(300);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(f.delivery(id)->attempts, 1); // no retry: the script fails the same way every time
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QVERIFY2(rows[0].error.contains(QStringLiteral("time limit")), qPrintable(rows[0].error));
    QCOMPARE(receiver.count(), 0);
}

void TestEngine::transformationOversized()
{
    // A script whose result is over the 1 MB body limit gives the same result
    // every time: like any other transformation failure, it must not be retried.
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.transform = QStringLiteral("return {big: 'x'.repeat(1100000)};");
    d.retry.maxRetries = 2;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QTest::qWait(300);
    QCOMPARE(receiver.count(), 0);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    const auto rows = f.attempts(id);
    QVERIFY(!rows.isEmpty());
    QVERIFY2(rows[0].error.contains(QStringLiteral("1 MB")), qPrintable(rows[0].error));
    QVERIFY2(rows.size() == 1, qPrintable(QStringLiteral("%1 attempts for a result that can never be sent").arg(rows.size())));
}

// ---------------------------------------------------------------------------
// Server-side request forgery

void TestEngine::ssrfRefusedAtDelivery_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("127.0.0.1") << QStringLiteral("127.0.0.1");
    QTest::newRow("localhost") << QStringLiteral("localhost");
    QTest::newRow("127.1 short form") << QStringLiteral("127.1");
    QTest::newRow("decimal 2130706433") << QStringLiteral("2130706433");
    QTest::newRow("IPv4-mapped IPv6") << QStringLiteral("[::ffff:127.0.0.1]");
    // A name that DNS (here /etc/hosts) resolves to loopback: the HostGuard path.
    QTest::newRow("host name resolving to loopback") << QHostInfo::localHostName();
}

void TestEngine::ssrfRefusedAtDelivery()
{
    QFETCH(QString, host);
    if (QTest::currentDataTag() == QByteArray("host name resolving to loopback")) {
        const auto info = QHostInfo::fromName(host);
        if (info.addresses().isEmpty() || !info.addresses().first().isLoopback())
            QSKIP("this machine's host name does not resolve to a loopback address");
    }
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Fixture f;
    QVERIFY(f.ok());
    // Written while private addresses were allowed, then the setting goes off.
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(QStringLiteral("http://%1:%2/hook").arg(host).arg(receiver.port()))));
    QVERIFY(f.setting("allowPrivateAddresses", "false"));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QTest::qWait(300);
    QCOMPARE(receiver.count(), 0);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(f.delivery(id)->attempts, 1); // not retried: a private address stays private
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QVERIFY2(rows[0].error.startsWith(QStringLiteral("refused")), qPrintable(rows[0].error));
    QVERIFY(!rows[0].responseStatus);
}

void TestEngine::ssrfRefusedAtCreation_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("127.0.0.1") << QStringLiteral("http://127.0.0.1:8080/hook");
    QTest::newRow("localhost") << QStringLiteral("https://localhost/hook");
    QTest::newRow("10/8") << QStringLiteral("https://10.1.2.3/hook");
    QTest::newRow("192.168/16") << QStringLiteral("https://192.168.0.10/hook");
    QTest::newRow("metadata service") << QStringLiteral("https://169.254.169.254/latest/meta-data");
    QTest::newRow("IPv6 loopback") << QStringLiteral("https://[::1]/hook");
    QTest::newRow("IPv4-mapped IPv6") << QStringLiteral("https://[::ffff:10.0.0.1]/hook");
    QTest::newRow("0.0.0.0") << QStringLiteral("https://0.0.0.0/hook");
}

void TestEngine::ssrfRefusedAtCreation()
{
    QFETCH(QString, url);
    Fixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting("allowPrivateAddresses", "false"));
    const auto r = f.create(Fixture::draft(url));
    QVERIFY2(!r, qPrintable(QStringLiteral("created %1").arg(url)));
    QCOMPARE(r.error().code, Error::Code::Validation);
    QCOMPARE(r.error().field, QStringLiteral("url"));
    QVERIFY2(r.error().message.contains(QStringLiteral("server-side request forgery")), qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(QStringLiteral("allowPrivateAddresses")), qPrintable(r.error().message));
}

void TestEngine::insecureUrlRefused()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    QVERIFY(f.setting("allowInsecureUrls", "false"));
    // At creation: refused with a clear message.
    const auto refused = f.create(Fixture::draft(receiver.url(QStringLiteral("/other"))));
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(QStringLiteral("https://")), qPrintable(refused.error().message));
    QVERIFY2(refused.error().message.contains(QStringLiteral("allowInsecureUrls")), qPrintable(refused.error().message));
    // At delivery: an http:// webhook written earlier is not sent to.
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QTest::qWait(200);
    QCOMPARE(receiver.count(), 0);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QVERIFY2(rows[0].error.startsWith(QStringLiteral("refused")), qPrintable(rows[0].error));
    QVERIFY2(rows[0].error.contains(QStringLiteral("http://")), qPrintable(rows[0].error));
}

// ---------------------------------------------------------------------------
// Retention, replay, test pings, stopping

void TestEngine::retention_data()
{
    QTest::addColumn<bool>("perWebhook");
    QTest::newRow("webhook retention 5") << true;
    QTest::newRow("installation retention 5") << false;
}

void TestEngine::retention()
{
    QFETCH(bool, perWebhook);
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url(QStringLiteral("/kept5")));
    if (perWebhook)
        d.retention = 5;
    else
        QVERIFY(f.setting("retention", "5"));
    REQUIRE_WEBHOOK(w, f.create(d));
    // A second webhook shares the lead.updated events and keeps 1000.
    auto other = Fixture::draft(receiver.url(QStringLiteral("/other")));
    other.events = {QStringLiteral("lead.updated")};
    other.retention = 1000;
    REQUIRE_WEBHOOK(o, f.create(other));

    QStringList events;
    QStringList ids;
    for (int i = 0; i < 20; ++i) {
        events << f.emitEvent(i % 2 ? QStringLiteral("lead.updated") : QStringLiteral("lead.created"),
                              QByteArrayLiteral(R"({"i":)") + QByteArray::number(i) + '}');
        ids << f.deliveryId(events.constLast(), w.id);
        QTest::qWait(3); // distinct creation times
    }
    f.start();
    QTRY_COMPARE_WITH_TIMEOUT(receiver.count(), 30, 8000);
    const QString countSql = QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE webhook_id = ?");
    QTRY_VERIFY_WITH_TIMEOUT(f.scalar(countSql, {w.id}) <= 5, 5000);
    QTest::qWait(1500); // another pruning round changes nothing
    QCOMPARE(f.scalar(countSql, {w.id}), 5);
    QCOMPARE(f.scalar(countSql, {o.id}), 10);
    for (int i = 0; i < 20; ++i) {
        const bool kept = i >= 15;
        QCOMPARE(f.delivery(ids[i]).has_value(), kept);
        QCOMPARE(f.status(ids[i]), kept ? DeliveryStatus::Succeeded : DeliveryStatus::Pending);
        // Events without deliveries left are gone; events the other webhook still has stay.
        const bool eventKept = kept || i % 2 == 1;
        QVERIFY2(f.eventBody(events[i]).isEmpty() != eventKept, qPrintable(QStringLiteral("event %1").arg(i)));
    }
    QCOMPARE(f.scalar(QStringLiteral("SELECT COUNT(*) FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.webhook_id = ?"), {w.id}), 5);
    QCOMPARE(f.scalar(QStringLiteral("SELECT COUNT(*) FROM attempts WHERE delivery_id NOT IN (SELECT id FROM deliveries)")), 0);
}

void TestEngine::replay()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setScript({ScriptedReply::ok(400)});
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    const auto eventId = f.emitEvent();
    const auto id = f.deliveryId(eventId, w.id);
    auto &engine = f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(f.delivery(id)->attempts, 1);

    {
        sql::Transaction tx(f.conn());
        QVERIFY(tx.begin());
        auto n = DeliveryQueue(f.conn()).replay({id}, QDateTime::currentDateTimeUtc());
        QVERIFY(n);
        QCOMPARE(*n, 1);
        QVERIFY(tx.commit());
    }
    engine.wake();
    QTRY_VERIFY_WITH_TIMEOUT(f.status(id) == DeliveryStatus::Succeeded, 5000);
    QCOMPARE(f.delivery(id)->attempts, 2);
    QCOMPARE(receiver.count(), 2);
    QCOMPARE(receiver.request(1).header("X-Webhook-Delivery-Id"), id.toUtf8());
    QCOMPARE(receiver.request(1).body, f.eventBody(eventId));
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].number, 1);
    QCOMPARE(rows[1].number, 2);
    QCOMPARE(rows[0].responseStatus, std::optional<int>(400));
    QCOMPARE(rows[1].responseStatus, std::optional<int>(200));
}

void TestEngine::replayRestartsRetries()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setDefaultReply(ScriptedReply::ok(500));
    Fixture f;
    QVERIFY(f.ok());
    auto d = Fixture::draft(receiver.url());
    d.retry.maxRetries = 1;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.deliveryId(f.emitEvent(), w.id);
    auto &engine = f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id), 5000);
    QCOMPARE(f.delivery(id)->attempts, 2);
    {
        sql::Transaction tx(f.conn());
        QVERIFY(tx.begin());
        QCOMPARE(*DeliveryQueue(f.conn()).replay({id}, QDateTime::currentDateTimeUtc()), 1);
        QVERIFY(tx.commit());
    }
    engine.wake();
    // A full round again: the first attempt and its one retry.
    QTRY_VERIFY_WITH_TIMEOUT(f.delivery(id)->attempts == 4 && f.isFinished(id), 5000);
    QTest::qWait(300);
    QCOMPARE(f.delivery(id)->attempts, 4);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(receiver.count(), 4);
}

void TestEngine::testPing()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setScript({ScriptedReply::ok(200), ScriptedReply::ok(500)});
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    const auto pending = f.deliveryId(f.emitEvent(), w.id);
    QVERIFY(!pending.isEmpty());

    const QByteArray data = R"({"test":true,"message":"This is a test webhook delivery","timestamp":"2026-01-01T10:00:00.000Z"})";
    auto ping = EventService(f.conn()).emitTo(w.id, EventType::testEventName(), data);
    QVERIFY(ping);
    QCOMPARE(ping->deliveries, 1);
    const auto pingId = f.deliveryId(ping->eventId, w.id);

    auto options = fastOptions();
    options.workers = 1;
    options.claimDueDeliveries = false;
    auto &engine = f.start(options);
    QSignalSpy updated(&engine, &DeliveryEngine::deliveriesUpdated);
    engine.deliverNow(pingId);
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(pingId), 5000);
    QCOMPARE(f.status(pingId), DeliveryStatus::Succeeded);
    QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), 2000);
    // The batch says what the history row now shows, as the database has it.
    const auto batch = updated.at(0).at(0).value<DeliveryUpdates>();
    QCOMPARE(batch.size(), 1);
    const auto &u = batch.constFirst();
    QCOMPARE(u.deliveryId, pingId);
    QCOMPARE(u.status, DeliveryStatus::Succeeded);
    QCOMPARE(u.attempts, std::optional<int>(1));
    QCOMPARE(u.lastStatusCode, std::optional<int>(200));
    const auto stored = DeliveryStore(f.conn()).find(pingId);
    QVERIFY(stored && *stored);
    QCOMPARE(u.updatedAt, (*stored)->updatedAt);
    QCOMPARE(u.lastDurationMs, (*stored)->lastDurationMs);
    QCOMPARE(u.webhookId, (*stored)->webhookId);
    QTest::qWait(500);
    QCOMPARE(receiver.count(), 1);
    const auto r = receiver.request(0);
    QCOMPARE(r.header("X-Webhook-Event"), QByteArray("webhook.test"));
    QVERIFY(r.body.contains(QByteArray("\"data\":" + data)));
    VerifyRequest vr;
    vr.headers = r.headers;
    vr.body = r.body;
    vr.scheme = Scheme::Standard;
    QVERIFY(Verifier::verify(w.secret, vr).valid);
    QCOMPARE(f.status(pending), DeliveryStatus::Pending); // the rest of the queue waits

    // A failing ping ends failed at once, with no retry and no mark on the webhook's health.
    auto ping2 = EventService(f.conn()).emitTo(w.id, EventType::testEventName(), data);
    QVERIFY(ping2);
    const auto ping2Id = f.deliveryId(ping2->eventId, w.id);
    engine.deliverNow(ping2Id);
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(ping2Id), 5000);
    QTest::qWait(300);
    QCOMPARE(f.status(ping2Id), DeliveryStatus::Failed);
    QCOMPARE(f.delivery(ping2Id)->attempts, 1);
    QCOMPARE(receiver.count(), 2);
    QCOMPARE(f.webhook(w.id).consecutiveFailures, 0);
    QVERIFY(f.webhook(w.id).active);
    QCOMPARE(f.status(pending), DeliveryStatus::Pending);
}

void TestEngine::stopHandsBack()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setDefaultReply(ScriptedReply::hang());
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    QStringList ids;
    for (int i = 0; i < 3; ++i)
        ids << f.deliveryId(f.emitEvent(), w.id);
    auto options = fastOptions();
    options.drainTimeoutMs = 500;
    auto &engine = f.start(options);
    QTRY_COMPARE_WITH_TIMEOUT(receiver.count(), 3, 5000);
    for (const auto &id : ids)
        QCOMPARE(f.status(id), DeliveryStatus::Delivering);
    QSignalSpy stopped(&engine, &DeliveryEngine::stopped);
    QElapsedTimer clock;
    clock.start();
    engine.stop();
    QVERIFY(stopped.wait(500 + 2000));
    const auto ms = clock.elapsed();
    QVERIFY2(ms >= 400 && ms < 2500, qPrintable(QStringLiteral("stopped after %1 ms").arg(ms)));
    QVERIFY(!engine.isRunning());
    for (const auto &id : ids) {
        const auto d = f.delivery(id);
        QCOMPARE(d->status, DeliveryStatus::Pending); // back in the queue, untouched
        QCOMPARE(d->attempts, 0);
        QVERIFY(f.attempts(id).isEmpty());
    }
    QCOMPARE(f.scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE lease_until IS NOT NULL")), 0);

    // Started again, they go out (again: at least once).
    receiver.setDefaultReply(ScriptedReply::ok(200));
    f.start(fastOptions());
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(ids.cbegin(), ids.cend(), [&](const QString &id) { return f.status(id) == DeliveryStatus::Succeeded; }), 5000);
    QCOMPARE(receiver.count(), 6);
}

void TestEngine::pauseHandsBackClaimedAhead()
{
    // A worker keeps more deliveries claimed than it has in flight (the
    // keeper claims ahead). Paused, it must give those back at once, send
    // nothing new, and let the request on the wire finish.
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setDefaultReply(ScriptedReply::delayed(400, 200));
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    QStringList ids;
    for (int i = 0; i < 6; ++i) {
        ids << f.deliveryId(f.emitEvent(), w.id);
        QTest::qWait(2);
    }
    auto &engine = f.start(serialOptions());
    QTRY_COMPARE_WITH_TIMEOUT(receiver.count(), 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(f.scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'delivering'")) > 1, 2000);
    engine.setPaused(true);
    // The request on the wire finishes; the ones claimed ahead go back.
    QTRY_COMPARE_WITH_TIMEOUT(f.scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'delivering'")), 0, 3000);
    QTest::qWait(600);
    const int sent = receiver.count();
    QVERIFY2(sent <= 2, qPrintable(QStringLiteral("%1 requests while paused").arg(sent)));
    QCOMPARE(f.scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'succeeded'")), sent);
    QCOMPARE(f.scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND lease_until IS NULL")), 6 - sent);
    engine.setPaused(false);
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(ids.cbegin(), ids.cend(), [&](const QString &id) { return f.status(id) == DeliveryStatus::Succeeded; }), 8000);
    QCOMPARE(receiver.count(), 6);
}

namespace {
QStringList g_logged;
void captureLog(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    g_logged << QString::fromLatin1(context.category ? context.category : "") + u' ' + message;
}
} // namespace

// With every hookline category at debug level, the engine says what it
// decides (claims, outcomes, a 410's deactivation), and no secret, signature
// or custom header value reaches the log.
void TestEngine::logsDecisionsButNoSecret()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setResponder([](const ReceivedRequest &r) {
        return r.path.startsWith("/gone") ? ScriptedReply::ok(410, "gone") : ScriptedReply::ok(500, "down");
    });
    Fixture f;
    QVERIFY(f.ok());
    const QString apiKey = QStringLiteral("Bearer api-key-that-must-not-leak-0123456789");
    auto d = Fixture::draft(receiver.url(QStringLiteral("/hook")), Scheme::Stripe);
    d.secret = QStringLiteral("whsec_stripe_secret_that_must_not_leak");
    d.headers = {{QStringLiteral("Authorization"), apiKey}};
    d.retry.maxRetries = 1;
    d.retry.retryDelaySeconds = 0.05;
    REQUIRE_WEBHOOK(w, f.create(d));
    REQUIRE_WEBHOOK(gone, f.create(Fixture::draft(receiver.url(QStringLiteral("/gone")))));
    const auto eventId = f.emitEvent();
    const auto id = f.deliveryId(eventId, w.id);
    const auto goneId = f.deliveryId(eventId, gone.id);

    g_logged.clear();
    Log::enableDebug();
    const auto previous = qInstallMessageHandler(captureLog);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(id) && f.isFinished(goneId), 10000);
    f.engine->stopAndWait();
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules({});

    const auto text = g_logged.join(u'\n');
    // It said what it decided...
    QVERIFY2(text.contains(id) && text.contains(u"retrying"_s) && text.contains(u"failed"_s), qPrintable(text.left(2000)));
    QVERIFY2(text.contains(u"410 Gone"_s) && text.contains(gone.id), qPrintable(text.left(2000)));
    QVERIFY2(text.contains(u"hookline.engine"_s), qPrintable(text.left(2000)));
    // ...and nothing that signs or authenticates.
    QStringList secrets{d.secret, apiKey, gone.secret, gone.secret.mid(6)};
    for (const auto &r : receiver.requests()) {
        for (const auto &[name, value] : r.headers) {
            if (name.toLower().contains("signature") || name.toLower() == "authorization")
                secrets << QString::fromLatin1(value);
        }
    }
    for (const auto &secret : std::as_const(secrets)) {
        QVERIFY(!secret.isEmpty());
        QVERIFY2(!text.contains(secret), qPrintable(u"the log holds a secret: "_s + secret.left(12)));
    }
}

// A setting changed while the engine runs (here the header prefix) applies to
// the next requests, without a restart.
void TestEngine::settingsChangesReachRunningEngine()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Fixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(Fixture::draft(receiver.url())));
    const auto first = f.deliveryId(f.emitEvent(), w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(first), 5000);
    QCOMPARE(receiver.request(0).header("X-Webhook-Event"), QByteArray("lead.created"));

    QVERIFY(Settings(f.db->connection()).setValue(QString::fromLatin1(Settings::kHeaderPrefix), QStringLiteral("X-Changed")));
    QTest::qWait(300); // past settingsRefreshMs (100 ms here, 5 s by default)
    const auto second = f.deliveryId(f.emitEvent(), w.id);
    f.engine->wake();
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(second), 5000);
    QCOMPARE(receiver.count(), 2);
    QCOMPARE(receiver.request(1).header("X-Changed-Event"), QByteArray("lead.created"));
    QVERIFY(!receiver.request(1).hasHeader("X-Webhook-Event"));
}

QTEST_MAIN(TestEngine)
#include "tst_engine.moc"
