#include "service/ApiKeyService.h"

#include "service/AuditLog.h"
#include "service/TenantService.h"
#include "signing/Hmac.h"
#include "signing/Secret.h"
#include "store/ApiKeyStore.h"
#include "store/Sql.h"
#include "util/Clock.h"
#include "util/Ids.h"

#include <QCryptographicHash>
#include <QJsonObject>

#include <openssl/crypto.h>

namespace hookline {

namespace {
constexpr int kKeyBytes = 32;

QByteArray sha256(QStringView text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
}
} // namespace

Result<ApiKeyService::Created> ApiKeyService::create(const QString &tenantId, const QString &name, bool admin)
{
    if (admin && !tenantId.isEmpty())
        return Error::validation(QStringLiteral("tenant"), tr("an admin key is for every tenant: give no tenant"));
    if (!admin) {
        if (tenantId.isEmpty())
            return Error::validation(QStringLiteral("tenant"), tr("is required (or make an admin key)"));
        if (auto t = TenantService(m_db).get(tenantId); !t)
            return t.error();
    }
    if (name.size() > 200)
        return Error::validation(QStringLiteral("name"), tr("is longer than 200 characters"));
    QByteArray bytes = Secret::randomBytes(kKeyBytes);
    if (bytes.isEmpty())
        return Error{Error::Code::Internal, tr("the system's random number generator failed; no key was made"), {}};
    Created out;
    out.text = kPrefix.toString() + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    out.key.id = newId(u"key_");
    out.key.tenantId = admin ? QString() : tenantId;
    out.key.name = name.trimmed();
    out.key.admin = admin;
    out.key.hint = out.text.left(kPrefix.size() + 4) + QStringLiteral("…");
    out.key.createdAt = Clock::now();

    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    if (auto s = ApiKeyStore(m_db).insert(out.key, sha256(out.text)); !s)
        return s.error();
    if (auto s = AuditLog(m_db).record(
            QStringLiteral("apikey.created"), QStringLiteral("apikey"), out.key.id,
            QJsonObject{{QStringLiteral("tenant"), admin ? QStringLiteral("(all: admin)") : tenantId}, {QStringLiteral("name"), out.key.name}});
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return out;
}

Result<QList<ApiKey>> ApiKeyService::list() const
{
    return ApiKeyStore(m_db).list();
}

Status ApiKeyService::revoke(const QString &id)
{
    ApiKeyStore store(m_db);
    auto found = store.find(id);
    if (!found)
        return found.error();
    if (!*found)
        return Error::notFound(tr("no API key \"%1\"").arg(id));
    if ((*found)->isRevoked())
        return Ok{}; // already: nothing changes, nothing to record
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s;
    if (auto s = store.revoke(id, Clock::now()); !s)
        return s;
    if (auto s = AuditLog(m_db).record(QStringLiteral("apikey.revoked"), QStringLiteral("apikey"), id); !s)
        return s;
    return tx.commit();
}

Result<std::optional<ApiKey>> ApiKeyService::authenticate(QStringView text) const
{
    if (!text.startsWith(kPrefix) || text.size() > 200)
        return std::optional<ApiKey>{};
    const auto digest = sha256(text);
    auto found = ApiKeyStore(m_db).findByHash(digest);
    if (!found)
        return found.error();
    // Found by its hash; compared again in constant time, so that how long
    // the answer takes never depends on how much of a guess was right.
    if (!*found || !constantTimeEquals((*found)->second, digest) || (*found)->first.isRevoked())
        return std::optional<ApiKey>{};
    return std::optional((*found)->first);
}

} // namespace hookline
