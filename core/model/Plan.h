#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <optional>

namespace hookline {

// What a tenant may do: how many webhooks it may have and how many API
// requests a minute each of its keys may make. Plans are rows of the
// database (migration 11), not a fixed list: the seeds' four are built in
// (FREE 0 webhooks and 60 requests a minute, PRO 5 and 600, SCALE 20 and
// 6 000, ENTERPRISE 100 and 6 000), with UNLIMITED for the default tenant of
// a single-company installation, and an administrator adds others.
struct Plan final {
    QString name;                         // upper case: "PRO"
    std::optional<int> webhookQuota;      // nullopt: unlimited
    std::optional<int> requestsPerMinute; // nullopt: unlimited
    bool builtin = false;
    QDateTime createdAt;

    static QString unlimitedName() { return QStringLiteral("UNLIMITED"); }
    // Letters, digits, '_' and '-', 1 to 32 characters; stored upper case.
    static bool isValidName(QStringView name);
    static constexpr int kMaxQuota = 1000000;
    static constexpr int kMaxRequestsPerMinute = 10000000;
};

} // namespace hookline
