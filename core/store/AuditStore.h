#pragma once

#include "model/AuditEntry.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

namespace hookline {

// The audit_log table. Appends ride in the caller's transaction: the row is
// written with the change it records, or not at all.
class AuditStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::AuditStore)
public:
    explicit AuditStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    Status append(const AuditEntry &entry);
    // Newest first.
    Result<QList<AuditEntry>> list(const AuditFilter &filter) const;
    // Keeps the newest `keep` rows of this object.
    Status prune(const QString &objectType, const QString &objectId, int keep);

private:
    QSqlDatabase m_db;
};

} // namespace hookline
