// The engine's flow control: windows that open as a receiver answers and
// close when it times out, the slow lane, and the limits per webhook and per
// host that a claim plan respects.
#include "engine/FlowControl.h"

#include <QSet>
#include <QTest>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {
const QUrl kHostA(u"https://a.example/hook/1"_s);
const QUrl kHostA2(u"https://A.example:443/hook/2"_s); // the same host, other spelling
const QUrl kHostB(u"https://b.example/hook"_s);
constexpr qint64 kSlowMs = 2000;

// How many the plan lets this webhook take in one claim.
int takes(const FlowControl &flow, const QString &webhook, int tries = 1000)
{
    FlowControl::Plan plan(flow);
    int n = 0;
    while (n < tries && plan.take(webhook))
        ++n;
    return n;
}
} // namespace

class TestFlowControl final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void hostKey_data();
    void hostKey();
    void newWebhookStartsSmallAndOpensPerAnswer();
    void windowStopsAtTheLimit_data();
    void windowStopsAtTheLimit();
    void timeoutClosesToTheSlowShareUntilAnAnswer();
    void longWaitMovesToTheSlowLaneAtOnce();
    void slowAnswersGetAQuarter();
    void hostLimitCountsEveryWebhookOfTheHost();
    void planSharesOneClaimBetweenWebhooks();
    void closedListsWhatCannotTake();
    void releasedNeverGoesBelowZero();
    void deletedWebhooksAreForgotten();
};

void TestFlowControl::hostKey_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("key");
    QTest::newRow("https default port") << kHostA << u"https://a.example:443"_s;
    QTest::newRow("case and explicit port") << kHostA2 << u"https://a.example:443"_s;
    QTest::newRow("http default port") << QUrl(u"http://127.0.0.1/x"_s) << u"http://127.0.0.1:80"_s;
    QTest::newRow("other port, other pool") << QUrl(u"http://127.0.0.1:8080/x"_s) << u"http://127.0.0.1:8080"_s;
}

void TestFlowControl::hostKey()
{
    QFETCH(QUrl, url);
    QFETCH(QString, key);
    QCOMPARE(FlowControl::hostKey(url), key);
}

void TestFlowControl::newWebhookStartsSmallAndOpensPerAnswer()
{
    FlowControl flow;
    flow.setWebhook(u"w"_s, kHostA, std::nullopt);
    QCOMPARE(flow.window(u"w"_s), FlowControl::kInitialWindow);
    QCOMPARE(takes(flow, u"w"_s), FlowControl::kInitialWindow);
    for (int i = 0; i < 5; ++i)
        QVERIFY(!flow.answered(u"w"_s, 10, kSlowMs)); // in time: no lane change
    QCOMPARE(flow.window(u"w"_s), FlowControl::kInitialWindow + 5);
    QVERIFY(!flow.isSlow(u"w"_s));
}

void TestFlowControl::windowStopsAtTheLimit_data()
{
    QTest::addColumn<int>("installation");
    QTest::addColumn<int>("own"); // 0: none
    QTest::addColumn<int>("expected");
    QTest::newRow("installation default") << 8 << 0 << 8;
    QTest::newRow("the webhook's own, lower") << 8 << 3 << 3;
    QTest::newRow("the webhook's own, higher") << 8 << 20 << 20;
    QTest::newRow("a limit of one") << 8 << 1 << 1;
}

void TestFlowControl::windowStopsAtTheLimit()
{
    QFETCH(int, installation);
    QFETCH(int, own);
    QFETCH(int, expected);
    FlowControl flow;
    flow.setLimits({installation, 1000});
    flow.setWebhook(u"w"_s, kHostA, own ? std::optional<int>(own) : std::nullopt);
    for (int i = 0; i < 100; ++i)
        flow.answered(u"w"_s, 1, kSlowMs);
    QCOMPARE(flow.window(u"w"_s), expected);
    QCOMPARE(takes(flow, u"w"_s), expected);
    for (int i = 0; i < expected; ++i)
        flow.taken(u"w"_s);
    QCOMPARE(takes(flow, u"w"_s), 0);
    flow.released(u"w"_s);
    QCOMPARE(takes(flow, u"w"_s), 1);
}

void TestFlowControl::timeoutClosesToTheSlowShareUntilAnAnswer()
{
    FlowControl flow;
    flow.setLimits({64, 1000});
    flow.setWebhook(u"w"_s, kHostA, std::nullopt);
    for (int i = 0; i < 40; ++i)
        flow.answered(u"w"_s, 1, kSlowMs);
    QCOMPARE(flow.window(u"w"_s), 42);
    QVERIFY(flow.timedOut(u"w"_s));  // enters the slow lane
    QVERIFY(!flow.timedOut(u"w"_s)); // already there
    QVERIFY(flow.isSlow(u"w"_s));
    QCOMPARE(flow.window(u"w"_s), FlowControl::kSlowLaneShare);
    QCOMPARE(takes(flow, u"w"_s), FlowControl::kSlowLaneShare);
    QVERIFY(flow.answered(u"w"_s, 5, kSlowMs)); // an answer in time: out again
    QVERIFY(!flow.isSlow(u"w"_s));
    QCOMPARE(flow.window(u"w"_s), FlowControl::kSlowLaneShare + 1); // and opening from there
}

void TestFlowControl::longWaitMovesToTheSlowLaneAtOnce()
{
    FlowControl flow;
    flow.setWebhook(u"w"_s, kHostA, std::nullopt);
    for (int i = 0; i < 10; ++i)
        flow.answered(u"w"_s, 1, kSlowMs);
    QVERIFY(flow.waiting(u"w"_s));
    QVERIFY(!flow.waiting(u"w"_s));
    QVERIFY(flow.isSlow(u"w"_s));
    QCOMPARE(flow.window(u"w"_s), FlowControl::kSlowLaneShare);
}

void TestFlowControl::slowAnswersGetAQuarter()
{
    FlowControl flow;
    flow.setLimits({64, 1000});
    flow.setWebhook(u"w"_s, kHostA, std::nullopt);
    QVERIFY(flow.answered(u"w"_s, kSlowMs + 1, kSlowMs)); // answers, slowly: slow lane
    for (int i = 0; i < 100; ++i)
        QVERIFY(!flow.answered(u"w"_s, kSlowMs + 1, kSlowMs));
    QVERIFY(flow.isSlow(u"w"_s));
    QCOMPARE(flow.window(u"w"_s), 64 / 4);
}

void TestFlowControl::hostLimitCountsEveryWebhookOfTheHost()
{
    FlowControl flow;
    flow.setLimits({64, 5});
    flow.setWebhook(u"a1"_s, kHostA, std::nullopt);
    flow.setWebhook(u"a2"_s, kHostA2, std::nullopt);
    flow.setWebhook(u"b"_s, kHostB, std::nullopt);
    for (const auto *w : {"a1", "a2", "b"}) {
        for (int i = 0; i < 20; ++i)
            flow.answered(QString::fromLatin1(w), 1, kSlowMs);
    }
    for (int i = 0; i < 4; ++i)
        flow.taken(u"a1"_s);
    QCOMPARE(flow.hostInFlight(u"https://a.example:443"_s), 4);
    QCOMPARE(takes(flow, u"a2"_s), 1); // the host has room for one more
    flow.taken(u"a2"_s);
    QCOMPARE(takes(flow, u"a2"_s), 0);
    QCOMPARE(takes(flow, u"a1"_s), 0);
    QCOMPARE(takes(flow, u"b"_s), 5); // another host is not held back
}

void TestFlowControl::planSharesOneClaimBetweenWebhooks()
{
    FlowControl flow;
    flow.setLimits({64, 3});
    flow.setWebhook(u"a1"_s, kHostA, std::nullopt);
    flow.setWebhook(u"a2"_s, kHostA, std::nullopt);
    for (int i = 0; i < 10; ++i) {
        flow.answered(u"a1"_s, 1, kSlowMs);
        flow.answered(u"a2"_s, 1, kSlowMs);
    }
    // One plan: what a1 took counts against a2 on the same host.
    FlowControl::Plan plan(flow);
    QVERIFY(plan.take(u"a1"_s));
    QVERIFY(plan.take(u"a2"_s));
    QVERIFY(plan.take(u"a1"_s));
    QVERIFY(!plan.take(u"a2"_s));
    // Nothing was recorded: a new plan starts from what is in flight.
    QCOMPARE(flow.hostInFlight(u"https://a.example:443"_s), 0);
    QCOMPARE(takes(flow, u"a2"_s), 3);
}

void TestFlowControl::closedListsWhatCannotTake()
{
    FlowControl flow;
    flow.setLimits({64, 3});
    flow.setWebhook(u"full"_s, kHostB, 1);
    flow.setWebhook(u"a1"_s, kHostA, std::nullopt);
    flow.setWebhook(u"a2"_s, kHostA, std::nullopt);
    flow.setWebhook(u"open"_s, QUrl(u"https://c.example/"_s), std::nullopt);
    flow.taken(u"full"_s);
    for (int i = 0; i < 10; ++i)
        flow.answered(u"a1"_s, 1, kSlowMs);
    for (int i = 0; i < 3; ++i)
        flow.taken(u"a1"_s); // the host's limit: a2 is closed too
    auto closed = flow.closed();
    closed.sort();
    QCOMPARE(closed, (QStringList{u"a1"_s, u"a2"_s, u"full"_s}));
}

void TestFlowControl::releasedNeverGoesBelowZero()
{
    FlowControl flow;
    flow.setWebhook(u"w"_s, kHostA, std::nullopt);
    flow.released(u"w"_s);
    flow.released(u"unknown"_s);
    QCOMPARE(flow.inFlight(u"w"_s), 0);
    flow.taken(u"w"_s);
    flow.released(u"w"_s);
    flow.released(u"w"_s);
    QCOMPARE(flow.inFlight(u"w"_s), 0);
    QCOMPARE(flow.hostInFlight(u"https://a.example:443"_s), 0);
}

void TestFlowControl::deletedWebhooksAreForgotten()
{
    FlowControl flow;
    flow.setWebhook(u"kept"_s, kHostA, std::nullopt);
    flow.setWebhook(u"gone"_s, kHostA, std::nullopt);
    flow.setWebhook(u"gone, busy"_s, kHostB, std::nullopt);
    flow.taken(u"gone, busy"_s);
    flow.forgetAllBut(QSet<QString>{u"kept"_s});
    QVERIFY(flow.knows(u"kept"_s));
    QVERIFY(!flow.knows(u"gone"_s));
    QVERIFY(flow.knows(u"gone, busy"_s)); // its request still counts until it ends
}

QTEST_GUILESS_MAIN(TestFlowControl)
#include "tst_flowcontrol.moc"
