#pragma once

#include "engine/AlertWatch.h"
#include "engine/EngineOptions.h"
#include "engine/FlowControl.h"
#include "model/DeliveryUpdate.h"
#include "store/DeliveryQueue.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSet>

#include <memory>
#include <optional>

class QTimer;

namespace hookline {

class Database;

// The engine's one database thread. It claims due deliveries ahead for every
// worker, writes the workers' attempts back in batched transactions, recovers
// expired leases and prunes finished deliveries. The network threads never
// wait for SQLite: they ask for work and hand in results by signals, and it
// answers by signals naming a worker (DeliveryEngine::start connects both ways).
// (Profiled: with each worker running its own transactions, a worker stopped
// sending and reading while it was in SQLite or waiting for the other's write
// lock, and the process used ~1.6 of 2 cores.)
class QueueKeeper final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueueKeeper)

public:
    QueueKeeper(std::shared_ptr<Database> database, EngineOptions options);
    ~QueueKeeper() override;

    // Before start(): how many workers it serves (0 … n-1). It knows them by
    // index only; DeliveryEngine connects jobsFor and recordedFor to them.
    void setWorkerCount(int count) { m_workerCount = count; }

public Q_SLOTS:
    void start();
    void wake();
    void setPaused(bool paused);
    // Worker `index` can take `count` more jobs than it has asked for so far.
    void request(int index, int count);
    // Finished attempts of worker `index`; `urgent` writes them at once (a
    // test ping is waiting).
    void record(int index, const QList<AttemptOutcome> &outcomes, bool urgent);
    // Claimed jobs a worker did not send (paused or stopping).
    void handBack(const QStringList &deliveryIds);
    // A request to this webhook has waited past the slow threshold with no
    // answer: its next requests go to the slow lane.
    void requestWaiting(const QString &webhookId);
    // Claims one delivery whatever its due time and gives it to worker 0 (test
    // pings); deliveryRefused(id, why) when it cannot be taken. One this
    // keeper already gave a worker is on its way: nothing more is done.
    void deliverNow(const QString &deliveryId);
    // Stops claiming; the workers are stopping too.
    void stopServing();
    // Every worker has stopped: writes what is left, gives back what was
    // claimed and not reported, and closes the connection.
    void finish();

Q_SIGNALS:
    void started();
    void stopped();
    // Nothing due, nothing waiting to be written: a hint to check for the end.
    void idle();
    // After the attempts are committed, one signal per transaction (a queued
    // signal per delivery was a visible cost).
    void deliveriesUpdated(const hookline::DeliveryUpdates &updates);
    // deliverNow() could not take this delivery (gone, or another process has it).
    void deliveryRefused(const QString &deliveryId, const QString &why);
    void webhookDeactivated(const QString &webhookId);
    // A webhook's health changed (engine/AlertWatch.h), committed with the
    // attempts that changed it.
    void alertsRaised(const hookline::Alerts &alerts);
    // The webhook's receiver is slow (its requests take the slow lane, with a
    // smaller share) or answers in time again.
    void laneChanged(const QString &webhookId, bool slow);
    void failure(const QString &message);
    // For worker `worker`: claimed jobs to send (`forced`: a test ping, sent
    // whatever the webhook's state, with no retry).
    void jobsFor(int worker, const QList<DeliveryJob> &jobs, bool forced);
    // For worker `worker`: its final failures are committed (one entry per
    // failure, by webhook), and these webhooks were deactivated.
    void recordedFor(int worker, const QStringList &failedWebhooks, const QStringList &deactivated);

private:
    void pump();
    void schedulePump();
    void clockMoved();
    bool flush();
    // One transaction: the waiting results, lease recovery, and a claim of
    // up to `claimLimit` due deliveries (0: none).
    std::optional<QList<DeliveryJob>> transact(int claimLimit);
    void distribute(QList<DeliveryJob> jobs);
    void armWakeTimer();
    // Retention: the webhooks with deliveries finished since, each as far as
    // its room says; `finishing`: now (not at the next interval), each to the
    // end (at stop). A webhook whose room, measured recently, holds what it
    // finished since is skipped either way: nothing of it can be beyond its
    // retention, and a stop should not cost a transaction per webhook.
    void prune(bool finishing = false);
    // Gives free pages back to the file system once they are a large share of
    // it (`all`: every one, at stop).
    void releaseFreePages(bool all);
    void maybeIdle();
    int demand() const;
    bool claiming() const; // serving, not paused, and allowed to take due work
    int leaseMs();
    // Reads the timeout and the flow limits again when they may have changed.
    void refreshSettings();
    void loadRoutes();
    // Its attempt came back (or it was handed back): its room is free.
    void released(const QString &deliveryId);
    // In the caller's transaction: the leases of dead processes of this host.
    Result<int> takeBackDeadLeases(const QDateTime &now);
    // Given to a worker: counted against its webhook's share, and sent over
    // the slow lane if its receiver is slow.
    void lease(DeliveryJob &job);
    void changedLane(const QString &webhookId, bool slow);

    std::shared_ptr<Database> m_database;
    EngineOptions m_options;
    int m_workerCount = 0;
    QList<int> m_demand;  // per worker: jobs asked for and not yet given
    int m_nextWorker = 0; // where the next distribution starts (fairness)

    std::optional<DeliveryQueue> m_queue;
    std::optional<AlertWatch> m_alerts;
    QTimer *m_wakeTimer = nullptr; // next due time, or the poll for other processes
    QTimer *m_flushTimer = nullptr;
    QTimer *m_pruneTimer = nullptr; // the next pruning round, when one was due and too soon
    QList<AttemptOutcome> m_results;
    // Per worker, the webhooks of final failures in m_results: told back after
    // the commit, with the webhooks it deactivated (see DeliveryWorker::recorded).
    QHash<int, QStringList> m_failures;
    // Given to a worker, not yet recorded or handed back, by delivery id.
    struct Lease {
        QString webhookId;
        bool reported = false; // its attempt came back: no longer counted in flight
    };
    QHash<QString, Lease> m_leased;
    FlowControl m_flow;
    qint64 m_slowAfterMs = 2000;
    bool m_routesStale = true; // a webhook unknown to m_flow was seen
    bool m_limited = false;    // the last claim left due work for lack of room
    QSet<QString> m_toPrune;   // webhooks whose retention is to be checked
    struct PruneState {
        int room = 0;          // deliveries it may still gain before any is beyond its retention
        int finishedSince = 0; // finished since it was last checked
        std::optional<qint64> checkedMs;
    };
    QHash<QString, PruneState> m_pruneState;
    QHash<QString, std::optional<int>> m_retention; // each webhook's own, from its row
    int m_retentionDefault = 100;
    std::optional<qint64> m_lastVacuumMs;
    // Clock::monotonicMs() of the last time each was done; none: never.
    std::optional<qint64> m_lastPruneMs;
    std::optional<qint64> m_lastTransactionMs;
    std::optional<qint64> m_lastLeaseRecoveryMs;
    std::optional<qint64> m_settingsReadMs;
    std::optional<qint64> m_routesReadMs;
    int m_timeoutMs = 10'000;
    bool m_pumpScheduled = false;
    bool m_drained = false; // the last claim took everything that was due
    bool m_paused = false;
    bool m_serving = false;
};

} // namespace hookline
