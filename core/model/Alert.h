#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace hookline {

// One change in a webhook's health, as the engine saw it (alerts table).
// Failing, Disabled and Gone open an incident: the administrator is told
// once, whatever number of deliveries fail after it. Recovered and
// Reenabled close it.
struct Alert final {
    enum class Kind {
        Failing,   // N deliveries in a row failed, or the success rate fell under the threshold
        Disabled,  // deactivated after auto_disable_after failures in a row
        Gone,      // deactivated by a 410 Gone
        Recovered, // a failing webhook delivered again
        Reenabled, // the administrator turned an automatically deactivated webhook back on
    };

    qint64 id = 0;
    QString webhookId;
    QString webhookName; // read with the row (the webhook's name today)
    QString tenantId;
    Kind kind = Kind::Failing;
    QString detail; // what happened, in words (English, as the engine writes it: logs, CLI, events)
    // The same as data, for a window to say in its own language:
    // {"rule": "inRow"|"rate"|"autoDisable"|"gone"|"recovered"|"reenabled",
    //  "count", "last", "succeeded", "total", "minutes", "threshold", "since", "by"}.
    QJsonObject facts;
    QString deliveryId; // the delivery that tipped it, when one did
    QDateTime createdAt;

    bool opensIncident() const { return kind == Kind::Failing || kind == Kind::Disabled || kind == Kind::Gone; }
};

using Alerts = QList<Alert>;

// Which alerts to read, newest first.
struct AlertFilter final {
    QDateTime since;       // invalid: from the first
    QString webhookId;     // empty: every webhook
    QString tenantId;      // empty: every tenant
    qint64 afterId = 0;    // only alerts written after this one (a watcher's cursor)
    bool openOnly = false; // only the alerts of incidents still open (the webhook still failing or deactivated)
    int limit = 100;
};

QString alertKindName(Alert::Kind kind);
std::optional<Alert::Kind> alertKindFromName(QStringView name);

// The operational event an alert of this kind emits into the admin webhook
// (hookline.webhook.disabled, .failing, .recovered), or empty for none.
QString alertEventType(Alert::Kind kind);

} // namespace hookline
