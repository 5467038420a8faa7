#pragma once

#include "model/Webhook.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace hookline {

// Webhook rows with their subscriptions, custom headers and secrets. Callers
// wrap writes in a transaction (sql::Transaction) so that a webhook is never
// half written.
class WebhookStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::WebhookStore)
public:
    explicit WebhookStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    Result<std::optional<Webhook>> find(const QString &id) const;
    // Every webhook, or a tenant's; by creation time.
    Result<QList<Webhook>> list(const QString &tenantId = {}) const;
    Result<int> countForTenant(const QString &tenantId) const;
    // Where every webhook sends and how much it may have in flight: what the
    // engine's flow control needs, without subscriptions, headers or secrets.
    struct Route {
        QString id;
        QString url;
        std::optional<int> maxInFlight;
        std::optional<int> retention;
    };
    Result<QList<Route>> routes() const;

    Status insert(const Webhook &webhook); // including its current secret
    Status update(const Webhook &webhook); // not the secrets
    Status remove(const QString &id);
    // Adds `secret` as current; the previous current one expires at `oldExpiresAt`.
    // Returns how many rotated secrets stopped signing early (Webhook::kMaxPreviousSecrets).
    Result<int> rotateSecret(const QString &id, const QString &secret, const QDateTime &now, const QDateTime &oldExpiresAt);

private:
    // A secret row, sealed under the database's master key (its id as associated data).
    Status insertSecret(const QString &webhookId, const QString &secret, const QDateTime &createdAt);
    Status writeChildren(const Webhook &webhook);
    Status loadChildren(Webhook &webhook) const;

    QSqlDatabase m_db;
};

} // namespace hookline
