// How much work a worker keeps claimed: the full buffer until its pace is
// known, then what it starts within the hold time; asked in chunks while
// work is on its way, at once when a slot would stay empty.
#include "engine/ClaimPacer.h"

#include <QTest>

using namespace hookline;

namespace {
constexpr int kConcurrency = 8;
constexpr int kClaimAhead = 3;
constexpr qint64 kHoldMs = 1000;
constexpr int kMaxBuffer = (kClaimAhead - 1) * kConcurrency;

// `starts` jobs started evenly over [from, to).
void startSpread(ClaimPacer &pacer, int starts, qint64 from, qint64 to)
{
    for (int i = 0; i < starts; ++i)
        pacer.started(from + (to - from) * i / starts);
}
} // namespace

class TestClaimPacer final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void optimisticUntilMeasured();
    void bufferFollowsThePace_data();
    void bufferFollowsThePace();
    void aStalledWorkerAsksOnlyForItsFreeSlots();
    void idleStartsOptimisticAgain();
    void stalledStartsFromNone();
    void wanted_data();
    void wanted();
    void overdue();
};

void TestClaimPacer::optimisticUntilMeasured()
{
    ClaimPacer pacer(kConcurrency, kClaimAhead, kHoldMs);
    QCOMPARE(pacer.buffer(0), kMaxBuffer);
    pacer.started(100);
    QCOMPARE(pacer.buffer(500), kMaxBuffer); // the first window still runs
    QCOMPARE(pacer.buffer(1099), kMaxBuffer);
    QCOMPARE(pacer.buffer(1100), 1); // one start in the window gone by
}

void TestClaimPacer::bufferFollowsThePace_data()
{
    QTest::addColumn<int>("startsPerWindow");
    QTest::addColumn<int>("expected");
    QTest::newRow("quick receivers: capped") << 500 << kMaxBuffer;
    QTest::newRow("just at the cap") << kMaxBuffer << kMaxBuffer;
    QTest::newRow("slow receivers: their pace") << 5 << 5;
    QTest::newRow("one a window") << 1 << 1;
}

void TestClaimPacer::bufferFollowsThePace()
{
    QFETCH(int, startsPerWindow);
    QFETCH(int, expected);
    ClaimPacer pacer(kConcurrency, kClaimAhead, kHoldMs);
    for (int w = 0; w < 4; ++w)
        startSpread(pacer, startsPerWindow, w * kHoldMs, (w + 1) * kHoldMs);
    QCOMPARE(pacer.buffer(4 * kHoldMs + 10), expected);
    // The running window counts once it did better than the last.
    startSpread(pacer, startsPerWindow + 3, 4 * kHoldMs + 10, 4 * kHoldMs + 500);
    QCOMPARE(pacer.buffer(4 * kHoldMs + 600), std::min(kMaxBuffer, startsPerWindow + 3));
}

void TestClaimPacer::aStalledWorkerAsksOnlyForItsFreeSlots()
{
    ClaimPacer pacer(kConcurrency, kClaimAhead, kHoldMs);
    startSpread(pacer, 50, 0, kHoldMs);
    QCOMPARE(pacer.buffer(kHoldMs + 1), kMaxBuffer);
    // Then nothing starts: every slot is held by a receiver that does not answer.
    QCOMPARE(pacer.buffer(2 * kHoldMs + 1), 0);
    QCOMPARE(pacer.wanted(kConcurrency, 0, 0, 2 * kHoldMs + 1), 0);
    // One slot frees: exactly one more, asked at once.
    QCOMPARE(pacer.wanted(kConcurrency - 1, 0, 0, 2 * kHoldMs + 1), 1);
    // A long gap, then a start: the gap counts as a window with none.
    pacer.started(10 * kHoldMs);
    QCOMPARE(pacer.buffer(10 * kHoldMs + 1), 1);
}

void TestClaimPacer::idleStartsOptimisticAgain()
{
    ClaimPacer pacer(kConcurrency, kClaimAhead, kHoldMs);
    startSpread(pacer, 2, 0, kHoldMs);
    QCOMPARE(pacer.buffer(kHoldMs + 1), 2);
    pacer.idle();
    QCOMPARE(pacer.buffer(kHoldMs + 2), kMaxBuffer);
}

void TestClaimPacer::stalledStartsFromNone()
{
    ClaimPacer pacer(kConcurrency, kClaimAhead, kHoldMs);
    startSpread(pacer, 50, 0, kHoldMs);
    QCOMPARE(pacer.buffer(kHoldMs + 100), kMaxBuffer);
    pacer.stalled(kHoldMs + 100);
    QCOMPARE(pacer.buffer(kHoldMs + 101), 0);
    // Each start earns one more, so a worker that recovers ramps up quickly.
    pacer.started(kHoldMs + 200);
    pacer.started(kHoldMs + 210);
    QCOMPARE(pacer.buffer(kHoldMs + 220), 2);
}

void TestClaimPacer::wanted_data()
{
    // With the full buffer (nothing measured): the target is 3 × 8 = 24.
    QTest::addColumn<int>("busy");
    QTest::addColumn<int>("ready");
    QTest::addColumn<int>("requested");
    QTest::addColumn<int>("expected");
    QTest::newRow("empty worker: the whole target") << 0 << 0 << 0 << 24;
    QTest::newRow("full, nothing waiting") << 8 << 0 << 0 << 16;
    QTest::newRow("at the target") << 8 << 10 << 6 << 0;
    QTest::newRow("short by less than a chunk, work on its way") << 8 << 10 << 3 << 0;
    QTest::newRow("short by a chunk, work on its way") << 8 << 6 << 6 << 4;
    QTest::newRow("short by one, nothing on its way") << 23 << 0 << 0 << 1;
}

void TestClaimPacer::wanted()
{
    QFETCH(int, busy);
    QFETCH(int, ready);
    QFETCH(int, requested);
    QFETCH(int, expected);
    const ClaimPacer pacer(kConcurrency, kClaimAhead, kHoldMs);
    QCOMPARE(pacer.wanted(busy, ready, requested, 0), expected);
}

void TestClaimPacer::overdue()
{
    const ClaimPacer pacer(kConcurrency, kClaimAhead, kHoldMs);
    QVERIFY(!pacer.overdue(100, 100 + kHoldMs - 1));
    QVERIFY(pacer.overdue(100, 100 + kHoldMs));
}

QTEST_GUILESS_MAIN(TestClaimPacer)
#include "tst_claimpacer.moc"
