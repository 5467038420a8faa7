#pragma once

#include "model/DeliveryStatus.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace hookline {

// What a committed attempt changed on its delivery: everything a history
// row shows that can change, so that a front end updates the rows it holds
// instead of reading them again.
struct DeliveryUpdate final {
    QString deliveryId;
    QString webhookId;
    DeliveryStatus status = DeliveryStatus::Pending;
    std::optional<int> attempts; // the count after this attempt; unchanged when nothing was sent
    QDateTime nextAttemptAt;     // when retrying
    QDateTime updatedAt;
    std::optional<int> lastStatusCode;
    QString lastError;
    std::optional<qint64> lastDurationMs; // none when nothing was sent, as the row stores it
};

using DeliveryUpdates = QList<DeliveryUpdate>;

} // namespace hookline
