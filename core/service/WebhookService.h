#pragma once

#include "model/Webhook.h"
#include "service/WebhookValidator.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace hookline {

// Creating, changing and removing webhooks: validation, quotas and secrets,
// each change in one transaction. The CLI, the REST API and the window all
// come through here.
class WebhookService final {
    Q_DECLARE_TR_FUNCTIONS(hookline::WebhookService)
public:
    explicit WebhookService(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    Result<Webhook> create(Webhook draft);
    // "Inspect this webhook": an inactive copy of `id` (same events, scheme,
    // headers, policy and current secret) pointed at the request inspector
    // listening at `inspectorBase` (http://127.0.0.1:PORT), path
    // /inspect/<id>; the original is untouched. Inactive, it receives no
    // events, only the test pings sent to it. The copy made earlier for the
    // same inspector address is given back rather than a second one.
    Result<Webhook> inspectorCopy(const QString &id, const QString &inspectorBase);
    // Replaces the stored webhook with `changed` (same id); secrets are kept.
    Result<Webhook> update(Webhook changed);
    Status remove(const QString &id);
    struct Rotation {
        QString secret;
        QDateTime previousExpiresAt;
        int retiredEarly = 0; // older secrets that stopped signing now (Webhook::kMaxPreviousSecrets)
    };
    // A new secret; the old one keeps signing for `graceSeconds` (default: the setting).
    Result<Rotation> rotateSecret(const QString &id, std::optional<int> graceSeconds = std::nullopt);

    Result<Webhook> get(const QString &id) const;
    Result<QList<Webhook>> list(const QString &tenantId = {}) const;

    // What the validator needs to know of the installation right now.
    Result<WebhookValidator::Context> validationContext() const;

private:
    Status checkQuota(const QString &tenantId) const;

    QSqlDatabase m_db;
};

} // namespace hookline
