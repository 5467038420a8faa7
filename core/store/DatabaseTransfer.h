#pragma once

#include "model/TransferReport.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QString>

namespace hookline {

class Database;

// Whole-database moves: a consistent copy of a live SQLite database, that
// copy put back, and an installation copied into an empty PostgreSQL schema.
// Each checks before it writes, writes in one transaction, and proves the
// result with every table's row count and checksum.
class DatabaseTransfer final {
    Q_DECLARE_TR_FUNCTIONS(hookline::DatabaseTransfer)
public:
    DatabaseTransfer() = delete;

    // SQLite: a snapshot of `database` into the new file `file` (mode 0600),
    // taken in one read transaction while engines and windows go on writing
    // (VACUUM INTO), then opened again and checked.
    static Result<TransferReport> backup(Database &database, const QString &file);
    // SQLite: `file`'s rows in place of the database's, in one transaction,
    // after checking it: intact, a Hookline database no newer than this
    // build (an older one is upgraded on a temporary copy), sealed with the
    // installation's master key, and no engine delivering meanwhile.
    static Result<TransferReport> restore(Database &database, const QString &file);
    // Every row of the SQLite `database` into the empty PostgreSQL schema at
    // `url`, schema included, in one transaction; the master key is kept for
    // `url` too, so the copy opens with the key its secrets were sealed with.
    static Result<TransferReport> copyToPostgres(Database &database, const QString &url);

    // What a file holds, read-only: its schema version and tables' figures.
    static Result<TransferReport> inspect(const QString &file);
};

} // namespace hookline
