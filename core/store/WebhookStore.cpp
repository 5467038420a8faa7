#include "WebhookStore.h"

#include "signing/SecretBox.h"
#include "store/Database.h"
#include "store/Sql.h"

namespace hookline {

namespace {
const QString kSelect = QStringLiteral("SELECT id, tenant_id, name, url, description, scheme, active, max_retries, retry_delay_seconds, backoff,"
                                       " schedule, jitter, auto_disable_after, retention, transform, consecutive_failures, disabled_reason,"
                                       " disabled_at, created_at, updated_at, max_in_flight, failing_since, inspector_url FROM webhooks");

QString scheduleToText(const QList<double> &schedule)
{
    QStringList parts;
    for (double d : schedule)
        parts << QString::number(d, 'g', 17);
    return parts.join(u',');
}

QList<double> scheduleFromText(const QString &text)
{
    QList<double> out;
    for (const auto &part : text.split(u',', Qt::SkipEmptyParts))
        out << part.toDouble();
    return out;
}

// A name the code does not know (a newer version's, a hand edit) is an error
// that names the row, never a default that would sign or retry differently.
Result<Webhook> fromRow(const QSqlQuery &q)
{
    Webhook w;
    w.id = q.value(0).toString();
    w.tenantId = q.value(1).toString();
    w.name = q.value(2).toString();
    w.url = q.value(3).toString();
    w.description = q.value(4).toString();
    const auto scheme = schemeFromName(q.value(5).toString());
    if (!scheme)
        return Error::database(WebhookStore::tr("webhook %1 has the unknown signing scheme \"%2\" in the database").arg(w.id, q.value(5).toString()));
    w.scheme = *scheme;
    w.active = q.value(6).toInt() != 0;
    w.retry.maxRetries = q.value(7).toInt();
    w.retry.retryDelaySeconds = q.value(8).toDouble();
    const auto backoff = backoffFromName(q.value(9).toString());
    if (!backoff)
        return Error::database(
            WebhookStore::tr("webhook %1 has the unknown backoff strategy \"%2\" in the database").arg(w.id, q.value(9).toString()));
    w.retry.backoff = *backoff;
    w.retry.schedule = scheduleFromText(q.value(10).toString());
    w.retry.jitter = q.value(11).toDouble();
    w.retry.autoDisableAfter = q.value(12).toInt();
    if (!q.value(13).isNull())
        w.retention = q.value(13).toInt();
    w.transform = q.value(14).toString();
    w.consecutiveFailures = q.value(15).toInt();
    w.disabledReason = q.value(16).toString();
    w.disabledAt = sql::dateOrNull(q.value(17));
    w.createdAt = sql::fromMs(q.value(18).toLongLong());
    w.updatedAt = sql::fromMs(q.value(19).toLongLong());
    if (!q.value(20).isNull())
        w.maxInFlight = q.value(20).toInt();
    w.failingSince = sql::dateOrNull(q.value(21));
    w.inspectorUrl = q.value(22).toString();
    return w;
}

void bindColumns(QSqlQuery &q, const Webhook &w)
{
    q.bindValue(QStringLiteral(":id"), sql::text(w.id));
    q.bindValue(QStringLiteral(":tenant"), sql::text(w.tenantId));
    q.bindValue(QStringLiteral(":name"), sql::text(w.name));
    q.bindValue(QStringLiteral(":url"), sql::text(w.url));
    q.bindValue(QStringLiteral(":description"), sql::text(w.description));
    q.bindValue(QStringLiteral(":scheme"), schemeName(w.scheme));
    q.bindValue(QStringLiteral(":active"), w.active ? 1 : 0);
    q.bindValue(QStringLiteral(":max_retries"), w.retry.maxRetries);
    q.bindValue(QStringLiteral(":delay"), w.retry.retryDelaySeconds);
    q.bindValue(QStringLiteral(":backoff"), backoffName(w.retry.backoff));
    q.bindValue(QStringLiteral(":schedule"), sql::text(scheduleToText(w.retry.schedule)));
    q.bindValue(QStringLiteral(":jitter"), w.retry.jitter);
    q.bindValue(QStringLiteral(":auto_disable"), w.retry.autoDisableAfter);
    q.bindValue(QStringLiteral(":retention"), w.retention ? QVariant(*w.retention) : QVariant(QMetaType(QMetaType::Int)));
    q.bindValue(QStringLiteral(":max_in_flight"), w.maxInFlight ? QVariant(*w.maxInFlight) : QVariant(QMetaType(QMetaType::Int)));
    q.bindValue(QStringLiteral(":transform"), sql::text(w.transform));
    q.bindValue(QStringLiteral(":failures"), w.consecutiveFailures);
    q.bindValue(QStringLiteral(":disabled_reason"), sql::text(w.disabledReason));
    q.bindValue(QStringLiteral(":disabled_at"), sql::optionalMs(w.disabledAt));
    q.bindValue(QStringLiteral(":created"), sql::toMs(w.createdAt));
    q.bindValue(QStringLiteral(":updated"), sql::toMs(w.updatedAt));
    q.bindValue(QStringLiteral(":inspector_url"), sql::text(w.inspectorUrl));
}
} // namespace

Status WebhookStore::loadChildren(Webhook &w) const
{
    auto subs = sql::prepare(m_db, QStringLiteral("SELECT pattern FROM webhook_subscriptions WHERE webhook_id = ? ORDER BY position"));
    subs.addBindValue(w.id);
    if (auto s = sql::exec(subs, tr("reading subscriptions")); !s)
        return s;
    while (subs.next())
        w.events << subs.value(0).toString();

    auto headers = sql::prepare(m_db, QStringLiteral("SELECT name, value FROM webhook_headers WHERE webhook_id = ? ORDER BY position"));
    headers.addBindValue(w.id);
    if (auto s = sql::exec(headers, tr("reading custom headers")); !s)
        return s;
    while (headers.next())
        w.headers << CustomHeader{headers.value(0).toString(), headers.value(1).toString()};

    auto secrets
        = sql::prepare(m_db, QStringLiteral("SELECT id, secret, created_at, expires_at FROM webhook_secrets WHERE webhook_id = ? ORDER BY id DESC"));
    secrets.addBindValue(w.id);
    if (auto s = sql::exec(secrets, tr("reading secrets")); !s)
        return s;
    const auto box = Database::secretBoxOf(m_db);
    if (!box)
        return Error::database(tr("the master key is not loaded: secrets cannot be read"));
    while (secrets.next()) {
        const auto rowId = secrets.value(0).toLongLong();
        auto plain = box->open(secrets.value(1).toString(), Database::secretRow(rowId));
        if (!plain) {
            // Never a guess, never garbage: a delivery signed with a wrong secret would go out.
            return Error::database(tr("secret %1 of webhook %2 does not open with the master key (fingerprint %3): another key, or the row "
                                      "was altered or moved; was the key changed by \"secrets rekey\" in another process? Restart this one")
                                       .arg(rowId)
                                       .arg(w.id, box->fingerprint()));
        }
        WebhookSecret secret{std::move(*plain), sql::fromMs(secrets.value(2).toLongLong()), std::nullopt};
        if (!secrets.value(3).isNull())
            secret.expiresAt = sql::fromMs(secrets.value(3).toLongLong());
        else if (w.secret.isEmpty())
            w.secret = secret.secret;
        w.secrets << secret;
    }
    return Ok{};
}

Result<std::optional<Webhook>> WebhookStore::find(const QString &id) const
{
    auto q = sql::prepare(m_db, kSelect + QStringLiteral(" WHERE id = ?"));
    q.addBindValue(id);
    if (auto s = sql::exec(q, tr("reading a webhook")); !s)
        return s.error();
    if (!q.next())
        return std::optional<Webhook>();
    auto w = fromRow(q);
    if (!w)
        return w.error();
    if (auto s = loadChildren(*w); !s)
        return s.error();
    return std::optional<Webhook>(std::move(*w));
}

Result<QList<Webhook>> WebhookStore::list(const QString &tenantId) const
{
    auto q = sql::prepare(m_db, kSelect + (tenantId.isEmpty() ? QString() : QStringLiteral(" WHERE tenant_id = ?"))
                                    + QStringLiteral(" ORDER BY created_at, id"));
    if (!tenantId.isEmpty())
        q.addBindValue(tenantId);
    if (auto s = sql::exec(q, tr("listing webhooks")); !s)
        return s.error();
    QList<Webhook> out;
    while (q.next()) {
        auto w = fromRow(q);
        if (!w)
            return w.error();
        out << std::move(*w);
    }
    for (auto &w : out) {
        if (auto s = loadChildren(w); !s)
            return s.error();
    }
    return out;
}

Result<int> WebhookStore::countForTenant(const QString &tenantId) const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT COUNT(*) FROM webhooks WHERE tenant_id = ?"));
    q.addBindValue(tenantId);
    if (auto s = sql::exec(q, tr("counting webhooks")); !s)
        return s.error();
    return q.next() ? q.value(0).toInt() : 0;
}

Status WebhookStore::writeChildren(const Webhook &w)
{
    for (const char *table : {"webhook_subscriptions", "webhook_headers"}) {
        auto del = sql::prepare(m_db, QStringLiteral("DELETE FROM %1 WHERE webhook_id = ?").arg(QLatin1StringView(table)));
        del.addBindValue(w.id);
        if (auto s = sql::exec(del, tr("replacing a webhook's lists")); !s)
            return s;
    }
    auto sub = sql::prepare(m_db, QStringLiteral("INSERT INTO webhook_subscriptions (webhook_id, position, pattern) VALUES (?, ?, ?)"));
    for (int i = 0; i < w.events.size(); ++i) {
        sub.addBindValue(w.id);
        sub.addBindValue(i);
        sub.addBindValue(w.events.at(i));
        if (auto s = sql::exec(sub, tr("saving a subscription")); !s)
            return s;
    }
    auto header = sql::prepare(m_db, QStringLiteral("INSERT INTO webhook_headers (webhook_id, position, name, value) VALUES (?, ?, ?, ?)"));
    for (int i = 0; i < w.headers.size(); ++i) {
        header.addBindValue(w.id);
        header.addBindValue(i);
        header.addBindValue(w.headers.at(i).name);
        header.addBindValue(sql::text(w.headers.at(i).value));
        if (auto s = sql::exec(header, tr("saving a custom header")); !s)
            return s;
    }
    return Ok{};
}

Result<QList<WebhookStore::Route>> WebhookStore::routes() const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT id, url, max_in_flight, retention FROM webhooks"));
    if (auto s = sql::exec(q, tr("reading webhook addresses")); !s)
        return s.error();
    const auto optionalInt = [&q](int column) { return q.value(column).isNull() ? std::nullopt : std::optional<int>(q.value(column).toInt()); };
    QList<Route> out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString(), optionalInt(2), optionalInt(3)});
    return out;
}

Status WebhookStore::insert(const Webhook &w)
{
    auto q = sql::prepare(
        m_db,
        QStringLiteral(
            "INSERT INTO webhooks (id, tenant_id, name, url, description, scheme, active, max_retries, retry_delay_seconds,"
            " backoff, schedule, jitter, auto_disable_after, retention, transform, consecutive_failures, disabled_reason,"
            " disabled_at, created_at, updated_at, max_in_flight, inspector_url) VALUES (:id, :tenant, :name, :url, :description, :scheme, :active,"
            " :max_retries, :delay, :backoff, :schedule, :jitter, :auto_disable, :retention, :transform, :failures,"
            " :disabled_reason, :disabled_at, :created, :updated, :max_in_flight, :inspector_url)"));
    bindColumns(q, w);
    if (auto s = sql::exec(q, tr("creating a webhook")); !s)
        return s;
    if (auto s = insertSecret(w.id, w.secret, w.createdAt); !s)
        return s;
    return writeChildren(w);
}

Status WebhookStore::update(const Webhook &w)
{
    auto q = sql::prepare(
        m_db, QStringLiteral("UPDATE webhooks SET tenant_id = :tenant, name = :name, url = :url, description = :description, scheme = :scheme,"
                             " active = :active, max_retries = :max_retries, retry_delay_seconds = :delay, backoff = :backoff,"
                             " schedule = :schedule, jitter = :jitter, auto_disable_after = :auto_disable, retention = :retention,"
                             " transform = :transform, consecutive_failures = :failures, disabled_reason = :disabled_reason,"
                             " disabled_at = :disabled_at, created_at = :created, updated_at = :updated, max_in_flight = :max_in_flight,"
                             " inspector_url = :inspector_url WHERE id = :id"));
    bindColumns(q, w);
    if (auto s = sql::exec(q, tr("updating a webhook")); !s)
        return s;
    return writeChildren(w);
}

Status WebhookStore::remove(const QString &id)
{
    auto q = sql::prepare(m_db, QStringLiteral("DELETE FROM webhooks WHERE id = ?"));
    q.addBindValue(id);
    return sql::exec(q, tr("deleting a webhook"));
}

Status WebhookStore::insertSecret(const QString &webhookId, const QString &secret, const QDateTime &createdAt)
{
    // Sealed with its row's id as associated data, so the id comes first:
    // the row is written empty, then given its sealed value, in the
    // caller's transaction.
    const auto box = Database::secretBoxOf(m_db);
    if (!box)
        return Error::database(tr("the master key is not loaded: secrets cannot be saved"));
    auto insert = sql::prepare(m_db, QStringLiteral("INSERT INTO webhook_secrets (webhook_id, secret, created_at) VALUES (?, '', ?) RETURNING id"));
    insert.addBindValue(webhookId);
    insert.addBindValue(sql::toMs(createdAt));
    if (auto s = sql::exec(insert, tr("saving a webhook secret")); !s)
        return s;
    if (!insert.next())
        return Error::database(tr("saving a webhook secret: no row id came back"));
    const auto rowId = insert.value(0).toLongLong();
    insert.finish();
    const auto sealed = box->seal(secret, Database::secretRow(rowId));
    if (sealed.isEmpty())
        return Error::database(tr("encrypting a webhook secret failed"));
    auto update = sql::prepare(m_db, QStringLiteral("UPDATE webhook_secrets SET secret = ? WHERE id = ?"));
    update.addBindValue(sealed);
    update.addBindValue(rowId);
    return sql::exec(update, tr("saving a webhook secret"));
}

Result<int> WebhookStore::rotateSecret(const QString &id, const QString &secret, const QDateTime &now, const QDateTime &oldExpiresAt)
{
    // Only the current secret gets the grace period; older rotated ones keep
    // their own (earlier) expiry, or end now if theirs would outlive it.
    auto expire = sql::prepare(
        m_db, QStringLiteral(
                  "UPDATE webhook_secrets SET expires_at = CASE WHEN expires_at IS NULL THEN :grace"
                  " WHEN expires_at < :grace THEN expires_at ELSE :grace END WHERE webhook_id = :id AND (expires_at IS NULL OR expires_at > :now)"));
    expire.bindValue(QStringLiteral(":grace"), sql::toMs(oldExpiresAt));
    expire.bindValue(QStringLiteral(":id"), id);
    expire.bindValue(QStringLiteral(":now"), sql::toMs(now));
    if (auto s = sql::exec(expire, tr("expiring the old secret")); !s)
        return s.error();
    // Every secret still signing is a previous one now: the newest few keep
    // their grace, the rest retire at once.
    auto retire = sql::prepare(
        m_db, QStringLiteral("UPDATE webhook_secrets SET expires_at = :now WHERE webhook_id = :id AND expires_at > :now AND id NOT IN"
                             " (SELECT id FROM webhook_secrets WHERE webhook_id = :id AND expires_at > :now ORDER BY id DESC LIMIT :keep)"));
    retire.bindValue(QStringLiteral(":now"), sql::toMs(now));
    retire.bindValue(QStringLiteral(":id"), id);
    retire.bindValue(QStringLiteral(":keep"), Webhook::kMaxPreviousSecrets);
    if (auto s = sql::exec(retire, tr("retiring the oldest secrets")); !s)
        return s.error();
    const int retired = std::max(0, retire.numRowsAffected());
    // Workers cache webhooks by updated_at: a rotation must be seen as a change.
    auto touch = sql::prepare(m_db, QStringLiteral("UPDATE webhooks SET updated_at = ? WHERE id = ?"));
    touch.addBindValue(sql::toMs(now));
    touch.addBindValue(id);
    if (auto s = sql::exec(touch, tr("updating the webhook")); !s)
        return s.error();
    if (auto s = insertSecret(id, secret, now); !s)
        return s.error();
    return retired;
}

} // namespace hookline
