#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace hookline {

// One administrative action (service/AuditLog.h): who did what to which
// object, and what changed. `changes` maps a field to {"old": …, "new": …};
// a secret's value is never in it.
struct AuditEntry final {
    qint64 id = 0;
    QDateTime at;
    QString actor;      // "alice (cli)", "alice (window)"; later an API key id
    QString action;     // "webhook.created", "secret.rotated", "settings.changed", …
    QString objectType; // "webhook", "setting", "tenant", "event-types", "delivery"
    QString objectId;
    QJsonObject changes;
};

struct AuditFilter final {
    QDateTime since;  // invalid: from the start
    QString objectId; // empty: every object
    int limit = 100;
};

} // namespace hookline
