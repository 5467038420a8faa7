#pragma once

#include "model/Delivery.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace hookline {

struct DeliveryFilter final {
    QString webhookId;
    std::optional<DeliveryStatus> status;
    QString eventType;
    QDateTime since;   // created at or after
    QDateTime until;   // created before
    int limit = 50;
    int offset = 0;
    // Oldest first: a page near the end of a long history is then a short
    // OFFSET from the other side instead of a walk over the whole index.
    bool oldestFirst = false;

    friend bool operator==(const DeliveryFilter &, const DeliveryFilter &) = default;
};

// What the webhook list shows beside each webhook.
struct WebhookActivity final {
    QDateTime lastAt;
    std::optional<DeliveryStatus> lastStatus;
    std::optional<int> lastStatusCode;
    int succeeded = 0;   // finished in the window
    int failed = 0;
};

// Deliveries per time bucket, for the charts.
struct DeliveryBucket final {
    QDateTime start;
    int succeeded = 0;
    int failed = 0;
};

// The read side of the history: paged, newest first.
class DeliveryStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::DeliveryStore)
public:
    explicit DeliveryStore(QSqlDatabase db) : m_db(std::move(db)) {}

    Result<QList<Delivery>> list(const DeliveryFilter &filter) const;
    Result<int> count(const DeliveryFilter &filter) const;
    Result<std::optional<Delivery>> find(const QString &id) const;
    Result<QList<Attempt>> attempts(const QString &deliveryId) const;
    Result<WebhookActivity> activity(const QString &webhookId, const QDateTime &since) const;
    // Finished deliveries per bucket of `bucketSeconds` from `since` (all webhooks when empty).
    Result<QList<DeliveryBucket>> histogram(const QString &webhookId, const QDateTime &since, int bucketSeconds) const;

private:
    QSqlDatabase m_db;
};

} // namespace hookline
