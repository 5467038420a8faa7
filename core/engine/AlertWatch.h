#pragma once

#include "model/Alert.h"
#include "model/AttemptOutcome.h"
#include "store/AlertStore.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

namespace hookline {

// Watches the attempts the keeper records and tells when a webhook's health
// changes: it starts failing (N deliveries in a row failed, or its success
// rate over the last hour fell under a threshold), it is deactivated (after
// its failures, or by a 410), or it delivers again. One alert opens an
// incident; nothing more is raised for it until it closes, however many
// deliveries fail meanwhile. Each alert can also become an operational event
// for the administrators' own webhook.
//
// Lives on the keeper's thread and runs inside its recording transaction, so
// an alert is written exactly when the attempts that caused it are.
class AlertWatch final {
    Q_DECLARE_TR_FUNCTIONS(hookline::AlertWatch)
public:
    struct Rules {
        int failuresInRow = 3;       // 0: off
        int successRatePercent = 50; // 0: off
        QString eventsWebhookId;     // empty: no operational events
    };
    // The success rate is judged from this many attempts within the window.
    static constexpr int kMinAttemptsForRate = 10;
    static constexpr qint64 kRateWindowMs = 3600 * 1000;
    // After an incident closes, the rate rule waits this long (and counts
    // only attempts made since) before it opens another one: a receiver
    // that fails every other request is one incident, not one a minute.
    static constexpr qint64 kQuietAfterCloseMs = 10 * 60 * 1000;
    // The rate of one webhook is counted at most this often (monotonic).
    static constexpr qint64 kRateCheckIntervalMs = 5 * 1000;
    // Alerts are kept this long.
    static constexpr qint64 kKeepMs = qint64(90) * 24 * 3600 * 1000;

    // When the webhooks whose rate was counted reach this many, those
    // counted longer than kRateCheckIntervalMs ago are forgotten (they mean
    // nothing any more): an engine that runs for months does not keep one
    // entry for every webhook it ever saw fail. The next sweep waits until
    // the table has doubled, so a sweep costs little per check.
    static constexpr qsizetype kRateChecksBeforeSweep = 1024;

    explicit AlertWatch(QSqlDatabase db, qsizetype rateChecksBeforeSweep = kRateChecksBeforeSweep)
        : m_db(std::move(db))
        , m_rateSweepAt(rateChecksBeforeSweep)
        , m_rateSweepMin(rateChecksBeforeSweep)
    {
    }
    // Webhooks whose rate this watch remembers having counted.
    qsizetype rateChecksRemembered() const { return m_rateCheckedMs.size(); }

    void setRules(Rules rules) { m_rules = std::move(rules); }
    const Rules &rules() const { return m_rules; }

    // In the caller's transaction, after DeliveryQueue::record wrote these
    // outcomes and deactivated `deactivated`: the alerts they raise (and
    // their operational events). Cheap when nothing changes: a batch of
    // successes for healthy webhooks reads nothing.
    Result<Alerts> check(const QList<AttemptOutcome> &outcomes, const QStringList &deactivated, const QDateTime &now);
    // The transaction was rolled back: what this watch believes is read again.
    void forget();
    // Alerts past kKeepMs; at most once an hour (in the caller's transaction).
    Result<int> prune(const QDateTime &now);

private:
    struct Seen {
        QString lastDeliveryId;
        QString lastProblem; // "HTTP 500", "connection refused", …
        bool lastSucceeded = false;
        bool gone = false;
    };
    Status refreshFailing();
    struct RateProblem {
        QString text;
        QJsonObject facts;
    };
    Result<std::optional<RateProblem>> rateProblem(const QString &webhookId, const QDateTime &now);
    // `h`: the admin webhook as read with the batch (empty id: not found).
    Status emitOperationalEvent(const Alert &alert, const AlertStore::Health &h, const QDateTime &now);

    QSqlDatabase m_db;
    Rules m_rules;
    QSet<QString> m_failing; // open "failing" incidents, as last read or raised
    std::optional<qint64> m_failingReadMs;
    QHash<QString, qint64> m_rateCheckedMs;
    qsizetype m_rateSweepAt;
    qsizetype m_rateSweepMin;
    std::optional<qint64> m_prunedMs;
};

} // namespace hookline
