#pragma once

#include "model/DeliveryStatus.h"

#include <QDateTime>

#include <optional>

namespace hookline {

// What the webhook list shows beside each webhook.
struct WebhookActivity final {
    QString lastDeliveryId; // the newest delivery, whose state lastStatus is
    QDateTime lastAt;
    std::optional<DeliveryStatus> lastStatus;
    std::optional<int> lastStatusCode;
    int succeeded = 0; // finished in the window
    int failed = 0;
};

// Deliveries per time bucket, for the charts.
struct DeliveryBucket final {
    QDateTime start;
    int succeeded = 0;
    int failed = 0;
};

} // namespace hookline
