#pragma once

#include "model/DeliveryStatus.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace hookline {

// One event to one webhook. Its id is stable across retries (the
// <P>-Delivery-Id and Standard Webhooks' webhook-id headers).
struct Delivery final {
    QString id;        // msg_…
    QString eventId;
    QString webhookId;
    QString eventType;
    QString tenantId;
    DeliveryStatus status = DeliveryStatus::Pending;
    int attempts = 0;
    QDateTime nextAttemptAt;
    QDateTime createdAt;
    QDateTime updatedAt;
    std::optional<int> lastStatusCode;
    QString lastError;
    std::optional<qint64> lastDurationMs;
};

// One HTTP request of a delivery and what came back.
struct Attempt final {
    qint64 id = 0;
    QString deliveryId;
    int number = 0;
    QDateTime startedAt;
    qint64 durationMs = 0;
    QByteArray requestHeaders;   // JSON array of [name, value]
    QByteArray requestBody;
    std::optional<int> responseStatus;
    QByteArray responseHeaders;  // JSON array of [name, value]
    QByteArray responseBody;     // truncated to 64 KB
    QString error;
};

} // namespace hookline
