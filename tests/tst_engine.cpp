// The delivery engine end to end (core/engine/DeliveryEngine, QueueKeeper, DeliveryWorker,
// RequestBuilder, HostGuard, OutcomeRules, Transformer; core/store/DeliveryQueue),
// run in-process against TestReceiver on 127.0.0.1. Time is the fixture's
// ManualClock: retries, time-outs, leases, grace periods and retention rounds
// happen when a test moves the clock, never after a real wait, and the times
// they leave in the database are exact.

#include "EngineFixture.h"
#include "TestReceiver.h"

#include "engine/DeliveryEngine.h"
#include "engine/FlowControl.h"
#include "engine/RequestBuilder.h"
#include "model/EventType.h"
#include "service/EventService.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "signing/Verifier.h"
#include "store/DeliveryQueue.h"
#include "store/DeliveryStore.h"
#include "store/Sql.h"
#include "util/Clock.h"
#include "util/Log.h"
#include "json/CanonicalJson.h"

#include <QElapsedTimer>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace hookline;
using namespace Qt::StringLiterals;
using hookline::test::EngineFixture;
using hookline::test::ReceivedRequest;
using hookline::test::ScriptedReply;
using hookline::test::TestReceiver;

Q_DECLARE_METATYPE(hookline::Scheme)

namespace {

// Milliseconds between two attempts of a delivery, by the clock.
qint64 gapMs(const QList<Attempt> &attempts, int from, int to)
{
    return attempts.at(from).startedAt.msecsTo(attempts.at(to).startedAt);
}

QString imfDate(const QDateTime &utc)
{
    return QLocale::c().toString(utc.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
}

int countEvent(const TestReceiver &receiver, const QByteArray &type)
{
    int n = 0;
    for (const auto &r : receiver.requests())
        n += r.header("X-Webhook-Event") == type ? 1 : 0;
    return n;
}

} // namespace

class TestEngine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void wireContract_data();
    void wireContract();
    void attemptTellsAddressTimingsAndWhatFollows_data();
    void attemptTellsAddressTimingsAndWhatFollows();
    void headerPrefix();
    void headersRecordedAsJson_data();
    void headersRecordedAsJson();
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
    void oversizedResponseAborted_data();
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
    void retentionRoomAtTheBoundary_data();
    void retentionRoomAtTheBoundary();
    void retentionHoldsUnderSustainedLoad();
    void loweredRetentionAppliesAtOnce();
    void expiredLeaseIsTakenBack();
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
    EngineFixture f;
    QVERIFY(f.ok());
    auto d = f.draft(QStringLiteral("/hooks/wire?src=hookline"), scheme);
    d.headers = {{QStringLiteral("X-Custom-One"), QStringLiteral("1")}, {QStringLiteral("Authorization"), QStringLiteral("Bearer abc")}};
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto eventId = f.emitEvent(QStringLiteral("lead.created"), QByteArrayLiteral(R"({"name":"Zoë","amount":12.50,"tags":["a"]})"));
    QVERIFY(!eventId.isEmpty());
    const auto id = f.deliveryId(eventId, w.id);
    QVERIFY(!id.isEmpty());
    f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    const auto &receiver = f.receiver();
    QCOMPARE(receiver.count(), 1);

    const auto r = receiver.request(0);
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.path, QByteArray("/hooks/wire?src=hookline"));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(r.header("User-Agent"), QByteArray("Hookline-Webhooks/" HOOKLINE_VERSION));
    QCOMPARE(r.header("X-Webhook-Event"), QByteArray("lead.created"));
    QCOMPARE(r.header("X-Webhook-Id"), w.id.toUtf8());
    QCOMPARE(r.header("X-Webhook-Delivery-Id"), id.toUtf8());
    // The clock has not moved: the timestamp is its time to the second.
    QCOMPARE(r.header("X-Webhook-Timestamp"), QByteArray::number(Clock::nowSecs()));

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
    case Scheme::Standard:
        ours << "webhook-id"
             << "webhook-timestamp"
             << "webhook-signature";
        break;
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
    EngineFixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting("headerPrefix", "X-FinSight"));
    REQUIRE_WEBHOOK(hex, f.create(f.draft(QStringLiteral("/hex"), Scheme::HmacHex)));
    REQUIRE_WEBHOOK(stamped, f.create(f.draft(QStringLiteral("/ts"), Scheme::Timestamped)));
    const auto eventId = f.emitEvent();
    f.start();
    QVERIFY(f.finish({f.deliveryId(eventId, hex.id), f.deliveryId(eventId, stamped.id)}));
    QCOMPARE(f.receiver().count(), 2);
    for (const auto &r : f.receiver().requests()) {
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
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    receiver.setScript({ScriptedReply::ok(500), ScriptedReply::ok(503)});
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    const auto eventId = f.emitEvent();
    const auto id = f.deliveryId(eventId, w.id);
    f.start();
    QVERIFY(f.finish(id));
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

// clang-format off
void TestEngine::rotation_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<int>("signatures");     // entries in the signature header during the grace period
    QTest::addColumn<bool>("oldVerifies");
    QTest::newRow("standard: both sign") << Scheme::Standard << 2 << true;
    QTest::newRow("stripe: both sign") << Scheme::Stripe << 2 << true;
    QTest::newRow("github: only the new one") << Scheme::Github << 1 << false;
    QTest::newRow("hmac-hex: only the new one") << Scheme::HmacHex << 1 << false;
}
// clang-format on

void TestEngine::rotation()
{
    QFETCH(Scheme, scheme);
    QFETCH(int, signatures);
    QFETCH(bool, oldVerifies);
    EngineFixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(f.draft(QStringLiteral("/hook"), scheme)));
    const auto oldSecret = w.secret;
    auto rotated = WebhookService(f.conn()).rotateSecret(w.id, 3600);
    QVERIFY(rotated);
    const auto newSecret = rotated->secret;
    QVERIFY(newSecret != oldSecret);
    QCOMPARE(f.webhook(w.id).secret, newSecret);
    QCOMPARE(rotated->previousExpiresAt, Clock::now().addSecs(3600));

    const auto entries = [scheme](const ReceivedRequest &r) -> qsizetype {
        switch (scheme) {
        case Scheme::Standard: return r.header("webhook-signature").split(' ').size();
        case Scheme::Stripe: return r.header("Stripe-Signature").count(",v1=");
        case Scheme::Github: return r.header("X-Hub-Signature-256").count("sha256=");
        default: return r.header("X-Webhook-Signature").count(' ') + 1;
        }
    };
    const auto verifies = [scheme](const QString &secret, const ReceivedRequest &r) {
        VerifyRequest vr;
        vr.headers = r.headers;
        vr.body = r.body;
        vr.scheme = scheme;
        vr.now = r.header("X-Webhook-Timestamp").toLongLong(); // checked as on arrival: the clock has moved since
        return Verifier::verify(secret, vr);
    };

    // Within the grace period (to its last millisecond), the old secret signs too where the scheme allows.
    f.start();
    const auto during = f.emitFor(w.id);
    QVERIFY(f.finish(during));
    f.clock().advanceTo(rotated->previousExpiresAt.addMSecs(-1));
    const auto lastMoment = f.emitFor(w.id);
    QVERIFY(f.finish(lastMoment));
    QCOMPARE(f.receiver().count(), 2);
    for (int i = 0; i < 2; ++i) {
        const auto r = f.receiver().request(i);
        switch (scheme) {
        case Scheme::Standard:
            for (const auto &e : r.header("webhook-signature").split(' '))
                QVERIFY2(e.startsWith("v1,"), e.constData());
            break;
        case Scheme::Stripe: QVERIFY(r.header("Stripe-Signature").startsWith("t=")); break;
        case Scheme::Github: QVERIFY(r.header("X-Hub-Signature-256").startsWith("sha256=")); break;
        default: break;
        }
        QCOMPARE(entries(r), signatures);
        const auto withNew = verifies(newSecret, r);
        QVERIFY2(withNew.valid, qPrintable(withNew.reason));
        const auto withOld = verifies(oldSecret, r);
        QVERIFY2(withOld.valid == oldVerifies, qPrintable(withOld.reason));
    }

    // From the grace period's end on, the new secret alone signs.
    f.clock().advanceTo(rotated->previousExpiresAt);
    const auto after = f.emitFor(w.id);
    QVERIFY(f.finish(after));
    QCOMPARE(f.receiver().count(), 3);
    const auto r = f.receiver().request(2);
    QCOMPARE(entries(r), 1);
    const auto withNew = verifies(newSecret, r);
    QVERIFY2(withNew.valid, qPrintable(withNew.reason));
    QVERIFY(!verifies(oldSecret, r).valid);
}

// ---------------------------------------------------------------------------
// Outcome rules

// clang-format off
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
// clang-format on

void TestEngine::outcomes()
{
    QFETCH(QList<int>, statuses);
    QFETCH(int, maxRetries);
    QFETCH(int, finalStatus);
    QFETCH(int, attempts);
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    QList<ScriptedReply> script;
    for (int s : statuses)
        script << ScriptedReply::ok(s, "answer " + QByteArray::number(s));
    receiver.setDefaultReply(script.constLast());
    receiver.setScript(script);
    auto d = f.draft();
    d.retry.maxRetries = maxRetries;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    // Final: never claimed again, and every request came before its attempt was written.
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
        if (i > 0)
            QCOMPARE(gapMs(rows, i - 1, i), 50); // the policy's 0.05 s, exactly
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
    EngineFixture f;
    QVERIFY(f.ok());
    TestReceiver elsewhere;
    QVERIFY(elsewhere.listen());
    f.receiver().setDefaultReply(ScriptedReply::withHeader(status, "Location", elsewhere.url(QStringLiteral("/stolen")).toUtf8()));
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    // A followed redirect would have been part of this very request.
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(f.receiver().count(), 1);
    QCOMPARE(elsewhere.count(), 0);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].responseStatus, std::optional<int>(status));
    QVERIFY2(rows[0].error.contains(QString::number(status)), qPrintable(rows[0].error));
    QVERIFY(rows[0].responseHeaders.contains("Location"));
}

void TestEngine::goneDeactivates()
{
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setDefaultReply(ScriptedReply::ok(410, "gone"));
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    const auto id = f.emitFor(w.id);
    auto &engine = f.start();
    QSignalSpy deactivated(&engine, &DeliveryEngine::webhookDeactivated);
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(f.delivery(id)->attempts, 1);
    QCOMPARE(f.receiver().count(), 1);
    const auto after = f.webhook(w.id);
    QVERIFY(!after.active);
    QVERIFY(!after.disabledReason.isEmpty());
    QVERIFY2(after.disabledReason.contains(QStringLiteral("410")), qPrintable(after.disabledReason));
    QCOMPARE(after.disabledAt, f.attempts(id).at(0).startedAt);
    QTRY_COMPARE_WITH_TIMEOUT(deactivated.count(), 1, 2000);
    QCOMPARE(deactivated.at(0).at(0).toString(), w.id);
}

// ---------------------------------------------------------------------------
// Retry-After, timeouts, network errors

void TestEngine::retryAfterSeconds()
{
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    receiver.setResponder([&receiver](const ReceivedRequest &r) {
        if (r.path != "/hook")
            return ScriptedReply::ok(200);
        switch (receiver.count("/hook")) {
        case 1: return ScriptedReply::withHeader(503, "Retry-After", "1");
        case 2: return ScriptedReply::withHeader(429, "Retry-After", "0");
        default: return ScriptedReply::ok(200);
        }
    });
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    // A probe to another path, of another event type: it shows when the engine has claimed.
    auto probeDraft = f.draft(QStringLiteral("/probe"));
    probeDraft.events = {QStringLiteral("deal.won")};
    REQUIRE_WEBHOOK(probe, f.create(probeDraft));
    const auto id = f.emitFor(w.id);
    f.start(EngineFixture::serialOptions());
    QTRY_VERIFY_WITH_TIMEOUT(f.status(id) == DeliveryStatus::Retrying, 5000);
    const auto first = f.attempts(id).value(0);
    // retryDelaySeconds is 0.05, but the receiver asked for one second.
    QCOMPARE(f.delivery(id)->nextAttemptAt, first.startedAt.addSecs(1));

    // A millisecond before, the engine claims what is due, and not this.
    f.clock().advance(999);
    const auto probeId = f.deliveryId(f.emitEvent(QStringLiteral("deal.won")), probe.id);
    QVERIFY(f.finish(probeId));
    QCOMPARE(receiver.count("/hook"), 1);
    QCOMPARE(f.status(id), DeliveryStatus::Retrying);

    f.clock().advance(1);
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(receiver.count("/hook"), 3);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(gapMs(rows, 0, 1), 1000);
    // Retry-After: 0 asks for "now", which is no usable hint: the policy's
    // fixed 50 ms applied (a hint of 0 used to retry at once, again and again).
    QCOMPARE(gapMs(rows, 1, 2), 50);
}

void TestEngine::retryAfterHttpDate()
{
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    // A date 2.5 s ahead, written in whole seconds: 2 s ahead (the clock
    // stands on a whole second).
    receiver.setResponder([](const ReceivedRequest &r) {
        if (r.index == 0)
            return ScriptedReply::withHeader(503, "Retry-After", imfDate(Clock::now().addMSecs(2500)).toLatin1());
        return ScriptedReply::ok(200);
    });
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    const auto id = f.emitFor(w.id);
    f.start();
    QTRY_VERIFY_WITH_TIMEOUT(f.status(id) == DeliveryStatus::Retrying, 5000);
    const auto first = f.attempts(id).value(0);
    QVERIFY2(f.delivery(id)->nextAttemptAt == first.startedAt.addSecs(2),
             qPrintable(QStringLiteral("next attempt at %1, first at %2; Retry-After was an HTTP date (%3)")
                            .arg(f.delivery(id)->nextAttemptAt.toString(Qt::ISODateWithMs), first.startedAt.toString(Qt::ISODateWithMs),
                                 QString::fromLatin1(first.responseHeaders))));
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(receiver.count(), 2);
    QCOMPARE(gapMs(f.attempts(id), 0, 1), 2000);
}

void TestEngine::timeoutWhenReceiverHangs()
{
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    receiver.setScript({ScriptedReply::hang()});
    QVERIFY(f.setting("requestTimeoutSeconds", "1"));
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    const auto id = f.emitFor(w.id);
    f.start();
    QTRY_COMPARE_WITH_TIMEOUT(receiver.count(), 1, 5000);
    f.clock().advance(1000);
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded); // retried after the time-out
    QCOMPARE(receiver.count(), 2);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 2);
    QVERIFY2(rows[0].error.contains(QStringLiteral("timed out")), qPrintable(rows[0].error));
    QVERIFY(!rows[0].responseStatus);
    QCOMPARE(rows[0].durationMs, 1000);
    QCOMPARE(rows[1].responseStatus, std::optional<int>(200));
}

void TestEngine::timeoutWhenReceiverTrickles()
{
    // Status line and headers at once, then one byte every 200 ms: Qt's
    // transfer (inactivity) timeout never fires; the total deadline must.
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    receiver.setDefaultReply(ScriptedReply::trickle(QByteArray(50, 'x'), 200));
    QVERIFY(f.setting("requestTimeoutSeconds", "1"));
    auto d = f.draft();
    d.retry.maxRetries = 0;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    QTRY_COMPARE_WITH_TIMEOUT(receiver.count(), 1, 5000);
    f.clock().advance(1000);
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(receiver.count(), 1);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QVERIFY2(rows[0].error.contains(QStringLiteral("timed out")), qPrintable(rows[0].error));
    QVERIFY(!rows[0].responseStatus); // the 200 in the head does not count
    QCOMPARE(rows[0].durationMs, 1000);
}

void TestEngine::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    } // closed: nothing listens there now
    EngineFixture f;
    QVERIFY(f.ok());
    auto d = EngineFixture::draftFor(QStringLiteral("http://127.0.0.1:%1/hook").arg(port));
    d.retry.maxRetries = 2;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
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
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setDefaultReply(ScriptedReply::close());
    auto d = f.draft();
    d.retry.maxRetries = 1;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 2);
    for (const auto &a : rows) {
        QVERIFY(!a.responseStatus);
        QVERIFY(!a.error.isEmpty());
    }
    QVERIFY(f.receiver().count() >= 2);
}

// ---------------------------------------------------------------------------
// Auto-disable

void TestEngine::autoDisable()
{
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    // The third failure answers 1.2 s later by the clock, past the worker's
    // one-second cache of webhook rows, so this test checks the rule itself;
    // the next test checks what happens without that pause.
    receiver.setResponder([&f](const ReceivedRequest &r) {
        if (r.index == 2)
            f.clock().advance(1200);
        return ScriptedReply::ok(500);
    });
    auto d = f.draft();
    d.retry.maxRetries = 0;
    d.retry.autoDisableAfter = 3;
    REQUIRE_WEBHOOK(w, f.create(d));
    QStringList ids;
    for (int i = 0; i < 5; ++i) {
        ids << f.emitFor(w.id);
        f.clock().advance(1); // distinct creation times: sent in this order
    }
    auto &engine = f.start(EngineFixture::serialOptions());
    QSignalSpy deactivated(&engine, &DeliveryEngine::webhookDeactivated);
    QVERIFY(f.finish(ids, 8000));
    // All final: every request that was made has been recorded.
    QCOMPARE(receiver.count(), 3);
    const auto after = f.webhook(w.id);
    QVERIFY(!after.active);
    QVERIFY(!after.disabledReason.isEmpty());
    QVERIFY2(after.disabledReason.contains(QStringLiteral("3")), qPrintable(after.disabledReason));
    QVERIFY(after.disabledAt.isValid());
    QTRY_COMPARE_WITH_TIMEOUT(deactivated.count(), 1, 2000);
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
    QVERIFY(!later.isEmpty());
    QVERIFY(f.deliveryId(later, w.id).isEmpty());
    QCOMPARE(deactivated.count(), 1);
}

void TestEngine::autoDisableStopsQueuedDeliveriesAtOnce()
{
    // Same as above without the pause: one worker, one request at a time, five
    // deliveries queued. Once the third has failed the webhook is inactive, so
    // the fourth and fifth must not be sent.
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setDefaultReply(ScriptedReply::ok(500));
    auto d = f.draft();
    d.retry.maxRetries = 0;
    d.retry.autoDisableAfter = 3;
    REQUIRE_WEBHOOK(w, f.create(d));
    QStringList ids;
    for (int i = 0; i < 5; ++i) {
        ids << f.emitFor(w.id);
        f.clock().advance(1);
    }
    f.start(EngineFixture::serialOptions());
    QVERIFY(f.finish(ids, 8000));
    QVERIFY(!f.webhook(w.id).active);
    QVERIFY2(f.receiver().count() == 3,
             qPrintable(QStringLiteral("%1 requests reached the receiver; the webhook was deactivated after the 3rd").arg(f.receiver().count())));
}

void TestEngine::successResetsFailureCount()
{
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setScript({ScriptedReply::ok(500), ScriptedReply::ok(500), ScriptedReply::ok(200), ScriptedReply::ok(500), ScriptedReply::ok(500)});
    auto d = f.draft();
    d.retry.maxRetries = 0;
    d.retry.autoDisableAfter = 3;
    REQUIRE_WEBHOOK(w, f.create(d));
    QStringList ids;
    for (int i = 0; i < 5; ++i) {
        ids << f.emitFor(w.id);
        f.clock().advance(1);
    }
    f.start(EngineFixture::serialOptions());
    QVERIFY(f.finish(ids, 8000));
    QCOMPARE(f.receiver().count(), 5);
    const auto after = f.webhook(w.id);
    QVERIFY(after.active);
    QVERIFY(after.disabledReason.isEmpty());
    QCOMPARE(after.consecutiveFailures, 2);
}

// ---------------------------------------------------------------------------
// Schedules and jitter

void TestEngine::schedule()
{
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setDefaultReply(ScriptedReply::ok(500));
    auto d = f.draft();
    d.retry.schedule = {0.1, 0.3};
    d.retry.maxRetries = 2;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(f.receiver().count(), 3);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(gapMs(rows, 0, 1), 100);
    QCOMPARE(gapMs(rows, 1, 2), 300);
}

void TestEngine::jitter()
{
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setDefaultReply(ScriptedReply::ok(500));
    auto d = f.draft();
    d.retry.retryDelaySeconds = 0.2;
    d.retry.jitter = 0.5;
    d.retry.maxRetries = 4;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.receiver().count(), 5);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 5);
    for (int i = 0; i < 4; ++i) {
        const auto g = gapMs(rows, i, i + 1);
        QVERIFY2(g >= 100 && g <= 300, qPrintable(QStringLiteral("gap %1: %2 ms, outside 0.1..0.3 s").arg(i).arg(g)));
    }
}

// ---------------------------------------------------------------------------
// What an attempt stores

void TestEngine::responseStored()
{
    EngineFixture f;
    QVERIFY(f.ok());
    QByteArray big(100 * 1024, 'x');
    for (int i = 0; i < big.size(); i += 1000)
        big[i] = char('a' + (i / 1000) % 26);
    // The first answer takes 150 ms by the clock.
    f.receiver().setResponder([&f, big](const ReceivedRequest &r) {
        if (r.index > 0)
            return ScriptedReply::ok(202, "small body");
        f.clock().advance(150);
        auto reply = ScriptedReply::ok(201, big);
        reply.headers = {{"X-Receiver", "yes"}, {"Content-Type", "text/html"}};
        return reply;
    });
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    const auto bigId = f.emitFor(w.id);
    const auto started = Clock::now();
    f.start(EngineFixture::serialOptions());
    QVERIFY(f.finish(bigId));
    const auto smallId = f.emitFor(w.id);
    QVERIFY(f.finish(smallId));

    const auto rows = f.attempts(bigId);
    QCOMPARE(rows.size(), 1);
    const auto &a = rows[0];
    QCOMPARE(a.responseStatus, std::optional<int>(201));
    QCOMPARE(a.responseBody.size(), 64 * 1024);
    QCOMPARE(a.responseBody, big.left(64 * 1024));
    const auto headers = QJsonDocument::fromJson(a.responseHeaders).array();
    bool sawReceiver = false;
    for (const auto &h : headers)
        sawReceiver = sawReceiver
                      || (h.toArray().at(0).toString().compare(u"X-Receiver", Qt::CaseInsensitive) == 0 && h.toArray().at(1).toString() == u"yes");
    QVERIFY2(sawReceiver, a.responseHeaders.constData());
    QCOMPARE(a.durationMs, 150);
    QCOMPARE(a.startedAt, started);
    // A success, with what was cut noted.
    QCOMPARE(a.error, u"response body of 102400 bytes: the first 64 KB are kept"_s);
    const auto del = f.delivery(bigId);
    QCOMPARE(del->lastStatusCode, std::optional<int>(201));
    QCOMPARE(del->lastDurationMs, std::optional<qint64>(150));

    const auto small = f.attempts(smallId);
    QCOMPARE(small.size(), 1);
    QCOMPARE(small[0].responseBody, QByteArray("small body"));
    QCOMPARE(small[0].responseStatus, std::optional<int>(202));
    QCOMPARE(small[0].durationMs, 0);
}

// clang-format off
void TestEngine::oversizedResponseAborted_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("bodyBytes");
    QTest::addColumn<qint64>("declared"); // -1: the body's size
    QTest::addColumn<int>("expected");    // a DeliveryStatus
    QTest::addColumn<QString>("note");
    QTest::addColumn<bool>("paused");     // the head first, then the body a byte every 20 ms
    // A 2xx is a success whatever its body: never sent again.
    QTest::newRow("200, 9 MB") << 200 << 9 * 1024 * 1024 << qint64(-1) << int(DeliveryStatus::Succeeded)
                               << u"response body over 8 MB: reading stopped there"_s << false;
    QTest::newRow("500, 9 MB") << 500 << 9 * 1024 * 1024 << qint64(-1) << int(DeliveryStatus::Failed)
                               << u"HTTP 500; response body over 8 MB"_s << false;
    QTest::newRow("200, 100 KB") << 200 << 100 * 1024 << qint64(-1) << int(DeliveryStatus::Succeeded)
                                 << u"response body of 102400 bytes: the first 64 KB are kept"_s << false;
    QTest::newRow("200, cut short") << 200 << 1000 << qint64(100000) << int(DeliveryStatus::Succeeded)
                                    << u"the response ended after 1000 of its declared 100000 bytes"_s << false;
    QTest::newRow("200, cut short after its head") << 200 << 10 << qint64(1000) << int(DeliveryStatus::Succeeded)
                                                   << u"the response ended after 10 of its declared 1000 bytes"_s << true;
    QTest::newRow("200, small") << 200 << 10 << qint64(-1) << int(DeliveryStatus::Succeeded) << QString() << false;
}
// clang-format on

void TestEngine::oversizedResponseAborted()
{
    QFETCH(int, status);
    QFETCH(int, bodyBytes);
    QFETCH(qint64, declared);
    QFETCH(int, expected);
    QFETCH(QString, note);
    QFETCH(bool, paused);
    EngineFixture f;
    QVERIFY(f.ok());
    auto reply = paused ? ScriptedReply::trickle(QByteArray(bodyBytes, 'y'), 20) : ScriptedReply::ok(status, QByteArray(bodyBytes, 'y'));
    reply.declaredLength = declared;
    f.receiver().setDefaultReply(reply);
    auto d = f.draft();
    d.retry.maxRetries = 0;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id, 8000));
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    // Qt 6.4 sends the POST again on its own when the connection closes
    // before the declared body arrived, then reports "Connection closed"
    // without the status, but only when head, body and close come in one
    // read: the attempt then reads as failed and the receiver got it twice
    // (Qt never hands that head over). Not handled. When the head came first
    // (a receiver that dies mid-body), Qt keeps the status and the answer
    // stands, with the note.
    if (declared > bodyBytes && !paused)
        QEXPECT_FAIL("", "Qt re-sends a POST whose answer was cut short in one read, and drops its status", Abort);
    QVERIFY2(f.status(id) == DeliveryStatus(expected), qPrintable(rows[0].error + u" / requests: "_s + QString::number(f.receiver().count())));
    QCOMPARE(rows[0].responseStatus, std::optional<int>(status));
    if (note.isEmpty())
        QVERIFY2(rows[0].error.isEmpty(), qPrintable(rows[0].error));
    else
        QVERIFY2(rows[0].error.startsWith(note), qPrintable(rows[0].error));
    QCOMPARE(rows[0].responseBody.size(), std::min(bodyBytes, 64 * 1024));
    QCOMPARE(f.receiver().count(), 1);
}

// ---------------------------------------------------------------------------
// Transformations

void TestEngine::transformation()
{
    EngineFixture f;
    QVERIFY(f.ok());
    auto d = f.draft();
    d.transform = QStringLiteral("return {...payload, custom_field: 'value'}");
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto eventId = f.emitEvent(QStringLiteral("lead.updated"), QByteArrayLiteral(R"({"b":1,"a":{"z":true,"y":[1,2.0]}})"));
    const auto id = f.deliveryId(eventId, w.id);
    f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(f.receiver().count(), 1);
    auto expected = f.eventBody(eventId);
    expected.chop(1);
    expected += ",\"custom_field\":\"value\"}";
    const auto r = f.receiver().request(0);
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
    // The script's limit is real time (Transformer's watchdog), whatever the clock.
    EngineFixture f;
    QVERIFY(f.ok());
    auto d = f.draft();
    d.transform = QStringLiteral("while (true) {}");
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(f.delivery(id)->attempts, 1); // no retry: the script fails the same way every time
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QVERIFY2(rows[0].error.contains(QStringLiteral("time limit")), qPrintable(rows[0].error));
    QCOMPARE(f.receiver().count(), 0);
}

void TestEngine::transformationOversized()
{
    // A script whose result is over the 1 MB body limit gives the same result
    // every time: like any other transformation failure, it must not be retried.
    EngineFixture f;
    QVERIFY(f.ok());
    auto d = f.draft();
    d.transform = QStringLiteral("return {big: 'x'.repeat(1100000)};");
    d.retry.maxRetries = 2;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.receiver().count(), 0);
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
    EngineFixture f;
    QVERIFY(f.ok());
    // Written while private addresses were allowed, then the setting goes off.
    REQUIRE_WEBHOOK(w, f.create(EngineFixture::draftFor(QStringLiteral("http://%1:%2/hook").arg(host).arg(f.receiver().port()))));
    QVERIFY(f.setting("allowPrivateAddresses", "false"));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.receiver().count(), 0);
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
    EngineFixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting("allowPrivateAddresses", "false"));
    const auto r = f.create(EngineFixture::draftFor(url));
    QVERIFY2(!r, qPrintable(QStringLiteral("created %1").arg(url)));
    QCOMPARE(r.error().code, Error::Code::Validation);
    QCOMPARE(r.error().field, QStringLiteral("url"));
    QVERIFY2(r.error().message.contains(QStringLiteral("server-side request forgery")), qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(QStringLiteral("allowPrivateAddresses")), qPrintable(r.error().message));
}

void TestEngine::insecureUrlRefused()
{
    EngineFixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    QVERIFY(f.setting("allowInsecureUrls", "false"));
    // At creation: refused with a clear message.
    const auto refused = f.create(f.draft(QStringLiteral("/other")));
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(QStringLiteral("https://")), qPrintable(refused.error().message));
    QVERIFY2(refused.error().message.contains(QStringLiteral("allowInsecureUrls")), qPrintable(refused.error().message));
    // At delivery: an http:// webhook written earlier is not sent to.
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.receiver().count(), 0);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QVERIFY2(rows[0].error.startsWith(QStringLiteral("refused")), qPrintable(rows[0].error));
    QVERIFY2(rows[0].error.contains(QStringLiteral("http://")), qPrintable(rows[0].error));
}

// ---------------------------------------------------------------------------
// Retention, leases, replay, test pings, stopping

void TestEngine::retention_data()
{
    QTest::addColumn<bool>("perWebhook");
    QTest::newRow("webhook retention 5") << true;
    QTest::newRow("installation retention 5") << false;
}

void TestEngine::retention()
{
    QFETCH(bool, perWebhook);
    EngineFixture f;
    QVERIFY(f.ok());
    auto d = f.draft(QStringLiteral("/kept5"));
    if (perWebhook)
        d.retention = 5;
    else
        QVERIFY(f.setting("retention", "5"));
    REQUIRE_WEBHOOK(w, f.create(d));
    // A second webhook shares the lead.updated events and keeps 1000.
    auto other = f.draft(QStringLiteral("/other"));
    other.events = {QStringLiteral("lead.updated")};
    other.retention = 1000;
    REQUIRE_WEBHOOK(o, f.create(other));

    QStringList events;
    QStringList ids;
    for (int i = 0; i < 20; ++i) {
        events << f.emitEvent(i % 2 ? QStringLiteral("lead.updated") : QStringLiteral("lead.created"),
                              QByteArrayLiteral(R"({"i":)") + QByteArray::number(i) + '}');
        ids << f.deliveryId(events.constLast(), w.id);
        f.clock().advance(1); // distinct creation times
    }
    const auto engineOptions = EngineFixture::fastOptions();
    f.start(engineOptions);
    QTRY_COMPARE_WITH_TIMEOUT(f.receiver().count(), 30, 8000);
    const QString unfinishedSql = QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status NOT IN ('succeeded', 'failed')");
    QTRY_COMPARE_WITH_TIMEOUT(f.scalar(unfinishedSql), 0, 5000);
    // A pruning round comes at most every pruneIntervalMs: what finished
    // after the first round waits for the next.
    f.clock().advance(engineOptions.pruneIntervalMs);
    const QString countSql = QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE webhook_id = ?");
    QTRY_COMPARE_WITH_TIMEOUT(f.scalar(countSql, {w.id}), 5, 5000);
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

    // The next round keeps the newest five again: one more in, the oldest kept one out.
    const auto newest = f.emitFor(w.id);
    f.clock().advance(engineOptions.pruneIntervalMs);
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(newest), 5000);
    f.clock().advance(engineOptions.pruneIntervalMs);
    QTRY_VERIFY_WITH_TIMEOUT(!f.delivery(ids[15]), 5000);
    QCOMPARE(f.scalar(countSql, {w.id}), 5);
    QCOMPARE(f.scalar(countSql, {o.id}), 10);
    for (int i = 16; i < 20; ++i)
        QVERIFY(f.delivery(ids[i]));
}

void TestEngine::retentionRoomAtTheBoundary_data()
{
    QTest::addColumn<int>("total");
    QTest::addColumn<int>("keep");
    QTest::addColumn<int>("removed");
    QTest::addColumn<int>("room");
    QTest::newRow("under: counted, no cut-off") << 3 << 5 << 0 << 2;
    QTest::newRow("one under") << 4 << 5 << 0 << 1;
    QTest::newRow("exactly at it") << 5 << 5 << 0 << 0;
    QTest::newRow("one over") << 6 << 5 << 1 << 0;
    QTest::newRow("over") << 9 << 5 << 4 << 0;
}

void TestEngine::retentionRoomAtTheBoundary()
{
    // The keeper's measure of a webhook: what goes beyond `keep` (oldest
    // first), and otherwise how many more it may finish before any would.
    QFETCH(int, total);
    QFETCH(int, keep);
    QFETCH(int, removed);
    QFETCH(int, room);
    EngineFixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    QStringList ids;
    for (int i = 0; i < total; ++i) {
        ids << f.emitFor(w.id);
        f.clock().advance(1); // distinct creation times: the oldest are the first
    }
    QVERIFY(sql::exec(f.conn(), QStringLiteral("UPDATE deliveries SET status = 'succeeded'"), u"finishing them"));
    sql::Transaction tx(f.conn());
    QVERIFY(tx.begin());
    auto pruned = DeliveryQueue(f.conn()).pruneWebhook(w.id, keep, 1000);
    QVERIFY2(pruned, qPrintable(pruned ? QString() : pruned.error().message));
    QVERIFY(tx.commit());
    QCOMPARE(pruned->removed, removed);
    QCOMPARE(pruned->room, room);
    for (int i = 0; i < total; ++i)
        QCOMPARE(f.delivery(ids[i]).has_value(), i >= removed);
}

void TestEngine::loweredRetentionAppliesAtOnce()
{
    // The keeper skips a webhook whose room (measured against the retention
    // of the time) holds what it finished since. A lower installation
    // retention makes every room it measured wrong: the next finished
    // delivery must prune to the new one, not a recheck interval later.
    EngineFixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting("retention", "1000"));
    REQUIRE_WEBHOOK(w, f.create(f.draft(QStringLiteral("/lowered"))));
    for (int i = 0; i < 10; ++i) {
        f.emitFor(w.id);
        f.clock().advance(1);
    }
    auto options = EngineFixture::fastOptions();
    options.settingsRefreshMs = 1000; // well inside the 5 s after which a room is measured again anyway
    f.start(options);
    const QString countSql = QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE webhook_id = ?");
    const QString finishedSql = QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE webhook_id = ? AND status = 'succeeded'");
    // Its room was measured at start (1000), and holds the ten finished since.
    QTRY_COMPARE_WITH_TIMEOUT(f.scalar(finishedSql, {w.id}), 10, 8000);
    f.clock().advance(options.pruneIntervalMs);
    QCOMPARE(f.scalar(countSql, {w.id}), 10);

    QVERIFY(f.setting("retention", "3"));
    f.clock().advance(options.settingsRefreshMs);
    const auto newest = f.emitFor(w.id);
    QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(newest), 5000);
    f.clock().advance(options.pruneIntervalMs);
    QTRY_COMPARE_WITH_TIMEOUT(f.scalar(countSql, {w.id}), 3, 5000);
    QVERIFY(f.delivery(newest));
}

void TestEngine::retentionHoldsUnderSustainedLoad()
{
    // Waves of events while the engine runs: a webhook never holds more than
    // its retention and the wave since, and each pruning round brings it back
    // to its retention; so does the stop.
    constexpr int kKeep = 20;
    constexpr int kWave = 30;
    EngineFixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting("retention", "20"));
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    const auto options = EngineFixture::fastOptions();
    auto &engine = f.start(options);
    const QString countSql = QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE webhook_id = ?");
    int most = 0;
    for (int wave = 0; wave < 10; ++wave) {
        QStringList ids;
        for (int i = 0; i < kWave; ++i) {
            ids << f.emitFor(w.id);
            f.clock().advance(1); // distinct creation times
        }
        QVERIFY(f.finish(ids, 8000));
        most = std::max(most, f.scalar(countSql, {w.id}));
        f.clock().advance(options.pruneIntervalMs); // a pruning round is due
        QTRY_COMPARE_WITH_TIMEOUT(f.scalar(countSql, {w.id}), kKeep, 5000);
    }
    QVERIFY2(most <= kKeep + kWave, qPrintable(QString::number(most)));
    qInfo("at most %d deliveries kept between rounds (retention %d, waves of %d)", most, kKeep, kWave);
    // One more wave and no round before the stop: the stop prunes.
    QStringList last;
    for (int i = 0; i < kWave; ++i) {
        last << f.emitFor(w.id);
        f.clock().advance(1);
    }
    QVERIFY(f.finish(last, 8000));
    QCOMPARE(f.scalar(countSql, {w.id}), kKeep + kWave);
    engine.stopAndWait();
    QCOMPARE(f.scalar(countSql, {w.id}), kKeep);
    QCOMPARE(f.scalar(QStringLiteral("SELECT COUNT(*) FROM events")), kKeep);
    QCOMPARE(f.scalar(QStringLiteral("SELECT COUNT(*) FROM attempts")), kKeep);
}

void TestEngine::expiredLeaseIsTakenBack()
{
    // A delivery claimed by an engine in another process that then died: its
    // lease must run out before anyone sends it again, and then it goes out.
    EngineFixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    auto probeDraft = f.draft(QStringLiteral("/probe"));
    probeDraft.events = {QStringLiteral("deal.won")};
    REQUIRE_WEBHOOK(probe, f.create(probeDraft));
    const auto id = f.emitFor(w.id);
    const auto leaseUntil = Clock::now().addSecs(70);
    {
        sql::Transaction tx(f.conn());
        QVERIFY(tx.begin());
        auto claimed = DeliveryQueue(f.conn()).claim(10, Clock::now(), leaseUntil);
        QVERIFY(claimed);
        QCOMPARE(claimed->size(), 1);
        QVERIFY(tx.commit());
    }
    f.start(EngineFixture::serialOptions());

    // Until the lease's last millisecond, the engine leaves it alone; a
    // probe shows that it has looked meanwhile.
    f.clock().advanceTo(leaseUntil);
    const auto probeId = f.deliveryId(f.emitEvent(QStringLiteral("deal.won")), probe.id);
    QVERIFY(f.finish(probeId));
    QCOMPARE(f.status(id), DeliveryStatus::Delivering);
    QCOMPARE(f.receiver().count("/hook"), 0);

    // The keeper looks for run-out leases every 5 s (by the clock).
    f.clock().advanceSecs(5);
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(f.receiver().count("/hook"), 1);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].startedAt, leaseUntil.addSecs(5));
}

void TestEngine::replay()
{
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    receiver.setScript({ScriptedReply::ok(400)});
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    const auto eventId = f.emitEvent();
    const auto id = f.deliveryId(eventId, w.id);
    auto &engine = f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(f.delivery(id)->attempts, 1);

    {
        sql::Transaction tx(f.conn());
        QVERIFY(tx.begin());
        auto n = DeliveryQueue(f.conn()).replay({id}, Clock::now());
        QVERIFY(n);
        QCOMPARE(*n, 1);
        QVERIFY(tx.commit());
    }
    engine.wake();
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
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
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setDefaultReply(ScriptedReply::ok(500));
    auto d = f.draft();
    d.retry.maxRetries = 1;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    auto &engine = f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.delivery(id)->attempts, 2);
    {
        sql::Transaction tx(f.conn());
        QVERIFY(tx.begin());
        QCOMPARE(*DeliveryQueue(f.conn()).replay({id}, Clock::now()), 1);
        QVERIFY(tx.commit());
    }
    engine.wake();
    // A full round again: the first attempt and its one retry.
    QVERIFY(f.finish(id));
    QCOMPARE(f.delivery(id)->attempts, 4);
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    QCOMPARE(f.receiver().count(), 4);
}

void TestEngine::testPing()
{
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    receiver.setScript({ScriptedReply::ok(200), ScriptedReply::ok(500)});
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    const auto pending = f.emitFor(w.id);
    QVERIFY(!pending.isEmpty());

    const QByteArray data = R"({"test":true,"message":"This is a test webhook delivery","timestamp":"2026-01-01T10:00:00.000Z"})";
    auto ping = EventService(f.conn()).emitTo(w.id, EventType::testEventName(), data);
    QVERIFY(ping);
    QCOMPARE(ping->deliveries, 1);
    const auto pingId = f.deliveryId(ping->eventId, w.id);

    auto options = EngineFixture::fastOptions();
    options.workers = 1;
    options.claimDueDeliveries = false;
    auto &engine = f.start(options);
    QSignalSpy updated(&engine, &DeliveryEngine::deliveriesUpdated);
    engine.deliverNow(pingId);
    QVERIFY(f.finish(pingId));
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

    // A failing ping ends failed at once, with no retry and no mark on the
    // webhook's health. It goes through the keeper and the worker after
    // everything before it: when it is back, the queue has been left alone.
    auto ping2 = EventService(f.conn()).emitTo(w.id, EventType::testEventName(), data);
    QVERIFY(ping2);
    const auto ping2Id = f.deliveryId(ping2->eventId, w.id);
    f.clock().advanceSecs(3600); // however long it runs, this engine sends only what it is asked to
    engine.deliverNow(ping2Id);
    QVERIFY(f.finish(ping2Id));
    QCOMPARE(f.status(ping2Id), DeliveryStatus::Failed);
    QCOMPARE(f.delivery(ping2Id)->attempts, 1);
    QCOMPARE(receiver.count(), 2);
    QCOMPARE(f.webhook(w.id).consecutiveFailures, 0);
    QVERIFY(f.webhook(w.id).active);
    QCOMPARE(f.status(pending), DeliveryStatus::Pending);
}

void TestEngine::stopHandsBack()
{
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    receiver.setDefaultReply(ScriptedReply::hang());
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    QStringList ids;
    for (int i = 0; i < 3; ++i)
        ids << f.emitFor(w.id);
    auto options = EngineFixture::fastOptions();
    options.drainTimeoutMs = 500; // real time: how long a stopping process waits
    auto &engine = f.start(options);
    // A receiver the engine does not know yet gets FlowControl::kInitialWindow
    // requests at once; the third waits in the queue, unclaimed.
    QTRY_COMPARE_WITH_TIMEOUT(receiver.count(), FlowControl::kInitialWindow, 5000);
    QCOMPARE(f.scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'delivering'")), FlowControl::kInitialWindow);
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
    f.start();
    QVERIFY(f.finish(ids));
    for (const auto &id : ids)
        QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(receiver.count(), FlowControl::kInitialWindow + 3);
}

void TestEngine::pauseHandsBackClaimedAhead()
{
    // A worker keeps more deliveries claimed than it has in flight (the
    // keeper claims ahead). Paused, it must give those back at once, send
    // nothing new, and let the request on the wire finish.
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    // The first two answers take 400 ms (real time): the pause lands while one is on the wire.
    receiver.setResponder([](const ReceivedRequest &r) { return r.index < 2 ? ScriptedReply::delayed(400, 200) : ScriptedReply::ok(200); });
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    QStringList ids;
    for (int i = 0; i < 6; ++i) {
        ids << f.emitFor(w.id);
        f.clock().advance(1);
    }
    auto &engine = f.start(EngineFixture::serialOptions());
    QTRY_COMPARE_WITH_TIMEOUT(receiver.count(), 1, 5000);
    const QString deliveringSql = QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'delivering'");
    QTRY_VERIFY_WITH_TIMEOUT(f.scalar(deliveringSql) > 1, 2000);
    engine.setPaused(true);
    // The request on the wire finishes; the ones claimed ahead go back.
    QTRY_COMPARE_WITH_TIMEOUT(f.scalar(deliveringSql), 0, 3000);
    // Paused, nothing new goes out, even when the clock moves on (the keeper
    // looks for due work at once then). A test ping, which a paused engine
    // still sends, passes the keeper and the worker behind that look: when
    // it is back, anything sent meanwhile has reached the receiver.
    f.clock().advanceSecs(60);
    auto ping = EventService(f.conn()).emitTo(w.id, EventType::testEventName(), "{}");
    QVERIFY(ping);
    const auto pingId = ping->deliveryIds.value(0);
    engine.deliverNow(pingId);
    QVERIFY(f.finish(pingId));
    QCOMPARE(countEvent(receiver, "webhook.test"), 1);
    const int sent = countEvent(receiver, "lead.created");
    QVERIFY2(sent <= 2, qPrintable(QStringLiteral("%1 requests while paused").arg(sent)));
    QCOMPARE(f.scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'succeeded' AND event_type = 'lead.created'")), sent);
    QCOMPARE(f.scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND lease_until IS NULL")), 6 - sent);
    engine.setPaused(false);
    QVERIFY(f.finish(ids, 8000));
    for (const auto &id : ids)
        QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(countEvent(receiver, "lead.created"), 6);
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
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    receiver.setResponder(
        [](const ReceivedRequest &r) { return r.path.startsWith("/gone") ? ScriptedReply::ok(410, "gone") : ScriptedReply::ok(500, "down"); });
    const QString apiKey = QStringLiteral("Bearer api-key-that-must-not-leak-0123456789");
    auto d = f.draft(QStringLiteral("/hook"), Scheme::Stripe);
    d.secret = QStringLiteral("whsec_stripe_secret_that_must_not_leak");
    d.headers = {{QStringLiteral("Authorization"), apiKey}};
    d.retry.maxRetries = 1;
    d.retry.retryDelaySeconds = 0.05;
    REQUIRE_WEBHOOK(w, f.create(d));
    REQUIRE_WEBHOOK(gone, f.create(f.draft(QStringLiteral("/gone"))));
    const auto eventId = f.emitEvent();
    const auto id = f.deliveryId(eventId, w.id);
    const auto goneId = f.deliveryId(eventId, gone.id);

    g_logged.clear();
    Log::enableDebug();
    const auto previous = qInstallMessageHandler(captureLog);
    f.start();
    QVERIFY(f.finish({id, goneId}, 10000));
    f.engine()->stopAndWait();
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
// the next requests once settingsRefreshMs has passed, without a restart.
void TestEngine::settingsChangesReachRunningEngine()
{
    EngineFixture f;
    QVERIFY(f.ok());
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    const auto first = f.emitFor(w.id);
    const auto options = EngineFixture::fastOptions();
    f.start(options);
    QVERIFY(f.finish(first));
    QCOMPARE(f.receiver().request(0).header("X-Webhook-Event"), QByteArray("lead.created"));

    QVERIFY(Settings(f.conn()).setValue(QString::fromLatin1(Settings::kHeaderPrefix), QStringLiteral("X-Changed")));
    f.clock().advance(options.settingsRefreshMs);
    const auto second = f.emitFor(w.id);
    QVERIFY(f.finish(second));
    QCOMPARE(f.receiver().count(), 2);
    QCOMPARE(f.receiver().request(1).header("X-Changed-Event"), QByteArray("lead.created"));
    QVERIFY(!f.receiver().request(1).hasHeader("X-Webhook-Event"));
}

// The attempt an administrator reads: which address was connected to, the
// steps of the request in milliseconds, and what happens next, in words.
void TestEngine::attemptTellsAddressTimingsAndWhatFollows_data()
{
    QTest::addColumn<QList<int>>("answers");    // one status per attempt, in order
    QTest::addColumn<QStringList>("decisions"); // how each attempt's decision starts
    // clang-format off
    QTest::newRow("retried, then delivered") << QList<int>{503, 200}
        << QStringList{u"retry 1 of 2 at "_s, u"delivered"_s};
    QTest::newRow("retries used up")         << QList<int>{500, 502, 504}
        << QStringList{u"retry 1 of 2 at "_s, u"retry 2 of 2 at "_s, u"given up: the 2 retries of its policy are used"_s};
    QTest::newRow("not retried")             << QList<int>{404}
        << QStringList{u"given up: HTTP 404 is not retried"_s};
    QTest::newRow("redirect")                << QList<int>{301}
        << QStringList{u"given up: redirects are never followed (HTTP 301)"_s};
    QTest::newRow("gone")                    << QList<int>{410}
        << QStringList{u"given up: 410 Gone"_s};
    // clang-format on
}

void TestEngine::attemptTellsAddressTimingsAndWhatFollows()
{
    QFETCH(QList<int>, answers);
    QFETCH(QStringList, decisions);
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setResponder([answers](const ReceivedRequest &r) { return ScriptedReply::ok(answers.value(r.index, 200)); });
    auto d = f.draft();
    d.retry.maxRetries = 2;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start(EngineFixture::serialOptions());
    QVERIFY(f.finish(id, 8000));
    const auto attempts = f.attempts(id);
    QCOMPARE(attempts.size(), decisions.size());
    const auto address = u"127.0.0.1:%1"_s.arg(f.receiver().port());
    for (qsizetype i = 0; i < attempts.size(); ++i) {
        const auto &a = attempts[i];
        QCOMPARE(a.remoteAddress, address);
        QVERIFY2(a.decision.startsWith(decisions[i]), qPrintable(a.decision));
        const auto timings = QJsonDocument::fromJson(a.timings).object();
        for (const auto *step : {"dns", "firstByte", "total"})
            QVERIFY2(timings.value(QLatin1StringView(step)).isDouble(),
                     qPrintable(QString::fromUtf8(a.timings) + u" lacks "_s + QLatin1StringView(step)));
        QVERIFY(!timings.contains(u"tls"_s)); // plain HTTP
        QCOMPARE(timings.value(u"total"_s).toInteger(), a.durationMs);
    }
    // The first attempt opened the connection; a retry on a kept-alive one does not say "connect".
    QVERIFY2(QJsonDocument::fromJson(attempts[0].timings).object().contains(u"connect"_s), attempts[0].timings.constData());
    if (decisions[0].startsWith(u"retry"_s))
        QVERIFY2(attempts[0].decision.contains(u"in 0.05 s: fixed delay of 0.05 s"_s), qPrintable(attempts[0].decision));
}

void TestEngine::headersRecordedAsJson_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("plain") << QByteArray("Content-Type") << QByteArray("application/json");
    QTest::newRow("empty value") << QByteArray("X-Empty") << QByteArray("");
    QTest::newRow("quote and backslash") << QByteArray("X-Odd") << QByteArray(R"(say "hi" \ there)");
    QTest::newRow("tab and control") << QByteArray("X-Ctl")
                                     << QByteArray("a\tb\x01"
                                                   "c");
    QTest::newRow("delete") << QByteArray("X-Del") << QByteArray("a\x7f");
    QTest::newRow("UTF-8") << QByteArray("X-Name")
                           << QByteArray("Gr\xc3\xb6\xc3\x9f"
                                         "e \xe2\x9c\x93");
    QTest::newRow("not UTF-8") << QByteArray("X-Latin1") << QByteArray("caf\xe9");
}

void TestEngine::headersRecordedAsJson()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    const HeaderList headers{{QByteArrayLiteral("User-Agent"), RequestBuilder::userAgent()}, {name, value}};
    const QByteArray json = RequestBuilder::headersToJson(headers);
    // What JSON.stringify makes of the header read as UTF-8 (invalid bytes
    // become U+FFFD), in pairs.
    QByteArray expected = "[";
    for (const auto &[n, v] : headers) {
        if (expected.size() > 1)
            expected += ',';
        expected += '[' + CanonicalJson::quote(QString::fromUtf8(n)) + ',' + CanonicalJson::quote(QString::fromUtf8(v)) + ']';
    }
    expected += ']';
    QCOMPARE(json, expected);
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc.array().at(1).toArray().at(0).toString(), QString::fromUtf8(name));
    QCOMPARE(doc.array().at(1).toArray().at(1).toString(), QString::fromUtf8(value));
}

QTEST_MAIN(TestEngine)
#include "tst_engine.moc"
