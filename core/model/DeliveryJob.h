#pragma once

#include <QByteArray>
#include <QString>

namespace hookline {

// A delivery claimed for a worker: what it needs to send one attempt. Made
// by the queue's claim, carried from the keeper's thread to a worker's.
struct DeliveryJob final {
    QString deliveryId;
    QString webhookId;
    QString eventId;
    QString eventType;
    QString tenantId;
    int attempts = 0;      // made so far
    int retryBase = 0;     // attempts made before the latest replay
    bool slowLane = false; // its receiver is slow: sent over the worker's slow-lane connections
    QByteArray body;       // the event's canonical envelope
};

} // namespace hookline
