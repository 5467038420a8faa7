#pragma once

#include "model/ApiKey.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace hookline {

// API keys for the REST API. A key is "hlk_" + 43 base64url characters (32
// bytes from OpenSSL's CSPRNG); only its SHA-256 is stored, and a presented
// key is compared with it in constant time. Creating and revoking are
// audited; the key's text is never logged or audited.
class ApiKeyService final {
    Q_DECLARE_TR_FUNCTIONS(hookline::ApiKeyService)
public:
    static constexpr QStringView kPrefix = u"hlk_";

    explicit ApiKeyService(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    struct Created {
        ApiKey key;
        QString text; // the key itself: shown once, stored nowhere
    };
    // A key for `tenantId` (which must exist), or an admin key for every tenant.
    Result<Created> create(const QString &tenantId, const QString &name, bool admin);
    Result<QList<ApiKey>> list() const;
    Status revoke(const QString &id);
    // The key `text` stands for, when it is one and not revoked; nullopt otherwise.
    Result<std::optional<ApiKey>> authenticate(QStringView text) const;

private:
    QSqlDatabase m_db;
};

} // namespace hookline
