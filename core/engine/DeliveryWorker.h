#pragma once

#include "engine/ClaimPacer.h"
#include "engine/EngineOptions.h"
#include "model/AttemptOutcome.h"
#include "model/DeliveryJob.h"
#include "model/Webhook.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslConfiguration>
#include <QUrl>

#include <deque>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkRequest;
class QNetworkReply;
class QTimer;

namespace hookline {

class Database;
class HostGuard;
class Transformer;

// One network thread: sends the jobs the QueueKeeper gives it with its own
// QNetworkAccessManager, and hands the attempts back to the keeper, which
// writes them. It asks for work ahead so that a finished request is replaced
// at once, no more than it starts within readyHoldMs at its pace (ClaimPacer);
// a job that waits longer behind full slots goes back to the queue, and a
// request unanswered past the slow threshold gives its slot up. Its own database connection serves
// reads only (webhooks, settings); it never writes and never waits for a
// write. Lives in its own QThread; every slot runs there.
class DeliveryWorker final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryWorker)

public:
    DeliveryWorker(std::shared_ptr<Database> database, int index, EngineOptions options);
    ~DeliveryWorker() override;

public Q_SLOTS:
    void start();
    void stop();
    void setPaused(bool paused);
    void forgetWebhook(const QString &webhookId);
    // Claimed jobs from the keeper. `forced`: send whatever the webhook's
    // state, with no retry (test pings).
    void accept(const QList<DeliveryJob> &jobs, bool forced);
    // The keeper committed final failures of these webhooks (one entry per
    // failure) from this worker, and deactivated these webhooks.
    void recorded(const QStringList &failedWebhooks, const QStringList &deactivated);

Q_SIGNALS:
    void started();
    void stopped();
    void failure(const QString &message);
    // To the keeper (wired by DeliveryEngine), with this worker's index:
    // `count` more jobs wanted; finished attempts (`urgent`: write them at
    // once, a test ping waits); claimed jobs it will not send.
    void workWanted(int worker, int count);
    void attemptsFinished(int worker, const QList<AttemptOutcome> &outcomes, bool urgent);
    void handedBack(const QStringList &deliveryIds);
    // A request to this webhook has had no answer for longer than the slow
    // threshold (slowAnswerSeconds): the keeper moves it to the slow lane.
    void requestWaiting(const QString &webhookId);

private:
    struct InFlight;
    struct Installation {
        QByteArray headerPrefix;
        bool allowPrivate = false;
        bool allowInsecure = false;
        int timeoutMs = 10000;
        qint64 slowAfterMs = 2000;
        QSslConfiguration ssl;
        QString caFile;
        std::optional<qint64> loadedAtMs; // Clock::monotonicMs(); none: never read
    };

    void topUp();
    void dispatchReady();
    void dispatch(const DeliveryJob &job, bool forced);
    void send(const std::shared_ptr<InFlight> &f);
    static void pinToAddress(QNetworkRequest &request, const InFlight &f);
    static QByteArray timingsOf(const InFlight &f, qint64 totalMs);
    void finished(QNetworkReply *reply);
    void conclude(const std::shared_ptr<InFlight> &f, AttemptOutcome outcome);
    AttemptOutcome decide(const InFlight &f, std::optional<int> status, const QString &error, const QByteArray &retryAfter,
                          bool retryable = true) const;
    // A failure that would repeat on every attempt (a script error, a refused
    // address): final at once, counted towards auto-disable like any other.
    AttemptOutcome finalFailure(const InFlight &f, const QString &error) const;
    void ship();
    void scheduleShip();
    void handBack(const QStringList &deliveryIds);
    void handBackReady();
    void handBackOverdue();
    void refreshInstallation();
    struct CachedWebhook {
        std::shared_ptr<const Webhook> webhook;
        QUrl url;            // parsed once
        qint64 readAtMs = 0; // Clock::monotonicMs()
    };
    const CachedWebhook *webhook(const QString &id);
    void maybeFinishStop();
    void finishStop();
    void enforceDeadlines();
    // Requests holding one of this worker's `concurrency` slots: the slow
    // lane's do not, nor those unanswered past the slow threshold (the keeper
    // bounds both by their webhooks' shares).
    int busy() const { return m_holdingSlots + m_preparing; }
    QNetworkAccessManager *slowLane();
    QNetworkAccessManager *newNetworkManager(); // a manager as every lane needs it, its replies to finished()

    std::shared_ptr<Database> m_database;
    int m_index;
    EngineOptions m_options;
    Installation m_installation;

    QNetworkAccessManager *m_nam = nullptr;
    // Slow receivers' requests, on connections of their own: a host gets six
    // HTTP/1.1 connections per manager, and a receiver that takes seconds to
    // answer would otherwise hold the ones its host's other webhooks need.
    QNetworkAccessManager *m_slowNam = nullptr;
    int m_holdingSlots = 0; // of m_inFlight, those holding a slot
    HostGuard *m_guard = nullptr;
    std::unique_ptr<Transformer> m_transformer;
    QTimer *m_drainTimer = nullptr;
    QTimer *m_deadlineTimer = nullptr; // one sweep for every request's total deadline

    struct Ready {
        DeliveryJob job;
        qint64 sinceMs = 0; // Clock::monotonicMs() when it arrived
    };
    std::deque<Ready> m_ready; // claimed for this worker, not yet sent
    ClaimPacer m_pacer;
    int m_readySlow = 0; // of those, for the slow lane (they need no slot)
    int m_requested = 0; // asked of the keeper, not yet given
    QHash<QNetworkReply *, std::shared_ptr<InFlight>> m_inFlight;
    int m_preparing = 0;             // taken from m_ready, not yet on the wire (DNS, transformation)
    QList<AttemptOutcome> m_results; // finished, not yet handed to the keeper
    bool m_urgent = false;           // m_results holds a test ping's attempt
    bool m_shipScheduled = false;
    bool m_dispatching = false;
    QHash<QString, CachedWebhook> m_webhooks;
    // Final failures shipped and not yet committed, per webhook: its next
    // deliveries wait, because that failure may deactivate it (auto-disable,
    // 410) and nothing more may be sent then.
    QHash<QString, int> m_awaiting;
    bool m_paused = false;
    bool m_stopping = false;
    bool m_running = false;
};

} // namespace hookline
