#pragma once

#include "model/RetryPolicy.h"
#include "signing/Scheme.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace hookline {

struct CustomHeader final {
    QString name;
    QString value;
    bool operator==(const CustomHeader &) const = default;
};

// One secret of a webhook. The current one has no expiry; a rotated one keeps
// signing beside the new one until `expiresAt` (the grace period).
struct WebhookSecret final {
    QString secret;
    QDateTime createdAt;
    std::optional<QDateTime> expiresAt;
};

struct Webhook final {
    // Rotated secrets that may still sign beside the current one. Each adds a
    // signature to every request: without a cap, a webhook rotated often
    // inside its grace period sends headers that grow until receivers refuse
    // them (431). A rotation beyond the cap retires the oldest one early.
    static constexpr int kMaxPreviousSecrets = 3;

    QString id;
    QString tenantId = QStringLiteral("default");
    QString name;
    QString url;
    QString description;
    Scheme scheme = Scheme::Standard;
    bool active = true;
    QStringList events; // exact names, "group.*" or "*"
    QList<CustomHeader> headers;
    RetryPolicy retry;
    std::optional<int> retention;   // newest deliveries kept; unset = installation setting
    std::optional<int> maxInFlight; // requests in flight at once; unset = installation setting
    QString transform;              // body of a JavaScript function of `payload`; empty = none
    QString secret;                 // the current secret
    QList<WebhookSecret> secrets;   // every secret, newest first (rotation history)
    QDateTime createdAt;
    QDateTime updatedAt;
    QString disabledReason; // set when the engine deactivated it
    QDateTime disabledAt;
    int consecutiveFailures = 0;
    QDateTime failingSince; // an open "failing" incident (model/Alert.h); set by the engine only
    // Set only on the copy "Inspect this webhook" makes (WebhookService::inspectorCopy):
    // that one loopback http:// URL is allowed whatever the settings, while
    // the webhook still points at it.
    QString inspectorUrl;
    bool isInspectorCopy() const { return !inspectorUrl.isEmpty() && inspectorUrl == url; }

    // Secrets that sign a delivery sent at `now`: the current one first, then
    // the newest kMaxPreviousSecrets rotated ones still inside their grace
    // period (a database from before the cap may hold more).
    QStringList signingSecrets(const QDateTime &now) const;
    // Overwrites the secrets this copy holds (Secret::wipe): for the engine's
    // cache, when a webhook changes or the engine stops.
    void wipeSecrets();
};

} // namespace hookline
