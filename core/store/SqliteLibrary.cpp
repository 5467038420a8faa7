#include "SqliteLibrary.h"

#include "WalWriteCombiner.h"
#include "util/Log.h"

#include <mutex>

#include <sqlite3.h>

namespace hookline {

bool SqliteLibrary::configure()
{
    static std::once_flag once;
    static bool inForce = false;
    std::call_once(once, [] {
        inForce = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
        if (!inForce)
            qCDebug(lcStore) << "SQLite was started before Hookline opened a database: its memory statistics stay on";
        // After sqlite3_config: registering a VFS starts SQLite.
        if (!WalWriteCombiner::install())
            qCWarning(lcStore) << "SQLite has no default VFS: its write-ahead logs are written frame by frame";
    });
    return inForce;
}

qint64 SqliteLibrary::memoryCounted()
{
    return qint64(sqlite3_memory_used());
}

} // namespace hookline
