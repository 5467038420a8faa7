// The crash test: at-least-once delivery survives a SIGKILL.
//
// 3000 events for 3 webhooks (4000 deliveries) are written with the services,
// `hookline-cli deliver --until-idle --workers 2` sends them to a loopback
// TestReceiver that takes 2-5 ms a request, and is killed with SIGKILL once
// the receiver has seen ~40% of them. A second `deliver --until-idle` must then
// finish the job: every delivery succeeded, every delivery id reached the
// receiver at least once (duplicates allowed and counted), and the attempts
// table agrees with the deliveries' attempt counts.

#include "EngineFixture.h"
#include "TestReceiver.h"

#include "util/LeaseOwner.h"
#include "service/EventService.h"
#include "service/WebhookService.h"
#include "store/Database.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

using namespace hookline;
using hookline::test::EngineFixture;
using hookline::test::ReceivedRequest;
using hookline::test::ScriptedReply;
using hookline::test::TestReceiver;

namespace {
constexpr int kEvents = 3000;
constexpr double kKillAtFraction = 0.4;

int scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next()) {
        qWarning() << "query failed:" << sql << q.lastError().text();
        return -1;
    }
    return q.value(0).toInt();
}
} // namespace

class TestCrash : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killedMidRunLosesNothing();
    void leaseOwnerTellsTheDeadFromTheLiving();

private:
    QProcess *startDeliver(const QString &dbPath);
};

QProcess *TestCrash::startDeliver(const QString &dbPath)
{
    auto *p = new QProcess(this);
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("HOOKLINE_DB"), dbPath);
    p->setProcessEnvironment(env);
    p->setProgram(QStringLiteral(HOOKLINE_BIN_DIR "/hookline-cli"));
    p->setArguments({QStringLiteral("--db"), dbPath, QStringLiteral("deliver"), QStringLiteral("--until-idle"), QStringLiteral("--workers"),
                     QStringLiteral("2")});
    p->start();
    return p;
}

void TestCrash::killedMidRunLosesNothing()
{
    QElapsedTimer total;
    total.start();

    // The receiver and the database; the engines are the two processes below,
    // which read the system clock (the fixture's manual clock is this process's only).
    EngineFixture f;
    QVERIFY(f.ok());
    auto &receiver = f.receiver();
    // 200 after 2-5 ms, keep-alive: the run takes a few seconds.
    receiver.setResponder([](const ReceivedRequest &r) { return ScriptedReply::delayed(2 + r.index % 4, 200); });
    const auto dbPath = f.location();
    auto db = f.conn();
    // Keep the whole history: the default retention (100 a webhook) would
    // prune finished deliveries during the run and blur the count.
    QVERIFY(f.setting("retention", "1000000"));
    const QList<QPair<QString, QStringList>> hooks{{QStringLiteral("/a"), {QStringLiteral("lead.created")}},
                                                   {QStringLiteral("/b"), {QStringLiteral("lead.updated")}},
                                                   {QStringLiteral("/c"), {QStringLiteral("deal.won"), QStringLiteral("lead.created")}}};
    for (const auto &[path, events] : hooks) {
        auto w = f.draft(path);
        w.events = events;
        w.retry.maxRetries = 5;
        auto created = f.create(w);
        QVERIFY2(created, created ? "" : qPrintable(created.error().message));
    }
    QByteArray lines;
    const char *types[] = {"lead.created", "lead.updated", "deal.won"};
    for (int i = 0; i < kEvents; ++i)
        lines += QByteArray(R"({"event":")") + types[i % 3] + R"(","data":{"i":)" + QByteArray::number(i) + R"(,"pad":"crash-test"}})" + '\n';
    auto batch = EventService(db).emitBatch(lines, 500);
    QVERIFY2(batch, batch ? "" : qPrintable(batch.error().message));
    QCOMPARE(batch->events, kEvents);
    const int deliveries = batch->deliveries;
    QCOMPARE(deliveries, 4000); // lead.created goes to /a and /c
    qInfo("%d events, %d deliveries written in %lld ms", kEvents, deliveries, total.elapsed());

    // --- first run, killed mid-way --------------------------------------
    QProcess *first = startDeliver(dbPath);
    QVERIFY2(first->waitForStarted(5000), qPrintable(first->errorString()));
    const qint64 killedPid = first->processId();
    const int killAt = int(deliveries * kKillAtFraction);
    int countAtKill = -1;
    auto killer = connect(&receiver, &TestReceiver::requestReceived, this, [&](int index) {
        if (countAtKill < 0 && index + 1 >= killAt) {
            countAtKill = index + 1;
            first->kill(); // SIGKILL: no stop, no flush, no hand-back
        }
    });
    QSignalSpy firstDone(first, &QProcess::finished);
    QVERIFY2(firstDone.wait(30000) || !firstDone.isEmpty(), "the first run neither finished nor was killed in 30 s");
    disconnect(killer);
    QVERIFY2(countAtKill > 0, qPrintable(QStringLiteral("the first run ended by itself before %1 requests (exit %2): %3")
                                             .arg(killAt)
                                             .arg(first->exitCode())
                                             .arg(QString::fromUtf8(first->readAllStandardError()))));
    QCOMPARE(first->exitStatus(), QProcess::CrashExit);
    qInfo("killed after %d requests received, %lld ms into the test", countAtKill, total.elapsed());
    // What the dead process had on the wire is read once its connections are closed.
    QTRY_COMPARE_WITH_TIMEOUT(receiver.openConnections(), 0, 5000);

    const int succeededAfterKill = scalar(db, QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'succeeded'"));
    const int delivering = scalar(db, QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'delivering'"));
    const int leased
        = scalar(db, QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'delivering' AND lease_until > strftime('%s','now') * 1000"));
    qInfo("after the kill: %d succeeded, %d delivering (%d with a lease still running), %d received", succeededAfterKill, delivering, leased,
          receiver.count());
    QVERIFY2(delivering > 0, "some deliveries must still be held by the dead process's leases");
    QCOMPARE(leased, delivering);
    QVERIFY(succeededAfterKill < deliveries);
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM deliveries")), deliveries);

    // Each lease names the dead process (host/pid/start): the second run
    // takes them back at once instead of waiting a minute for them to run out.
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'delivering' AND lease_owner LIKE '%/%1/%'").arg(killedPid)),
             delivering);
    f.database()->releaseThreadConnection(); // nothing of ours open while the second run works
    db = QSqlDatabase();

    // --- second run, to the end -------------------------------------------
    const int receivedBefore = receiver.count();
    // Without taking the leases back it could not end before they ran out
    // (requestTimeoutSeconds + 60 s), well past this test's budget.
    QElapsedTimer secondClock;
    secondClock.start();
    QProcess *second = startDeliver(dbPath);
    QVERIFY2(second->waitForStarted(5000), qPrintable(second->errorString()));
    QSignalSpy secondDone(second, &QProcess::finished);
    const qint64 left = std::max<qint64>(5000, 55000 - total.elapsed());
    if (!secondDone.wait(int(left)) && secondDone.isEmpty()) {
        second->kill();
        second->waitForFinished(2000);
        QFAIL(qPrintable(
            QStringLiteral("the second run did not finish in %1 ms: %2").arg(left).arg(QString::fromUtf8(second->readAllStandardError()))));
    }
    const auto stderrText = QString::fromUtf8(second->readAllStandardError());
    QVERIFY2(second->exitStatus() == QProcess::NormalExit && second->exitCode() == 0, qPrintable(stderrText));
    qInfo("second run: %s (%d more requests, %lld ms)", second->readAllStandardOutput().trimmed().constData(), receiver.count() - receivedBefore,
          secondClock.elapsed());

    // --- nothing lost ------------------------------------------------------
    db = f.conn();
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM deliveries")), deliveries);
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM events")), kEvents);
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status <> 'succeeded'")), 0);
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE lease_until IS NOT NULL")), 0);
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM attempts")), scalar(db, QStringLiteral("SELECT SUM(attempts) FROM deliveries")));
    // Every attempt row is numbered 1..attempts of its delivery, once.
    QCOMPARE(
        scalar(
            db,
            QStringLiteral(
                "SELECT COUNT(*) FROM deliveries d WHERE (SELECT COUNT(DISTINCT number) FROM attempts a WHERE a.delivery_id = d.id) <> d.attempts")),
        0);

    QHash<QByteArray, int> received;
    QHash<QByteArray, QByteArray> receivedBody;
    for (const auto &r : receiver.requests()) {
        const auto id = r.header("X-Webhook-Delivery-Id");
        ++received[id];
        receivedBody.insert(id, r.body);
    }
    QSqlQuery all(db);
    QVERIFY(all.exec(
        QStringLiteral("SELECT d.id, e.body, w.url FROM deliveries d JOIN events e ON e.id = d.event_id JOIN webhooks w ON w.id = d.webhook_id")));
    int checked = 0;
    QStringList missing;
    QSet<QByteArray> known;
    while (all.next()) {
        const auto id = all.value(0).toString().toUtf8();
        known.insert(id);
        ++checked;
        if (!received.contains(id)) {
            missing << QString::fromUtf8(id);
            continue;
        }
        QCOMPARE(receivedBody.value(id), all.value(1).toString().toUtf8());
    }
    QCOMPARE(checked, deliveries);
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("%1 deliveries never reached the receiver: %2").arg(missing.size()).arg(missing.mid(0, 10).join(u' '))));
    int duplicates = 0;
    for (auto it = received.cbegin(); it != received.cend(); ++it) {
        QVERIFY2(known.contains(it.key()), it.key().constData()); // nothing the database does not know
        if (it.value() > 1) {
            ++duplicates;
            qInfo("duplicate (at least once): %s received %d times", it.key().constData(), it.value());
        }
    }
    qInfo("%d requests for %d deliveries: %d deliveries received more than once; whole test %lld ms", receiver.count(), deliveries, duplicates,
          total.elapsed());
    QVERIFY(receiver.count() >= deliveries);
    QCOMPARE(
        receiver.count(), deliveries + [&] {
            int extra = 0;
            for (int n : received)
                extra += n - 1;
            return extra;
        }());
    QVERIFY(total.elapsed() < 60000);
}

// Who may take a lease back at once: only a process of this host that is
// gone, or whose process id now belongs to a program started at another time.
void TestCrash::leaseOwnerTellsTheDeadFromTheLiving()
{
    const auto self = LeaseOwner::self();
    const auto parts = self.split(u'/');
    QCOMPARE(parts.size(), 3);
    QCOMPARE(parts.at(1).toLongLong(), QCoreApplication::applicationPid());
    QVERIFY2(!parts.at(2).isEmpty(), "the start time is read from /proc");
    const auto host = parts.at(0);
    QVERIFY(!LeaseOwner::isDeadHere(self));

    QProcess sleeper;
    sleeper.start(QStringLiteral("sleep"), {QStringLiteral("30")});
    QVERIFY(sleeper.waitForStarted(5000));
    const auto pid = sleeper.processId();
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    QVERIFY(stat.open(QIODevice::ReadOnly));
    const auto fields = stat.readAll().split(')').last().trimmed().split(' ');
    const auto start = QString::fromLatin1(fields.at(19));
    const auto living = QStringLiteral("%1/%2/%3").arg(host).arg(pid).arg(start);
    QVERIFY(!LeaseOwner::isDeadHere(living));
    // The same process id, another start: the id was given to someone else.
    QVERIFY(LeaseOwner::isDeadHere(QStringLiteral("%1/%2/%3").arg(host).arg(pid).arg(start.toLongLong() + 1)));
    // Another host's process: this engine cannot tell, so it waits for the lease.
    QVERIFY(!LeaseOwner::isDeadHere(QStringLiteral("elsewhere.example/%1/%2").arg(pid).arg(start.toLongLong() + 1)));
    sleeper.kill();
    QVERIFY(sleeper.waitForFinished(5000));
    QVERIFY(LeaseOwner::isDeadHere(living)); // gone (and reaped)
    for (const auto &garbage : {QString(), QStringLiteral("x"), QStringLiteral("%1/abc/1").arg(host), QStringLiteral("%1/-4/1").arg(host)})
        QVERIFY2(!LeaseOwner::isDeadHere(garbage), qPrintable(garbage));
}

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
