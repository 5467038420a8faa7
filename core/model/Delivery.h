#pragma once

#include "model/DeliveryStatus.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace hookline {

// One event to one webhook. Its id is stable across retries (the
// <P>-Delivery-Id and Standard Webhooks' webhook-id headers).
struct Delivery final {
    QString id; // msg_…
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
    QByteArray requestHeaders; // JSON array of [name, value]
    QByteArray requestBody;
    std::optional<int> responseStatus;
    QByteArray responseHeaders; // JSON array of [name, value]
    QByteArray responseBody;    // truncated to 64 KB
    QString error;
    QString remoteAddress; // the address connected to ("203.0.113.7:443"), when the request went out
    // Milliseconds from the start of the request, as Qt reports them, JSON:
    // {"dns","connect","tls","firstByte","total"}; a step that did not
    // happen (a kept-alive connection, a cached lookup) is left out.
    QByteArray timings;
    QString decision; // what happens next and why, in words ("retry 2 of 5 at …")
};

// Attempts keep headers as a JSON array of [name, value]: the pairs, in order
// (anything else in the array is skipped).
QList<std::pair<QByteArray, QByteArray>> headersFromJson(const QByteArray &json);

} // namespace hookline
