#pragma once

#include "model/DeliveryStatus.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace hookline {

// Which deliveries a history query returns, and which page of them.
struct DeliveryFilter final {
    QString webhookId;
    std::optional<DeliveryStatus> status;
    QString eventType;
    QDateTime since; // created at or after
    QDateTime until; // created before
    int limit = 50;
    // Random access for the window's table, which knows the count and jumps.
    int offset = 0;
    // A cursor for front ends that walk the history page by page (the CLI,
    // the REST API): only deliveries after this one in the filter's order.
    // A delivery id stays valid however many rows arrive meanwhile, where an
    // offset would shift. Used instead of `offset`, not with it.
    QString after;
    // Oldest first: a page near the end of a long history is then a short
    // OFFSET from the other side instead of a walk over the whole index.
    bool oldestFirst = false;

    friend bool operator==(const DeliveryFilter &, const DeliveryFilter &) = default;
};

} // namespace hookline
