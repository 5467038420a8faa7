#pragma once

#include "model/ApiKey.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace hookline {

// The api_keys table (migrations 3 and 9): keys by the SHA-256 of their
// text (key_hash), never the text; `prefix` holds the hint.
class ApiKeyStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::ApiKeyStore)
public:
    explicit ApiKeyStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    Status insert(const ApiKey &key, const QByteArray &sha256);
    Result<QList<ApiKey>> list() const;
    Result<std::optional<ApiKey>> find(const QString &id) const;
    // The key with this hash and the hash as stored (for a constant-time comparison).
    Result<std::optional<std::pair<ApiKey, QByteArray>>> findByHash(const QByteArray &sha256) const;
    Status revoke(const QString &id, const QDateTime &at);

private:
    QSqlDatabase m_db;
};

} // namespace hookline
