#pragma once

#include "model/AuditEntry.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace hookline {

struct Webhook;

// Who changed what: every administrative action of the services (webhooks
// created, updated, deleted, activated, deactivated; secrets rotated,
// revealed or copied in the window; event types imported; settings changed;
// tenants created or changed; replays) appends a row in the same transaction
// as the change. The actor is the OS user and the front end ("alice (cli)");
// the REST API will put its key's id there. Secrets are never written: a
// webhook's changes name the fields, with their old and new values, and for
// a secret only that it changed.
class AuditLog final {
    Q_DECLARE_TR_FUNCTIONS(hookline::AuditLog)
public:
    explicit AuditLog(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    // Which front end acts in this process ("cli", "window"); set once at start.
    static void setChannel(const QString &channel);
    static QString actor();

    // While one lives, the changes its thread makes are recorded as made by
    // `actor` (the REST API names the key of each request: "api key key_…").
    class ActingAs final {
    public:
        explicit ActingAs(const QString &actor);
        ~ActingAs();
        Q_DISABLE_COPY_MOVE(ActingAs)
    private:
        QString m_previous;
    };

    // Appends one row (in the caller's transaction) and keeps the object's
    // newest rows within the installation's retention.
    Status record(const QString &action, const QString &objectType, const QString &objectId, const QJsonObject &changes = {});
    Result<QList<AuditEntry>> list(const AuditFilter &filter) const;

    // The fields that differ between two versions of a webhook, as
    // {"field": {"old": …, "new": …}}; secrets are not fields here.
    static QJsonObject changes(const Webhook &before, const Webhook &after);
    // One field's change as the log writes it: {"old": …, "new": …}.
    static QJsonObject change(const QJsonValue &before, const QJsonValue &after);
    // A new webhook's fields, as {"field": {"new": …}}.
    static QJsonObject created(const Webhook &webhook);

    // The window's secret panel: a secret was shown, or copied to the clipboard.
    Status recordSecretAccess(const QString &webhookId, bool copied);

private:
    QSqlDatabase m_db;
};

} // namespace hookline
