#pragma once

#include "model/Delivery.h"
#include "model/DeliveryActivity.h"
#include "model/DeliveryFilter.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace hookline {

// The read side of the history: paged (by offset or after a delivery), newest first.
class DeliveryStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::DeliveryStore)
public:
    explicit DeliveryStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    Result<QList<Delivery>> list(const DeliveryFilter &filter) const;
    Result<int> count(const DeliveryFilter &filter) const;
    Result<std::optional<Delivery>> find(const QString &id) const;
    Result<QList<Attempt>> attempts(const QString &deliveryId) const;
    // Deliveries by status, and the due time of the oldest one waiting (for /metrics).
    struct QueueFigures {
        QList<std::pair<DeliveryStatus, qint64>> byStatus;
        QDateTime oldestDue; // invalid when nothing is due
    };
    Result<QueueFigures> queueFigures(const QDateTime &now) const;
    Result<WebhookActivity> activity(const QString &webhookId, const QDateTime &since) const;
    // Finished deliveries per bucket of `bucketSeconds` from `since` (all webhooks when empty).
    Result<QList<DeliveryBucket>> histogram(const QString &webhookId, const QDateTime &since, int bucketSeconds) const;

private:
    QSqlDatabase m_db;
};

} // namespace hookline
