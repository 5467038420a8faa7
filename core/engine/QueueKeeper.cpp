#include "QueueKeeper.h"

#include "util/LeaseOwner.h"

#include "util/Clock.h"
#include "util/Log.h"

#include "service/Settings.h"
#include "store/Database.h"
#include "store/Sql.h"
#include "store/WebhookStore.h"

#include <QMetaObject>
#include <QSqlDriver>
#include <QTimer>

namespace hookline {

namespace {
constexpr qint64 kLeaseRecoveryIntervalMs = 5000;
constexpr int kPruneBatch = 1000;
constexpr qint64 kPruneRecheckMs = 5000; // a webhook with room is looked at again after this anyway (new emits)
constexpr qint64 kVacuumIntervalMs = 60'000;
constexpr qint64 kFinishPruneBudgetMs = 2000; // how long a stop may spend on retention
constexpr int kMaxClaim = 512;                // per transaction: keeps each write short

// Whether `interval` ms have passed on the clock's monotonic time since `last` (never: yes).
bool due(const std::optional<qint64> &last, qint64 interval)
{
    return !last || Clock::monotonicMs() - *last >= interval;
}
} // namespace

QueueKeeper::QueueKeeper(std::shared_ptr<Database> database, EngineOptions options)
    : m_database(std::move(database))
    , m_options(options)
{
}

QueueKeeper::~QueueKeeper() = default;

void QueueKeeper::start()
{
    m_demand = QList<int>(m_workerCount, 0);
    m_wakeTimer = new QTimer(this);
    m_wakeTimer->setSingleShot(true);
    m_wakeTimer->setTimerType(Qt::PreciseTimer);
    connect(m_wakeTimer, &QTimer::timeout, this, &QueueKeeper::pump);
    m_pruneTimer = new QTimer(this);
    m_pruneTimer->setSingleShot(true);
    connect(m_pruneTimer, &QTimer::timeout, this, [this] { prune(); });
    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    connect(m_flushTimer, &QTimer::timeout, this, [this] {
        flush();
        maybeIdle();
    });
    // A clock moved by hand (the tests') reaches this thread queued: due
    // times and leases may have run out without the wake timer knowing.
    if (auto *clock = Clock::installed())
        connect(clock, &Clock::moved, this, &QueueKeeper::clockMoved);
    auto db = m_database->connection();
    m_queue.emplace(db);
    m_queue->setLeaseOwner(LeaseOwner::self());
    m_alerts.emplace(db);
    if (sql::isPostgres(db)) {
        // Other processes and machines emit too: their NOTIFY wakes this
        // engine at once instead of at the next idle poll.
        auto listener = m_database->listenerConnection();
        if (listener.isOpen() && listener.driver()->subscribeToNotification(QString::fromLatin1(sql::kDueChannel)))
            connect(listener.driver(), &QSqlDriver::notification, this, &QueueKeeper::wake);
        else
            Q_EMIT failure(tr("could not listen for new deliveries; polling every %1 ms").arg(m_options.idlePollMs));
    }
    // Retention is checked for every webhook once at start: a run that
    // stopped before it caught up, or a retention lowered meanwhile.
    refreshSettings();
    loadRoutes();
    for (auto it = m_retention.cbegin(); it != m_retention.cend(); ++it)
        m_toPrune.insert(it.key());
    m_serving = true;
    Q_EMIT started();
    pump();
}

int QueueKeeper::leaseMs()
{
    // A claimed delivery is leased for the request's deadline and a minute
    // more: a process that dies leaves it to be claimed again after that.
    refreshSettings();
    return m_timeoutMs + 60'000;
}

void QueueKeeper::refreshSettings()
{
    if (!due(m_settingsReadMs, m_options.settingsRefreshMs))
        return;
    const Settings settings(m_database->connection());
    m_timeoutMs = int(settings.requestTimeoutSeconds() * 1000);
    m_slowAfterMs = qint64(settings.slowAnswerSeconds() * 1000);
    const int retention = settings.retention();
    if (retention != m_retentionDefault)
        m_pruneState.clear(); // every room measured against the old default is wrong now
    m_retentionDefault = retention;
    m_flow.setLimits({settings.maxInFlightPerWebhook(), settings.maxInFlightPerHost()});
    if (m_alerts)
        m_alerts->setRules({settings.alertFailuresInRow(), settings.alertSuccessRatePercent(), settings.alertEventsWebhook()});
    m_settingsReadMs = Clock::monotonicMs();
    m_routesStale = true; // a webhook's URL or its own limit may have changed too
}

void QueueKeeper::loadRoutes()
{
    if (!m_routesStale)
        return;
    auto routes = WebhookStore(m_database->connection()).routes();
    if (!routes)
        return; // kept as they were; read again at the next claim
    QHash<QString, std::optional<int>> retention;
    for (const auto &r : std::as_const(*routes)) {
        m_flow.setWebhook(r.id, QUrl(r.url), r.maxInFlight);
        if (m_retention.value(r.id) != r.retention)
            m_pruneState.remove(r.id); // its room is to be measured again
        retention.insert(r.id, r.retention);
    }
    // Deleted webhooks are forgotten: a long-running engine does not keep
    // the state of every webhook it ever saw.
    m_retention = std::move(retention);
    m_flow.forgetAllBut(m_retention);
    for (auto it = m_pruneState.begin(); it != m_pruneState.end();)
        it = m_retention.contains(it.key()) ? std::next(it) : m_pruneState.erase(it);
    m_routesStale = false;
}

void QueueKeeper::released(const QString &deliveryId)
{
    auto it = m_leased.find(deliveryId);
    if (it != m_leased.end() && !it->reported) {
        it->reported = true;
        m_flow.released(it->webhookId);
    }
}

Result<int> QueueKeeper::takeBackDeadLeases(const QDateTime &now)
{
    // A process of this host that died (a crash, SIGKILL) leaves leases that
    // would run for a minute more: taken back now.
    auto owners = m_queue->leaseOwners();
    if (!owners)
        return owners.error();
    int taken = 0;
    for (const auto &owner : std::as_const(*owners)) {
        if (!LeaseOwner::isDeadHere(owner))
            continue;
        auto n = m_queue->takeBackLeases(owner, now);
        if (!n)
            return n.error();
        qCWarning(lcEngine).noquote() << "took back" << *n << "deliveries leased by" << owner << "(no longer running)";
        taken += *n;
    }
    return taken;
}

void QueueKeeper::requestWaiting(const QString &webhookId)
{
    if (m_flow.waiting(webhookId))
        changedLane(webhookId, true);
}

void QueueKeeper::changedLane(const QString &webhookId, bool slow)
{
    if (slow)
        qCWarning(lcEngine).noquote() << "webhook" << webhookId << "is slow to answer: its requests take the slow lane, at most"
                                      << m_flow.window(webhookId) << "at once";
    else
        qCInfo(lcEngine).noquote() << "webhook" << webhookId << "answers in time again: back to its full share";
    Q_EMIT laneChanged(webhookId, slow);
}

bool QueueKeeper::claiming() const
{
    return m_serving && !m_paused && m_options.claimDueDeliveries;
}

int QueueKeeper::demand() const
{
    int total = 0;
    for (int d : m_demand)
        total += d;
    return total;
}

void QueueKeeper::wake()
{
    if (m_serving)
        schedulePump();
}

void QueueKeeper::clockMoved()
{
    // What was drained before the jump says nothing about what is due after
    // it. Pumped here and now, not after the transaction gap: whatever was
    // queued to this thread behind the move sees its result.
    m_drained = false;
    if (m_serving)
        pump();
}

void QueueKeeper::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        wake();
}

void QueueKeeper::request(int index, int count)
{
    if (index < 0 || index >= m_demand.size())
        return;
    m_demand[index] += count;
    schedulePump();
}

void QueueKeeper::schedulePump()
{
    if (m_pumpScheduled)
        return;
    m_pumpScheduled = true;
    // Right after a transaction, wait a little: the workers hold work claimed
    // ahead, and what arrives meanwhile rides in the same transaction.
    const int gap = m_options.transactionGapMs;
    const qint64 since = m_lastTransactionMs ? Clock::monotonicMs() - *m_lastTransactionMs : gap;
    const int wait = int(std::clamp<qint64>(gap - since, 0, gap));
    QTimer::singleShot(wait, this, [this] {
        m_pumpScheduled = false;
        pump();
    });
}

void QueueKeeper::pump()
{
    const int wanted = claiming() ? std::min(demand(), kMaxClaim) : 0;
    if (wanted == 0) {
        flush();
        maybeIdle();
        return;
    }
    auto jobs = transact(wanted);
    if (!jobs) {
        m_wakeTimer->start(250); // the database is busy or failing: try again shortly
        return;
    }
    m_drained = jobs->size() < wanted;
    distribute(std::move(*jobs));
    if (m_drained && m_limited)
        m_wakeTimer->start(m_options.idlePollMs); // due work waits for room: a finished request makes some (record)
    else if (m_drained)
        armWakeTimer();
    else if (demand() > 0)
        schedulePump();
    prune();
    maybeIdle();
}

std::optional<QList<DeliveryJob>> QueueKeeper::transact(int claimLimit)
{
    auto db = m_database->connection();
    const auto now = Clock::now();
    m_lastTransactionMs = Clock::monotonicMs();
    QList<DeliveryJob> jobs;
    QStringList deactivated;
    Alerts alerts;
    int recovered = 0;
    {
        QMutexLocker turn(&m_database->writeTurn());
        sql::Transaction tx(db);
        auto &queue = *m_queue;
        auto ok = tx.begin();
        if (ok && !m_results.isEmpty()) {
            auto recorded = queue.record(m_results, now);
            if (recorded)
                deactivated = *recorded;
            else
                ok = recorded.error();
            if (ok) {
                if (auto raised = m_alerts->check(m_results, deactivated, now); raised)
                    alerts = std::move(*raised);
                else
                    ok = raised.error();
            }
        }
        if (ok && claimLimit > 0 && due(m_lastLeaseRecoveryMs, kLeaseRecoveryIntervalMs)) {
            m_lastLeaseRecoveryMs = Clock::monotonicMs();
            if (auto r = queue.recoverExpiredLeases(now); !r)
                ok = r.error();
            else
                recovered = *r;
            if (ok) {
                if (auto taken = takeBackDeadLeases(now); !taken)
                    ok = taken.error();
                else
                    recovered += *taken;
            }
            if (ok) {
                if (auto pruned = m_alerts->prune(now); !pruned)
                    ok = pruned.error();
            }
        }
        if (ok && claimLimit > 0) {
            const auto lease = now.addMSecs(leaseMs());
            loadRoutes();
            // Round-robin across webhooks, each within its share and its host's.
            const auto closed = m_flow.closed();
            FlowControl::Plan plan(m_flow);
            bool refused = false;
            auto claimed = queue.claim(claimLimit, now, lease, closed, [&](const QString &webhookId) {
                if (!m_flow.knows(webhookId))
                    m_routesStale = true; // created since the last read: its host is read next time
                const bool yes = plan.take(webhookId);
                refused = refused || !yes;
                return yes;
            });
            m_limited = refused || !closed.isEmpty();
            if (claimed)
                jobs = std::move(*claimed);
            else
                ok = claimed.error();
        }
        if (ok)
            ok = tx.commit();
        if (!ok) {
            qCWarning(lcStore) << "engine transaction failed, to be tried again:" << ok.error().message;
            Q_EMIT failure(ok.error().message);
            m_alerts->forget();
            return std::nullopt; // the results stay, for the next try
        }
    }
    if (recovered > 0)
        qCWarning(lcEngine) << recovered << "deliveries whose lease had run out (a stopped process) are due again";
    if (!m_results.isEmpty() || !jobs.isEmpty())
        qCDebug(lcEngine) << "recorded" << m_results.size() << "attempts, claimed" << jobs.size() << "deliveries";
    // Committed: now the rest of the process may hear of it.
    const auto results = std::exchange(m_results, {});
    DeliveryUpdates updates;
    updates.reserve(results.size());
    for (const auto &o : results) {
        // Ids, status, code and error only: never bodies, headers or signatures.
        qCDebug(lcEngine).noquote() << o.deliveryId << "of" << o.webhookId << "attempt" << o.attempt.number << "->" << deliveryStatusName(o.status)
                                    << (o.attempt.responseStatus ? QStringLiteral("HTTP %1").arg(*o.attempt.responseStatus) : o.attempt.error)
                                    << (o.status == DeliveryStatus::Retrying
                                            ? QStringLiteral("next at ") + o.nextAttemptAt.toString(Qt::ISODateWithMs)
                                            : QString());
        if (o.effect == AttemptOutcome::WebhookEffect::Gone)
            qCWarning(lcEngine).noquote() << "webhook" << o.webhookId << "answered 410 Gone: it is deactivated";
        m_leased.remove(o.deliveryId); // released in record(), when it came back
        if (isFinal(o.status) && !o.webhookId.isEmpty()) {
            m_toPrune.insert(o.webhookId);
            ++m_pruneState[o.webhookId].finishedSince;
        }
        DeliveryUpdate u;
        u.deliveryId = o.deliveryId;
        u.webhookId = o.webhookId;
        u.status = o.status;
        if (o.attempted) {
            u.attempts = o.attempt.number;
            u.lastDurationMs = o.attempt.durationMs;
        }
        if (o.status == DeliveryStatus::Retrying || o.status == DeliveryStatus::Pending)
            u.nextAttemptAt = o.nextAttemptAt;
        u.updatedAt = now;
        u.lastStatusCode = o.attempt.responseStatus;
        u.lastError = o.attempt.error;
        updates.append(std::move(u));
    }
    if (!updates.isEmpty())
        Q_EMIT deliveriesUpdated(updates);
    // Tell the workers before anyone else: a worker holds back its webhook's
    // next deliveries until it knows whether its failures deactivated it.
    const auto failures = std::exchange(m_failures, {});
    for (int i = 0; i < m_workerCount; ++i) {
        const auto mine = failures.value(i);
        if (!mine.isEmpty() || !deactivated.isEmpty())
            Q_EMIT recordedFor(i, mine, deactivated);
    }
    for (const auto &id : std::as_const(deactivated)) {
        qCWarning(lcEngine).noquote() << "webhook" << id << "deactivated by its failures";
        Q_EMIT webhookDeactivated(id);
    }
    if (!alerts.isEmpty()) {
        Q_EMIT alertsRaised(alerts);
        schedulePump(); // an operational event may be due now
    }
    return jobs;
}

void QueueKeeper::distribute(QList<DeliveryJob> jobs)
{
    // Round the workers from a moving start, each taking what it asked for.
    qsizetype next = 0;
    const qsizetype n = m_workerCount;
    for (qsizetype k = 0; k < n && next < jobs.size(); ++k) {
        const auto w = (m_nextWorker + k) % n;
        const auto take = std::min<qsizetype>(m_demand[w], jobs.size() - next);
        if (take <= 0)
            continue;
        QList<DeliveryJob> share = jobs.mid(next, take);
        next += take;
        m_demand[w] -= int(take);
        for (auto &j : share)
            lease(j);
        Q_EMIT jobsFor(int(w), share, false);
    }
    m_nextWorker = int((m_nextWorker + 1) % std::max<qsizetype>(1, n));
}

void QueueKeeper::lease(DeliveryJob &job)
{
    m_leased.insert(job.deliveryId, {job.webhookId});
    m_flow.taken(job.webhookId);
    job.slowLane = m_flow.isSlow(job.webhookId);
}

void QueueKeeper::armWakeTimer()
{
    auto next = m_queue->nextDueTime();
    qint64 wait = m_options.idlePollMs;
    // A clock that does not run by itself never brings the due time closer;
    // its moved() is the wake-up, and this timer only polls.
    if (next && *next && Clock::runs()) {
        const auto until = Clock::now().msecsTo(**next);
        wait = std::clamp<qint64>(until, 0, m_options.idlePollMs);
    }
    m_wakeTimer->start(int(wait));
}

void QueueKeeper::record(int index, const QList<AttemptOutcome> &outcomes, bool urgent)
{
    using Effect = AttemptOutcome::WebhookEffect;
    for (const auto &o : outcomes) {
        if (o.effect == Effect::FailedFinally || o.effect == Effect::Gone)
            m_failures[index] << o.webhookId;
        // The request is over: its room is free now, before the write, and
        // what it said of its receiver's pace moves the webhook's window.
        released(o.deliveryId);
        if (o.timedOut ? m_flow.timedOut(o.webhookId) : o.attempted && m_flow.answered(o.webhookId, o.attempt.durationMs, m_slowAfterMs))
            changedLane(o.webhookId, m_flow.isSlow(o.webhookId));
    }
    m_results += outcomes;
    if (urgent || m_results.size() >= m_options.flushBatch || !m_serving) {
        flush();
        if (m_limited && demand() > 0 && claiming())
            schedulePump();
    } else if ((!m_drained || m_limited) && demand() > 0 && claiming()) {
        schedulePump(); // the next claim writes them too
    } else if (!m_flushTimer->isActive()) {
        m_flushTimer->start(m_options.flushIntervalMs);
    }
    maybeIdle();
}

bool QueueKeeper::flush()
{
    if (m_results.isEmpty())
        return true;
    if (!transact(0)) {
        if (!m_flushTimer->isActive())
            m_flushTimer->start(250); // keep the results and try again
        return false;
    }
    m_flushTimer->stop();
    prune();
    return true;
}

void QueueKeeper::handBack(const QStringList &deliveryIds)
{
    for (const auto &id : deliveryIds) {
        released(id);
        m_leased.remove(id);
    }
    if (m_limited && m_serving)
        schedulePump();
    if (!m_queue)
        return; // finished: finish() gave back everything still leased
    auto db = m_database->connection();
    QMutexLocker turn(&m_database->writeTurn());
    sql::Transaction tx(db);
    auto ok = tx.begin();
    if (ok)
        ok = m_queue->handBack(deliveryIds, Clock::now());
    if (ok)
        ok = tx.commit();
    if (!ok)
        Q_EMIT failure(ok.error().message); // the lease runs out and the next start takes it again
}

void QueueKeeper::deliverNow(const QString &deliveryId)
{
    if (!m_queue || m_workerCount == 0)
        return;
    // Already claimed here (the ping was due and the last claim took it):
    // its outcome is announced like any other.
    if (m_leased.contains(deliveryId))
        return;
    std::optional<DeliveryJob> job;
    QString error;
    {
        QMutexLocker turn(&m_database->writeTurn());
        auto claimed = m_queue->claimOne(deliveryId, Clock::now().addMSecs(leaseMs()));
        if (claimed)
            job = *claimed;
        else
            error = claimed.error().message;
    }
    if (!job) {
        const QString why = error.isEmpty() ? tr("delivery %1 is not there or is being delivered").arg(deliveryId) : error;
        Q_EMIT failure(why);
        Q_EMIT deliveryRefused(deliveryId, why);
        return;
    }
    lease(*job);
    Q_EMIT jobsFor(0, {*job}, true);
}

void QueueKeeper::prune(bool finishing)
{
    // Pruning keeps pace with finishing: every pruneIntervalMs, each webhook
    // that finished deliveries since loses its oldest beyond its retention,
    // unless it is known to have room for what it finished.
    if (m_toPrune.isEmpty())
        return;
    if (!finishing && !due(m_lastPruneMs, m_options.pruneIntervalMs)) {
        // Not now: soon, even if nothing else happens meanwhile (an engine
        // gone idle). A clock moved by hand pumps, and so prunes, by itself.
        if (!m_pruneTimer->isActive() && Clock::runs())
            m_pruneTimer->start(int(std::max<qint64>(1, m_options.pruneIntervalMs - (Clock::monotonicMs() - *m_lastPruneMs))));
        return;
    }
    m_lastPruneMs = Clock::monotonicMs();
    refreshSettings();
    loadRoutes();
    auto db = m_database->connection();
    const auto started = Clock::monotonicMs();
    const auto ids = m_toPrune.values();
    for (const auto &id : ids) {
        auto &state = m_pruneState[id];
        const auto now = Clock::monotonicMs();
        if (state.checkedMs && state.finishedSince <= state.room && now - *state.checkedMs < kPruneRecheckMs)
            continue; // room enough for what it finished: nothing can be beyond its retention yet
        if (!m_retention.contains(id)) {
            m_toPrune.remove(id); // deleted meanwhile: its deliveries went with it
            m_pruneState.remove(id);
            continue;
        }
        const int keep = m_retention.value(id).value_or(m_retentionDefault);
        int removed = 0;
        for (;;) {
            std::optional<DeliveryQueue::Pruned> pruned;
            {
                QMutexLocker turn(&m_database->writeTurn());
                sql::Transaction tx(db);
                auto ok = tx.begin();
                if (ok) {
                    auto r = m_queue->pruneWebhook(id, keep, kPruneBatch);
                    if (r && tx.commit())
                        pruned = *r;
                }
            }
            if (!pruned)
                break; // kept in m_toPrune: the next round tries again
            removed += pruned->removed;
            state.room = pruned->room;
            state.finishedSince = 0;
            state.checkedMs = Clock::monotonicMs();
            if (pruned->removed < kPruneBatch) {
                m_toPrune.remove(id);
                break;
            }
            // More to go: on at once when stopping (within its budget),
            // otherwise next round, so that delivery is not held up.
            if (!finishing || Clock::monotonicMs() - started > kFinishPruneBudgetMs)
                break;
        }
        if (removed > 0)
            qCDebug(lcStore).noquote() << "retention: removed" << removed << "deliveries of webhook" << id << "beyond its" << keep;
    }
    if (!finishing && due(m_lastVacuumMs, kVacuumIntervalMs))
        releaseFreePages(false);
}

void QueueKeeper::releaseFreePages(bool all)
{
    m_lastVacuumMs = Clock::monotonicMs();
    QMutexLocker turn(&m_database->writeTurn());
    const auto counts = m_queue->pageCounts();
    if (!counts)
        return;
    const auto [free, total] = *counts;
    // Under a steady load the freed pages are taken again by new rows: only a
    // large surplus (after a burst, or a lower retention) is worth moving.
    if (!all && (free < 1024 || free < total / 4))
        return;
    const int keep = all ? 0 : total / 8;
    if (auto released = m_queue->releaseFreePages(free - keep); released && *released > 0)
        qCDebug(lcStore) << "gave" << *released << "free pages back to the file system";
}

void QueueKeeper::maybeIdle()
{
    if (m_serving && m_drained && m_results.isEmpty() && m_leased.isEmpty())
        Q_EMIT idle();
}

void QueueKeeper::stopServing()
{
    m_serving = false;
    if (m_wakeTimer)
        m_wakeTimer->stop();
}

void QueueKeeper::finish()
{
    if (!m_queue) {
        Q_EMIT stopped();
        return;
    }
    m_serving = false;
    flush();
    if (!m_leased.isEmpty())
        handBack(m_leased.keys()); // claimed ahead, never reported: due again at once
    prune(true);
    releaseFreePages(true);
    m_wakeTimer->stop();
    m_flushTimer->stop();
    m_pruneTimer->stop();
    m_queue.reset();
    m_alerts.reset();
    m_database->releaseThreadConnection();
    Q_EMIT stopped();
}

} // namespace hookline
