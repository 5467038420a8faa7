// One engine, many receivers: each webhook and each host within its limit
// (counted at the receiver), a receiver that never answers holding only its
// own small share, and the slow lane entered and left.
#include "EngineFixture.h"
#include "TestReceiver.h"

#include "engine/DeliveryEngine.h"
#include "engine/FlowControl.h"

#include <QSignalSpy>
#include <QTest>

using namespace hookline;
using namespace hookline::test;
using namespace Qt::StringLiterals;

namespace {
constexpr int kAnswerMs = 100;

// Emits `n` events that every webhook subscribes to; their deliveries, per webhook.
QHash<QString, QStringList> emitMany(EngineFixture &f, const QStringList &webhookIds, int n)
{
    QHash<QString, QStringList> ids;
    for (int i = 0; i < n; ++i) {
        const auto event = f.emitEvent();
        for (const auto &w : webhookIds)
            ids[w] << f.deliveryId(event, w);
    }
    return ids;
}

QStringList all(const QHash<QString, QStringList> &ids)
{
    QStringList out;
    for (const auto &list : ids)
        out += list;
    return out;
}

EngineOptions roomyOptions()
{
    auto o = EngineFixture::fastOptions();
    o.workers = 2;
    o.concurrency = 8; // more than any limit below: the limits, not the slots, must hold
    return o;
}
} // namespace

class TestFairness final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void limitHoldsAtTheReceiver_data();
    void limitHoldsAtTheReceiver();
    void hungReceiverHoldsOnlyItsShare_data();
    void hungReceiverHoldsOnlyItsShare();
    void slowLaneEnteredAndLeft();
    void unansweredRequestGivesItsSlotUp();
    void jobsThatCannotStartGoBackToTheQueue();
};

// clang-format off
void TestFairness::limitHoldsAtTheReceiver_data()
{
    QTest::addColumn<QString>("setting");      // installation setting to lower, or empty
    QTest::addColumn<int>("own");              // the webhooks' own limit, 0: none
    QTest::addColumn<int>("webhooks");         // on the same receiver
    QTest::addColumn<int>("expected");         // most requests open at once, all webhooks together
    QTest::newRow("the webhook's own limit") << QString() << 3 << 1 << 3;
    QTest::newRow("the installation's limit") << u"maxInFlightPerWebhook"_s << 0 << 1 << 3;
    QTest::newRow("two webhooks, each its own") << QString() << 2 << 2 << 4;
    QTest::newRow("two webhooks, one host limit") << u"maxInFlightPerHost"_s << 0 << 2 << 3;
}
// clang-format on

void TestFairness::limitHoldsAtTheReceiver()
{
    QFETCH(QString, setting);
    QFETCH(int, own);
    QFETCH(int, webhooks);
    QFETCH(int, expected);
    EngineFixture f;
    QVERIFY(f.ok());
    if (!setting.isEmpty())
        QVERIFY(f.setting(setting.toLatin1().constData(), "3"));
    f.receiver().setDefaultReply(ScriptedReply::delayed(kAnswerMs));
    QStringList webhookIds;
    for (int i = 0; i < webhooks; ++i) {
        auto draft = f.draft(u"/hook/%1"_s.arg(i));
        if (own)
            draft.maxInFlight = own;
        REQUIRE_WEBHOOK(w, f.create(draft));
        webhookIds << w.id;
    }
    const auto ids = all(emitMany(f, webhookIds, 12));
    f.start(roomyOptions());
    QVERIFY(f.finish(ids, 20000));
    for (const auto &id : std::as_const(ids))
        QCOMPARE(f.status(id), DeliveryStatus::Succeeded);
    QCOMPARE(f.receiver().count(), ids.size());
    // Reached, and never passed.
    QCOMPARE(f.receiver().maxConcurrent(), expected);
}

void TestFairness::hungReceiverHoldsOnlyItsShare_data()
{
    QTest::addColumn<bool>("sameHost");
    QTest::newRow("on the healthy webhook's host") << true;
    QTest::newRow("on a host of its own") << false;
}

void TestFairness::hungReceiverHoldsOnlyItsShare()
{
    QFETCH(bool, sameHost);
    EngineFixture f;
    QVERIFY(f.ok());
    TestReceiver other;
    QVERIFY(other.listen());
    other.setDefaultReply(ScriptedReply::hang());
    f.receiver().setResponder([](const ReceivedRequest &r) { return r.path == "/sick" ? ScriptedReply::hang() : ScriptedReply::ok(); });
    REQUIRE_WEBHOOK(sick, f.create(sameHost ? f.draft(u"/sick"_s) : EngineFixture::draftFor(other.url(u"/sick"_s))));
    REQUIRE_WEBHOOK(healthy, f.create(f.draft(u"/ok"_s)));
    // Both get every event, and the engine's one worker has four slots: a hung
    // request never gives its slot back (the fixture's clock does not run, so
    // nothing times out), so without flow control the sick webhook's requests
    // would soon hold all four.
    const auto ids = emitMany(f, {sick.id, healthy.id}, 30);
    const auto healthyIds = ids[healthy.id];
    auto options = EngineFixture::fastOptions();
    options.workers = 1;
    options.concurrency = 4;
    f.start(options);
    QVERIFY(f.finish(healthyIds, 10000));
    auto &sickReceiver = sameHost ? f.receiver() : other;
    QCOMPARE(sickReceiver.count("/sick"), FlowControl::kInitialWindow);
    QCOMPARE(f.scalar(u"SELECT COUNT(*) FROM deliveries WHERE webhook_id = ? AND status = 'delivering'"_s, QVariantList{sick.id}),
             FlowControl::kInitialWindow);
}

void TestFairness::slowLaneEnteredAndLeft()
{
    EngineFixture f;
    QVERIFY(f.ok());
    bool hang = true;
    f.receiver().setResponder([&hang](const ReceivedRequest &) { return hang ? ScriptedReply::hang() : ScriptedReply::ok(); });
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    const auto first = f.emitFor(w.id);
    auto &engine = f.start();
    QSignalSpy lanes(&engine, &DeliveryEngine::webhookLaneChanged);
    QTRY_COMPARE(f.receiver().count(), 1);

    // No answer past slowAnswerSeconds (2 s by default), well before the
    // 10 s deadline: the slow lane now, not when the request gives up.
    f.clock().advance(1500);
    QTest::qWait(200);
    QCOMPARE(lanes.count(), 0);
    f.clock().advance(1000);
    QTRY_COMPARE(lanes.count(), 1);
    QCOMPARE(lanes.at(0).at(0).toString(), w.id);
    QCOMPARE(lanes.at(0).at(1).toBool(), true);

    // In the slow lane, hanging: never more than its share at once.
    const auto more = emitMany(f, {w.id}, 6)[w.id];
    QTRY_COMPARE(f.receiver().count(), FlowControl::kSlowLaneShare);
    QTest::qWait(300);
    QCOMPARE(f.receiver().count(), FlowControl::kSlowLaneShare);

    // The receiver answers in time again: back to the normal lane.
    hang = false;
    f.clock().advance(10'000); // the hung ones time out and are retried
    f.clock().advance(60'000);
    QVERIFY(f.finish(more + QStringList{first}, 10000));
    QTRY_COMPARE(lanes.count(), 2);
    QCOMPARE(lanes.at(1).at(1).toBool(), false);
}

void TestFairness::unansweredRequestGivesItsSlotUp()
{
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setResponder([](const ReceivedRequest &r) { return r.path == "/sick" ? ScriptedReply::hang() : ScriptedReply::ok(); });
    REQUIRE_WEBHOOK(sick, f.create(f.draft(u"/sick"_s)));
    REQUIRE_WEBHOOK(healthy, f.create(f.draft(u"/ok"_s)));
    const auto ids = emitMany(f, {sick.id, healthy.id}, 5);
    // One slot: once the sick webhook's request has it, nothing else moves
    // until that request gives it up.
    auto options = EngineFixture::fastOptions();
    options.workers = 1;
    options.concurrency = 1;
    f.start(options);
    QTRY_COMPARE(f.receiver().count("/sick"), 1);
    QTest::qWait(200);
    QVERIFY(!f.isFinished(ids[healthy.id].last()));

    // Past slowAnswerSeconds (2 s) with no answer, well before the 10 s
    // deadline: each hung request frees its slot, and the keeper sends the
    // sick webhook nothing more (its share is in flight).
    for (int i = 0; i < 2 && !f.isFinished(ids[healthy.id].last()); ++i) {
        f.clock().advance(2100);
        QTest::qWait(300);
    }
    for (const auto &id : ids[healthy.id])
        QTRY_VERIFY2(f.isFinished(id), qPrintable(id));
    QCOMPARE(f.status(ids[healthy.id].last()), DeliveryStatus::Succeeded);
    QCOMPARE(f.receiver().count("/sick"), FlowControl::kSlowLaneShare);
}

void TestFairness::jobsThatCannotStartGoBackToTheQueue()
{
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setResponder([](const ReceivedRequest &r) { return r.path == "/sick" ? ScriptedReply::hang() : ScriptedReply::ok(); });
    auto sickDraft = f.draft(u"/sick"_s);
    sickDraft.maxInFlight = 1;
    REQUIRE_WEBHOOK(sick, f.create(sickDraft));
    // The sick webhook's delivery is due first, so the first claim starts
    // with it and the worker that gets it has healthy ones claimed behind it.
    QVERIFY(!f.emitFor(sick.id).isEmpty());
    REQUIRE_WEBHOOK(healthy, f.create(f.draft(u"/ok"_s)));
    constexpr int kHealthy = 20;
    const auto ids = emitMany(f, {healthy.id}, kHealthy);
    // Two workers of one slot each. The healthy jobs claimed behind the hung
    // request wait until the hold time (500 ms here), then go back, and the
    // other worker sends them. The clock moves less than the slow threshold
    // (2 s): the hung request keeps its slot throughout.
    auto options = EngineFixture::fastOptions();
    options.workers = 2;
    options.concurrency = 1;
    options.readyHoldMs = 500;
    f.start(options);
    QTRY_COMPARE(f.receiver().count("/sick"), 1);
    // The other worker sends all it can reach, then nothing moves.
    int sent = -1;
    for (int stable = 0; stable < 3; QTest::qWait(200)) {
        const int now = f.receiver().count("/ok");
        stable = now == sent ? stable + 1 : 0;
        sent = now;
    }
    QVERIFY2(sent < kHealthy, "nothing was claimed behind the hung request");
    f.clock().advance(600);
    for (const auto &id : ids[healthy.id])
        QTRY_VERIFY2(f.isFinished(id), qPrintable(id));
    QCOMPARE(f.receiver().count("/ok"), kHealthy);
    QCOMPARE(f.receiver().count("/sick"), 1);
}

QTEST_GUILESS_MAIN(TestFairness)
#include "tst_fairness.moc"
