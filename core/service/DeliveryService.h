#pragma once

#include "model/Delivery.h"
#include "model/DeliveryActivity.h"
#include "model/DeliveryFilter.h"
#include "model/Event.h"
#include "util/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>
#include <utility>

namespace hookline {

// A delivery with everything its detail view shows.
struct DeliveryDetail final {
    Delivery delivery;
    std::optional<Event> event; // gone once retention pruned it
    QString url;                // the webhook's URL now (empty when the webhook is gone)
    QList<Attempt> attempts;    // oldest first
};

// One attempt's request as it went on the wire, to send it again by hand
// ("copy as curl").
struct SentRequest final {
    QString url;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
};

// Which finished deliveries of a webhook a bulk replay queues again.
struct ReplayFilter final {
    QString webhookId;
    std::optional<DeliveryStatus> status; // succeeded or failed; both when empty
    QDateTime since;                      // created at or after
};

// What `prune` did: deliveries removed, webhooks looked at, and the size of
// the database file before and after (SQLite; 0 on PostgreSQL).
struct PruneReport final {
    int removed = 0;
    int webhooks = 0;
    qint64 bytesBefore = 0;
    qint64 bytesAfter = 0;
};

// The delivery history and what a person may do with it, for every front end.
// Each write is one transaction of its own.
class DeliveryService final {
    Q_DECLARE_TR_FUNCTIONS(hookline::DeliveryService)
public:
    explicit DeliveryService(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    // A page of the history. The next page of a walk is the same filter with
    // `after` set to the last id of this page.
    Result<QList<Delivery>> list(const DeliveryFilter &filter) const;
    Result<int> count(const DeliveryFilter &filter) const;
    // NotFound when there is no such delivery.
    Result<Delivery> get(const QString &id) const;
    Result<QList<Attempt>> attempts(const QString &deliveryId) const;
    Result<DeliveryDetail> detail(const QString &id) const;
    // The event's body as it was emitted.
    Result<QByteArray> payload(const QString &deliveryId) const;
    // The last attempt's request: the body as sent when it was kept, else the
    // event's. NotFound when nothing was sent yet.
    Result<SentRequest> lastRequest(const QString &deliveryId) const;

    // Deliveries neither succeeded nor failed yet (the queue's depth).
    Result<int> unfinishedCount() const;
    // Whether anything is pending, delivering or retrying (cheap, however many).
    Result<bool> anyUnfinished() const;
    // Deliveries by status and the age of the oldest one due (for /metrics).
    struct QueueFigures {
        QList<std::pair<DeliveryStatus, qint64>> byStatus;
        qint64 unfinished = 0;
        double oldestDueAgeSeconds = 0; // 0 when nothing waits
    };
    Result<QueueFigures> queueFigures() const;
    // The last delivery and the counts since `since`, per webhook.
    Result<WebhookActivity> activity(const QString &webhookId, const QDateTime &since) const;
    // Finished deliveries per bucket of `bucketSeconds` from `since`; every
    // webhook when `webhookId` is empty.
    Result<QList<DeliveryBucket>> histogram(const QString &webhookId, const QDateTime &since, int bucketSeconds) const;

    // Queues one delivery again, due now. NotFound when it does not exist,
    // Conflict while it is being delivered (its attempt is on the wire).
    Status retryNow(const QString &deliveryId);
    // Queues again the finished deliveries of a webhook that match; returns
    // their ids, oldest first. NotFound when the webhook does not exist;
    // Validation for a status that is not a final one.
    Result<QStringList> replay(const ReplayFilter &filter);
    // Retention on demand: every webhook's (or one's) finished deliveries
    // beyond its retention, one transaction per thousand, then the freed
    // pages back to the file system. `vacuum` rewrites the whole file
    // (SQLite): it also turns incremental vacuum on for a file older than it.
    // NotFound for a webhook that does not exist.
    Result<PruneReport> prune(const QString &webhookId = {}, bool vacuum = false);

private:
    QSqlDatabase m_db;
};

} // namespace hookline
