#pragma once

#include "model/Delivery.h"

#include <QDateTime>
#include <QString>

namespace hookline {

// What one attempt did, and what happens to the delivery next. Decided by a
// worker, written by the keeper (DeliveryQueue::record).
struct AttemptOutcome final {
    enum class WebhookEffect { None, Succeeded, FailedFinally, Gone, Inactive };

    QString deliveryId;
    QString webhookId;
    bool attempted = true; // false: decided without sending (inactive webhook)
    bool timedOut = false; // no answer within the deadline (the engine's flow control reads it)
    Attempt attempt;       // number, times, request and response
    DeliveryStatus status = DeliveryStatus::Failed;
    QDateTime nextAttemptAt; // for retrying
    WebhookEffect effect = WebhookEffect::None;
    QString reason; // for a deactivation
};

} // namespace hookline
