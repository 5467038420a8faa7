#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QSqlDatabase>
#include <optional>

namespace hookline {

// The answers kept for idempotency keys (migration 10).
class IdempotencyStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::IdempotencyStore)
public:
    explicit IdempotencyStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    struct Kept {
        QByteArray requestHash;
        QByteArray answer;
    };
    // The answer kept for `key` since `since`, if any.
    Result<std::optional<Kept>> find(const QString &tenantId, const QString &key, const QDateTime &since) const;
    // Keeps an answer, replacing one older than the window.
    Status keep(const QString &tenantId, const QString &key, const Kept &kept, const QDateTime &at);
    // Forgets the answers made before `before`.
    Status forgetBefore(const QDateTime &before);

private:
    QSqlDatabase m_db;
};

} // namespace hookline
