#pragma once

#include <QString>

namespace hookline::api {

// Who a request acts as: the API key it carried. A tenant's key sees only its
// tenant; an admin key sees them all.
struct Principal final {
    QString keyId;
    QString tenantId; // the key's tenant ("default" for an admin key)
    bool admin = false;
    int requestsPerMinute = 0; // the plan's rate for this key; 0 = unlimited

    bool sees(const QString &tenant) const { return admin || tenant == tenantId; }
};

} // namespace hookline::api
