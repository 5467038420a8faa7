#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace hookline {

// One occurrence of an event type. `body` is the canonical envelope that every
// delivery of it sends (a transformation may reshape it per webhook).
struct Event final {
    QString id; // evt_…
    QString tenantId;
    QString type;
    QDateTime createdAt;
    QByteArray body;
};

} // namespace hookline
