#include "store/ApiKeyStore.h"

#include "model/Tenant.h"
#include "store/Sql.h"

namespace hookline {

namespace {
const QString kColumns = QStringLiteral("id, tenant_id, name, admin, prefix, created_at, revoked_at");

ApiKey fromRow(const QSqlQuery &q)
{
    ApiKey k;
    k.id = q.value(0).toString();
    k.admin = q.value(3).toBool();
    k.tenantId = k.admin ? QString() : q.value(1).toString();
    k.name = q.value(2).toString();
    k.hint = q.value(4).toString();
    k.createdAt = sql::fromMs(q.value(5).toLongLong());
    if (!q.value(6).isNull())
        k.revokedAt = sql::fromMs(q.value(6).toLongLong());
    return k;
}
} // namespace

Status ApiKeyStore::insert(const ApiKey &key, const QByteArray &sha256)
{
    auto q = sql::prepare(m_db, QStringLiteral("INSERT INTO api_keys (id, tenant_id, name, admin, prefix, key_hash, created_at)"
                                               " VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(key.id);
    // The column takes a tenant; an admin key names the default one and acts for all.
    q.addBindValue(key.admin ? Tenant::defaultId() : key.tenantId);
    q.addBindValue(key.name.isNull() ? QStringLiteral("") : key.name); // a null QString binds as NULL
    q.addBindValue(key.admin ? 1 : 0);
    q.addBindValue(key.hint);
    q.addBindValue(QString::fromLatin1(sha256.toHex()));
    q.addBindValue(sql::toMs(key.createdAt));
    return sql::exec(q, tr("saving the API key"));
}

Result<QList<ApiKey>> ApiKeyStore::list() const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT %1 FROM api_keys ORDER BY created_at, id").arg(kColumns));
    if (auto s = sql::exec(q, tr("reading the API keys")); !s)
        return s.error();
    QList<ApiKey> out;
    while (q.next())
        out << fromRow(q);
    return out;
}

Result<std::optional<ApiKey>> ApiKeyStore::find(const QString &id) const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT %1 FROM api_keys WHERE id = ?").arg(kColumns));
    q.addBindValue(id);
    if (auto s = sql::exec(q, tr("reading an API key")); !s)
        return s.error();
    if (!q.next())
        return std::optional<ApiKey>{};
    return std::optional(fromRow(q));
}

Result<std::optional<std::pair<ApiKey, QByteArray>>> ApiKeyStore::findByHash(const QByteArray &sha256) const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT %1, key_hash FROM api_keys WHERE key_hash = ?").arg(kColumns));
    q.addBindValue(QString::fromLatin1(sha256.toHex()));
    if (auto s = sql::exec(q, tr("looking up an API key")); !s)
        return s.error();
    if (!q.next())
        return std::optional<std::pair<ApiKey, QByteArray>>{};
    return std::optional(std::pair{fromRow(q), QByteArray::fromHex(q.value(7).toString().toLatin1())});
}

Status ApiKeyStore::revoke(const QString &id, const QDateTime &at)
{
    auto q = sql::prepare(m_db, QStringLiteral("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"));
    q.addBindValue(sql::toMs(at));
    q.addBindValue(id);
    return sql::exec(q, tr("revoking the API key"));
}

} // namespace hookline
