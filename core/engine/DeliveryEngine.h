#pragma once

#include "engine/EngineOptions.h"
#include "model/Alert.h"
#include "model/DeliveryUpdate.h"

#include <QList>
#include <QObject>

#include <memory>

class QThread;

namespace hookline {

class Database;
class DeliveryWorker;
class QueueKeeper;

// N delivery workers, each a QObject moved to its own QThread (one
// QNetworkAccessManager and one read-only database connection per thread),
// and one QueueKeeper on a thread of its own that does every claim and write. start(),
// stop() and the rest may be called from the thread that owns the engine;
// the work happens on the workers' threads.
class DeliveryEngine final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryEngine)

public:
    DeliveryEngine(std::shared_ptr<Database> database, EngineOptions options, QObject *parent = nullptr);
    ~DeliveryEngine() override; // stops and joins the threads

    void start();
    void stop(); // asynchronous: stopped() follows
    void stopAndWait();
    void wake(); // new deliveries were written in this process
    void setPaused(bool paused);
    bool isRunning() const { return m_running; }
    bool isPaused() const { return m_paused; }
    int workerCount() const { return int(m_workers.size()); }

    // Sends one delivery now on the first worker (test pings; "retry now" replays instead).
    void deliverNow(const QString &deliveryId);

Q_SIGNALS:
    void stopped();
    void idle(); // nothing due and nothing left unrecorded: a hint to check for the end
    // Attempts committed together, one signal per transaction of the keeper.
    void deliveriesUpdated(const hookline::DeliveryUpdates &updates);
    // deliverNow() could not take the delivery: gone, or being delivered elsewhere.
    void deliveryRefused(const QString &deliveryId, const QString &why);
    void webhookDeactivated(const QString &webhookId);
    // A webhook started failing, was deactivated or delivers again (engine/AlertWatch.h).
    void alertsRaised(const hookline::Alerts &alerts);
    // Its receiver is slow (slow lane, smaller share) or answers in time again.
    void webhookLaneChanged(const QString &webhookId, bool slow);
    void failure(const QString &message);

private:
    void workerStopped();
    void keeperStopped();

    std::shared_ptr<Database> m_database;
    EngineOptions m_options;
    QList<QThread *> m_threads;
    QList<DeliveryWorker *> m_workers;
    QueueKeeper *m_keeper = nullptr;
    int m_stoppedWorkers = 0;
    bool m_running = false;
    bool m_paused = false;
    bool m_stopping = false;
};

} // namespace hookline
