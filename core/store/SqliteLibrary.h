#pragma once

#include <QtGlobal>

namespace hookline {

// SQLite as this process uses it, set before its first connection opens
// (SQLite refuses global settings once it is initialised).
//
// Memory statistics are turned off: with them on (SQLite's default), every
// allocation SQLite makes and frees takes one mutex shared by every
// connection of the process, about 60 of each per delivery on the engine's
// database thread alone, and the ingest writer, the checkpointer and the
// workers' reads take the same one. Nothing in Hookline reads the figures.
// The write-ahead logs' appends are combined (WalWriteCombiner).
class SqliteLibrary final {
public:
    // Once per process, before a SQLite connection opens (Database and
    // SqliteFile call it). Returns whether the settings are in force: false
    // when SQLite was started before (by a library that opened a database
    // first), and it then runs with its defaults.
    static bool configure();
    // What SQLite counts as allocated now: 0 when its statistics are off.
    static qint64 memoryCounted();

private:
    SqliteLibrary() = delete;
};

} // namespace hookline
