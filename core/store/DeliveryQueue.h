#pragma once

#include "model/AttemptOutcome.h"
#include "model/Delivery.h"
#include "model/DeliveryJob.h"
#include "util/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace hookline {

class DirectStatement;

// The engine's side of the deliveries table: leases, results, replays,
// retention. Callers hold a transaction around the writes (BEGIN IMMEDIATE).
class DeliveryQueue final {
    Q_DECLARE_TR_FUNCTIONS(hookline::DeliveryQueue)
public:
    explicit DeliveryQueue(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    // Who the leases this queue takes are held by (util/LeaseOwner.h).
    void setLeaseOwner(const QString &owner) { m_leaseOwner = owner; }
    // Deliveries given back (a lease run out or taken back, a clean stop)
    // are due again where they were in line: a claim leaves next_attempt_at
    // as it was, and they keep it, ahead of what became due since.
    // Deliveries whose lease ran out (their process died) become due again.
    Result<int> recoverExpiredLeases(const QDateTime &now);
    // The holders of the leases running now, and taking back all of one's.
    Result<QStringList> leaseOwners();
    Result<int> takeBackLeases(const QString &owner, const QDateTime &now);
    // Every lease, whoever holds it: data put back or copied elsewhere, where
    // no engine works on it yet.
    Result<int> takeBackAllLeases(const QDateTime &now);
    // Takes up to `limit` due deliveries and leases them until `leaseUntil`:
    // the earliest due first, one webhook after the other (round-robin), each
    // as long as `mayTake(webhookId)` allows. The webhooks in `skip` (at
    // their limit) are not even read. Rows read and not taken stay as they
    // were (on PostgreSQL they are locked until the commit, then free).
    using MayTake = std::function<bool(const QString &webhookId)>;
    Result<QList<DeliveryJob>> claim(int limit, const QDateTime &now, const QDateTime &leaseUntil, const QStringList &skip = {},
                                     const MayTake &mayTake = {});
    // Takes one delivery by id if it is not being delivered (test pings).
    Result<std::optional<DeliveryJob>> claimOne(const QString &deliveryId, const QDateTime &leaseUntil);
    // Records attempts and next states; returns the webhooks deactivated by them.
    Result<QStringList> record(const QList<AttemptOutcome> &outcomes, const QDateTime &now);
    // Gives leased deliveries back untouched (a clean stop with requests in flight).
    Status handBack(const QStringList &deliveryIds, const QDateTime &now);

    Result<std::optional<QDateTime>> nextDueTime();
    // Deliveries pending, delivering or retrying.
    Result<int> unfinishedCount();
    // Whether there is any: asked often while waiting for a queue to empty,
    // and cheap however long the queue is.
    Result<bool> anyUnfinished();

    // Queues deliveries again: new attempts under the same delivery id.
    Result<int> replay(const QStringList &deliveryIds, const QDateTime &now);
    Result<QStringList> findForReplay(const QString &webhookId, std::optional<DeliveryStatus> status, const QDateTime &since);

    // Deletes the oldest finished deliveries of a webhook beyond its `keep`
    // newest, at most `batch` of them (their attempts with them, and the
    // events no delivery needs any more).
    struct Pruned {
        int removed = 0;
        int room = 0; // how many more the webhook may have before any is beyond `keep`
    };
    Result<Pruned> pruneWebhook(const QString &webhookId, int keep, int batch);
    // SQLite with auto_vacuum = INCREMENTAL: gives up to `pages` free pages
    // back to the file system; how many it gave (0 elsewhere).
    Result<int> releaseFreePages(int pages);
    // Free pages and all pages of the file (SQLite; 0 and 0 elsewhere).
    Result<std::pair<int, int>> pageCounts();
    // The database file's size in bytes (SQLite; 0 elsewhere).
    Result<qint64> fileBytes();
    // Rewrites the whole file with incremental vacuum on (SQLite; outside any
    // transaction). Nothing on PostgreSQL: its autovacuum does this.
    Status vacuum();

private:
    Result<QList<DeliveryJob>> loadBodies(QList<DeliveryJob> jobs);
    // Statements prepared once per queue and reused: a worker keeps its queue
    // for its lifetime, and SQLite's parsing was a visible share of the CPU.
    QSqlQuery &statement(const QString &text);
    // The same for the statements run per delivery (claiming, recording):
    // straight to SQLite's own interface (store/DirectStatement.h).
    DirectStatement &direct(const QString &text);

    QSqlDatabase m_db;
    QString m_leaseOwner;
    QHash<QString, QSqlQuery> m_statements;
    QHash<QString, std::shared_ptr<DirectStatement>> m_direct;
};

} // namespace hookline
