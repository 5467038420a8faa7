#pragma once

#include "model/Alert.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

namespace hookline {

// The alerts table and the webhook columns an incident lives in
// (failing_since). The engine raises alerts inside its recording
// transaction; the front ends read them (AlertService).
class AlertStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::AlertStore)
public:
    explicit AlertStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    // What the engine needs to judge a webhook's health.
    struct Health {
        QString id;
        QString tenantId;
        QString name;
        bool active = false;
        int consecutiveFailures = 0;
        QString disabledReason;
        QDateTime failingSince;
    };
    Result<QHash<QString, Health>> health(const QStringList &webhookIds) const;
    // The webhooks with an open "failing" incident.
    Result<QStringList> failingWebhooks() const;

    struct AttemptCounts {
        int total = 0;
        int succeeded = 0; // answered 2xx
    };
    // The webhook's attempts started at or after `since`.
    Result<AttemptCounts> attemptsSince(const QString &webhookId, const QDateTime &since) const;
    // When its last incident closed (recovered or re-enabled), if ever.
    Result<std::optional<QDateTime>> lastClosed(const QString &webhookId) const;

    // Writes the alert (its id is filled in) and opens or closes the
    // webhook's "failing" state as its kind says. In the caller's transaction.
    Status raise(Alert &alert);

    // Newest first, as the filter says (webhook names joined in).
    Result<Alerts> list(const AlertFilter &filter) const;
    // The highest alert id so far (0: none): where a watcher starts.
    Result<qint64> latestId() const;
    // Alerts older than `before`; how many went.
    Result<int> prune(const QDateTime &before);

private:
    QSqlDatabase m_db;
};

} // namespace hookline
