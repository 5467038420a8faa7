#pragma once

#include "engine/EngineOptions.h"
#include "model/Webhook.h"
#include "store/DeliveryQueue.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslConfiguration>

#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace hookline {

class Database;
class HostGuard;
class Transformer;

// One engine thread: claims due deliveries in batches under a lease, sends
// them with its own QNetworkAccessManager, and writes the attempts back in
// batched transactions on its own database connection. Lives in its own
// QThread; every slot runs there.
class DeliveryWorker final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryWorker)

public:
    DeliveryWorker(std::shared_ptr<Database> database, int index, EngineOptions options);
    ~DeliveryWorker() override;

public Q_SLOTS:
    void start();
    void wake();
    void stop();
    void setPaused(bool paused);
    void forgetWebhook(const QString &webhookId);
    // Sends one delivery now, whatever its webhook's state, with no retry
    // (test pings). Ends with deliveryFinished for that id.
    void deliverNow(const QString &deliveryId);

Q_SIGNALS:
    void started();
    void stopped();
    void idle();
    // status: a DeliveryStatus, or -1 when the delivery could not be taken.
    void deliveryFinished(const QString &deliveryId, int status);
    void webhookDeactivated(const QString &webhookId);
    void failure(const QString &message);

private:
    struct InFlight;
    struct Installation {
        QByteArray headerPrefix;
        bool allowPrivate = false;
        bool allowInsecure = false;
        int timeoutMs = 10000;
        QSslConfiguration ssl;
        QString caFile;
        qint64 loadedAtMs = 0;
    };

    void pump();
    void schedulePump();
    void dispatch(const DeliveryJob &job, bool forced);
    void send(const std::shared_ptr<InFlight> &f);
    void finished(QNetworkReply *reply);
    void conclude(const std::shared_ptr<InFlight> &f, AttemptOutcome outcome);
    AttemptOutcome decide(const InFlight &f, std::optional<int> status, const QString &error, const QByteArray &retryAfter,
                          bool retryable = true) const;
    // A failure that would repeat on every attempt (a script error, a refused
    // address): final at once, counted towards auto-disable like any other.
    AttemptOutcome finalFailure(const InFlight &f, const QString &error) const;
    bool flush();
    void prune();
    void maybeIdle();
    void handBack(const QString &deliveryId);
    void armIdleTimer();
    void refreshInstallation();
    std::shared_ptr<const Webhook> webhook(const QString &id);
    void finishStop();
    void enforceDeadlines();

    std::shared_ptr<Database> m_database;
    int m_index;
    EngineOptions m_options;
    Installation m_installation;

    QNetworkAccessManager *m_nam = nullptr;
    HostGuard *m_guard = nullptr;
    std::unique_ptr<Transformer> m_transformer;
    QTimer *m_wakeTimer = nullptr;   // next due time, or the idle poll
    QTimer *m_flushTimer = nullptr;
    QTimer *m_drainTimer = nullptr;

    std::optional<DeliveryQueue> m_queue; // on this thread's connection, with its prepared statements
    QTimer *m_deadlineTimer = nullptr;   // one sweep for every request's total deadline
    QHash<QNetworkReply *, std::shared_ptr<InFlight>> m_inFlight;
    int m_preparing = 0;             // claimed, not yet on the wire (DNS, transformation)
    QList<AttemptOutcome> m_results;
    QList<QPair<QString, int>> m_finishedSignals;
    QHash<QString, std::pair<std::shared_ptr<const Webhook>, qint64>> m_webhooks;
    QSet<QString> m_toPrune;
    qint64 m_lastPruneMs = 0;
    qint64 m_lastLeaseRecoveryMs = 0;
    bool m_pumpScheduled = false;
    bool m_drained = false;          // the last claim took everything that was due
    bool m_paused = false;
    bool m_stopping = false;
    bool m_running = false;
};

} // namespace hookline
