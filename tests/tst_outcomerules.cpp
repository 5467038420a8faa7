// OutcomeRules (core/engine/OutcomeRules.*) and RetryPolicy (core/model/RetryPolicy.*):
// what a response means for a delivery, Retry-After, and when the next attempt happens.

#include "engine/OutcomeRules.h"
#include "model/RetryPolicy.h"

#include <QRandomGenerator>
#include <QtTest>

#include <optional>

using namespace hookline;
using Verdict = OutcomeRules::Verdict;

Q_DECLARE_METATYPE(hookline::OutcomeRules::Verdict)

namespace {
// 2026-01-01 was a Thursday.
const QDateTime kNow(QDate(2026, 1, 1), QTime(10, 0, 0), Qt::UTC);

QDateTime at(double secondsAfterNow)
{
    return kNow.addMSecs(qint64(secondsAfterNow * 1000.0));
}

RetryPolicy exponential(double delay, int maxRetries)
{
    RetryPolicy p;
    p.backoff = BackoffStrategy::Exponential;
    p.retryDelaySeconds = delay;
    p.maxRetries = maxRetries;
    return p;
}
} // namespace

class TestOutcomeRules : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void classify_data();
    void classify();
    void retryAfter_data();
    void retryAfter();
    void exponentialBackoff();
    void fixedBackoff();
    void explicitSchedule();
    void retryAfterReplacesDelay();
    void retryAfterDoesNotExtendRetries();
    void exponentialIsCapped();
    void jitterStaysInRange();
    void delaySecondsBounds_data();
    void delaySecondsBounds();
    void minMaxDelay();
};

void TestOutcomeRules::classify_data()
{
    QTest::addColumn<int>("status"); // -1: no response at all
    QTest::addColumn<Verdict>("expected");

    for (int s : {200, 201, 202, 204, 299})
        QTest::addRow("%d success", s) << s << Verdict::Success;
    for (int s : {301, 302, 303, 304, 307, 308})
        QTest::addRow("%d redirect fails", s) << s << Verdict::Fail;
    for (int s : {400, 401, 403, 404, 405, 409, 413, 422})
        QTest::addRow("%d client error fails", s) << s << Verdict::Fail;
    for (int s : {408, 429, 500, 501, 502, 503, 504, 599})
        QTest::addRow("%d retried", s) << s << Verdict::Retry;
    QTest::newRow("410 gone") << 410 << Verdict::Gone;
    QTest::newRow("100 informational fails") << 100 << Verdict::Fail;
    QTest::newRow("no status (timeout, refused) retried") << -1 << Verdict::Retry;
}

void TestOutcomeRules::classify()
{
    QFETCH(int, status);
    QFETCH(Verdict, expected);
    const auto got = OutcomeRules::classify(status < 0 ? std::nullopt : std::optional<int>(status));
    QCOMPARE(got, expected);
}

void TestOutcomeRules::retryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("present");
    QTest::addColumn<double>("expected");
    QTest::addColumn<double>("tolerance");

    QTest::newRow("120") << QByteArray("120") << true << 120.0 << 0.0;
    // Zero and the past are no usable hint: the policy's delay applies.
    QTest::newRow("0 is no hint") << QByteArray("0") << false << 0.0 << 0.0;
    QTest::newRow("0.2 is raised to 1 s") << QByteArray("0.2") << true << 1.0 << 0.0;
    QTest::newRow("spaces around") << QByteArray("  30 ") << true << 30.0 << 0.0;
    QTest::newRow("-5 is unreadable") << QByteArray("-5") << false << 0.0 << 0.0;
    QTest::newRow("abc is unreadable") << QByteArray("abc") << false << 0.0 << 0.0;
    QTest::newRow("empty") << QByteArray("") << false << 0.0 << 0.0;
    QTest::newRow("100000 capped to a day") << QByteArray("100000") << true << 86400.0 << 0.0;
    QTest::newRow("IMF-fixdate 90 s ahead") << QByteArray("Thu, 01 Jan 2026 10:01:30 GMT") << true << 90.0 << 1.0;
    QTest::newRow("IMF-fixdate in the past is no hint") << QByteArray("Thu, 01 Jan 2026 09:00:00 GMT") << false << 0.0 << 0.0;
    QTest::newRow("IMF-fixdate now is no hint") << QByteArray("Thu, 01 Jan 2026 10:00:00 GMT") << false << 0.0 << 0.0;
    QTest::newRow("IMF-fixdate two days ahead capped") << QByteArray("Sat, 03 Jan 2026 10:00:00 GMT") << true << 86400.0 << 0.0;
    QTest::newRow("RFC 850 90 s ahead") << QByteArray("Thursday, 01-Jan-26 10:01:30 GMT") << true << 90.0 << 1.0;
    QTest::newRow("asctime 90 s ahead") << QByteArray("Thu Jan  1 10:01:30 2026") << true << 90.0 << 1.0;
    QTest::newRow("asctime two-digit day") << QByteArray("Sat Jan 10 10:00:00 2026") << true << 86400.0 << 0.0;
    QTest::newRow("garbage date") << QByteArray("Thu, 99 Foo 2026 10:01:30 GMT") << false << 0.0 << 0.0;
}

void TestOutcomeRules::retryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, present);
    QFETCH(double, expected);
    QFETCH(double, tolerance);
    const auto got = OutcomeRules::retryAfterSeconds(value, kNow);
    QCOMPARE(got.has_value(), present);
    if (present) {
        QVERIFY2(std::abs(*got - expected) <= tolerance,
                 qPrintable(QStringLiteral("got %1, expected %2 ± %3").arg(*got).arg(expected).arg(tolerance)));
    }
}

void TestOutcomeRules::exponentialBackoff()
{
    const auto p = exponential(5, 3);
    QCOMPARE(OutcomeRules::nextAttempt(p, 1, kNow, std::nullopt, 0.5), std::optional<QDateTime>(at(5)));
    QCOMPARE(OutcomeRules::nextAttempt(p, 2, kNow, std::nullopt, 0.5), std::optional<QDateTime>(at(10)));
    QCOMPARE(OutcomeRules::nextAttempt(p, 3, kNow, std::nullopt, 0.5), std::optional<QDateTime>(at(20)));
    QVERIFY(!OutcomeRules::nextAttempt(p, 4, kNow, std::nullopt, 0.5));
    QVERIFY(!OutcomeRules::nextAttempt(p, 0, kNow, std::nullopt, 0.5));

    // Fractions are allowed.
    const auto fast = exponential(0.05, 2);
    QCOMPARE(OutcomeRules::nextAttempt(fast, 1, kNow, std::nullopt, 0.5), std::optional<QDateTime>(at(0.05)));
    QCOMPARE(OutcomeRules::nextAttempt(fast, 2, kNow, std::nullopt, 0.5), std::optional<QDateTime>(at(0.1)));
    QVERIFY(!OutcomeRules::nextAttempt(fast, 3, kNow, std::nullopt, 0.5));

    // maxRetries 0: no retry at all.
    QVERIFY(!OutcomeRules::nextAttempt(exponential(5, 0), 1, kNow, std::nullopt, 0.5));
}

void TestOutcomeRules::fixedBackoff()
{
    auto p = exponential(7, 3);
    p.backoff = BackoffStrategy::Fixed;
    for (int n = 1; n <= 3; ++n)
        QCOMPARE(OutcomeRules::nextAttempt(p, n, kNow, std::nullopt, 0.3), std::optional<QDateTime>(at(7)));
    QVERIFY(!OutcomeRules::nextAttempt(p, 4, kNow, std::nullopt, 0.3));
}

void TestOutcomeRules::explicitSchedule()
{
    RetryPolicy p;
    p.schedule = {60, 300, 1800, 7200};
    p.maxRetries = 4;
    QCOMPARE(p.retryCount(), 4);
    const QList<double> expected{60, 300, 1800, 7200};
    for (int n = 1; n <= 4; ++n)
        QCOMPARE(OutcomeRules::nextAttempt(p, n, kNow, std::nullopt, 0.9), std::optional<QDateTime>(at(expected[n - 1])));
    QVERIFY(!OutcomeRules::nextAttempt(p, 5, kNow, std::nullopt, 0.9));

    // The schedule alone decides, whatever the backoff fields say.
    p.backoff = BackoffStrategy::Fixed;
    p.retryDelaySeconds = 1;
    QCOMPARE(OutcomeRules::nextAttempt(p, 3, kNow, std::nullopt, 0.9), std::optional<QDateTime>(at(1800)));
}

void TestOutcomeRules::retryAfterReplacesDelay()
{
    const auto p = exponential(5, 3);
    QCOMPARE(OutcomeRules::nextAttempt(p, 1, kNow, 120.0, 0.5), std::optional<QDateTime>(at(120)));
    // Never sooner than a second after, whatever the hint.
    QCOMPARE(OutcomeRules::nextAttempt(p, 2, kNow, 0.0, 0.5), std::optional<QDateTime>(at(1)));
    QCOMPARE(OutcomeRules::nextAttempt(p, 3, kNow, 1.5, 0.5), std::optional<QDateTime>(at(1.5)));
    // Shorter than the computed delay too: the receiver said when.
    QCOMPARE(OutcomeRules::nextAttempt(exponential(60, 3), 1, kNow, 2.0, 0.5), std::optional<QDateTime>(at(2)));
}

void TestOutcomeRules::retryAfterDoesNotExtendRetries()
{
    const auto p = exponential(5, 3);
    QVERIFY(!OutcomeRules::nextAttempt(p, 4, kNow, 120.0, 0.5));
    QVERIFY(!OutcomeRules::nextAttempt(exponential(5, 0), 1, kNow, 1.0, 0.5));
}

void TestOutcomeRules::exponentialIsCapped()
{
    const auto p = exponential(86400, 25);
    QCOMPARE(p.baseDelaySeconds(1), std::optional<double>(86400));
    QCOMPARE(p.baseDelaySeconds(25), std::optional<double>(RetryPolicy::kMaxDelaySeconds));
    QVERIFY(!p.baseDelaySeconds(26));
}

void TestOutcomeRules::jitterStaysInRange()
{
    auto p = exponential(10, 3);
    p.backoff = BackoffStrategy::Fixed;
    p.jitter = 0.5;
    QRandomGenerator rng(20260101);
    QSet<qint64> distinct;
    for (int i = 0; i < 1000; ++i) {
        const double unit = rng.generateDouble();
        const auto next = OutcomeRules::nextAttempt(p, 1 + i % 3, kNow, std::nullopt, unit);
        QVERIFY(next);
        const qint64 ms = kNow.msecsTo(*next);
        QVERIFY2(ms >= 5000 && ms <= 15000, qPrintable(QStringLiteral("delay %1 ms for unit %2").arg(ms).arg(unit)));
        distinct.insert(ms);
    }
    QVERIFY2(distinct.size() > 100, "jitter must spread the delays");

    // Exponential with jitter: each retry within its own band.
    auto e = exponential(2, 3);
    e.jitter = 0.5;
    for (int i = 0; i < 1000; ++i) {
        const int n = 1 + i % 3;
        const double base = 2.0 * (1 << (n - 1));
        const auto d = e.delaySeconds(n, rng.generateDouble());
        QVERIFY(d);
        QVERIFY(*d >= base * 0.5 && *d <= base * 1.5);
    }
}

void TestOutcomeRules::delaySecondsBounds_data()
{
    QTest::addColumn<double>("jitter");
    QTest::addColumn<double>("unit");
    QTest::addColumn<double>("expected");

    QTest::newRow("no jitter, unit 0") << 0.0 << 0.0 << 10.0;
    QTest::newRow("no jitter, unit ~1") << 0.0 << 0.999999 << 10.0;
    QTest::newRow("jitter 0.5, unit 0") << 0.5 << 0.0 << 5.0;
    QTest::newRow("jitter 0.5, unit 0.5") << 0.5 << 0.5 << 10.0;
    QTest::newRow("jitter 0.5, unit ~1") << 0.5 << 0.999999 << 14.99999;
    QTest::newRow("jitter 0.5, unit 1 clamped") << 0.5 << 1.0 << 15.0;
    QTest::newRow("jitter 0.5, unit 7 clamped") << 0.5 << 7.0 << 15.0;
    QTest::newRow("jitter 0.5, unit -1 clamped") << 0.5 << -1.0 << 5.0;
    QTest::newRow("jitter 1, unit 0") << 1.0 << 0.0 << 0.0;
    QTest::newRow("jitter 1, unit ~1") << 1.0 << 0.999999 << 19.99998;
}

void TestOutcomeRules::delaySecondsBounds()
{
    QFETCH(double, jitter);
    QFETCH(double, unit);
    QFETCH(double, expected);
    auto p = exponential(10, 3);
    p.backoff = BackoffStrategy::Fixed;
    p.jitter = jitter;
    const auto d = p.delaySeconds(1, unit);
    QVERIFY(d);
    QVERIFY2(std::abs(*d - expected) < 1e-6, qPrintable(QStringLiteral("got %1, expected %2").arg(*d, 0, 'g', 12).arg(expected)));
    QVERIFY(*d >= p.minDelaySeconds(1) - 1e-9);
    QVERIFY(*d <= p.maxDelaySeconds(1) + 1e-9);
    QVERIFY(!p.delaySeconds(4, unit));
    QVERIFY(!p.delaySeconds(0, unit));
}

void TestOutcomeRules::minMaxDelay()
{
    auto p = exponential(4, 3);
    p.jitter = 0.25;
    QCOMPARE(p.minDelaySeconds(1), 3.0);
    QCOMPARE(p.maxDelaySeconds(1), 5.0);
    QCOMPARE(p.minDelaySeconds(3), 12.0);
    QCOMPARE(p.maxDelaySeconds(3), 20.0);
    QCOMPARE(p.minDelaySeconds(4), 0.0);
}

QTEST_GUILESS_MAIN(TestOutcomeRules)
#include "tst_outcomerules.moc"
