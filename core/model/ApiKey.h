#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace hookline {

// A key for the REST API: it belongs to one tenant, or is an admin key for
// every tenant. Only its SHA-256 is stored; the key itself ("hlk_" + 43
// base64url characters) is shown once, when it is made.
struct ApiKey final {
    QString id;       // "key_…": what logs and the audit name
    QString tenantId; // empty for an admin key
    QString name;
    bool admin = false;
    QString hint; // "hlk_AbCd…": enough to recognise it, not to use it
    QDateTime createdAt;
    std::optional<QDateTime> revokedAt;

    bool isRevoked() const { return revokedAt.has_value(); }
};

} // namespace hookline
