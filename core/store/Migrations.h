#pragma once

#include "util/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>

namespace hookline {

// The schema, as an ordered list of versions. Each runs in its own
// transaction together with the row that records it, so a crash mid-upgrade
// leaves the database at the previous version.
class Migrations final {
    Q_DECLARE_TR_FUNCTIONS(hookline::Migrations)
public:
    Migrations() = delete;

    static int latestVersion();
    // The whole schema at the latest version, in the caller's transaction (a
    // copy into an empty PostgreSQL schema: all or nothing, DDL included).
    static Status createWithin(const QSqlDatabase &db);
    // The version recorded in the database (0 for an empty one), without writing.
    static Result<int> currentVersion(const QSqlDatabase &db);
    // Upgrades to `target` (default: the latest). A database newer than this
    // build is refused before anything is written.
    static Status migrate(const QSqlDatabase &db, int target = -1);
};

} // namespace hookline
