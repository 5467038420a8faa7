#pragma once

#include <QtGlobal>

namespace hookline {

// Writes of a SQLite write-ahead log, combined: one pwrite(2) for what a
// transaction appends instead of two for each page.
//
// Why: SQLite writes every frame of the log with two system calls (its
// 24-byte header, then the page), so a commit of the engine's keeper (about
// 45 pages) made about 90 of them, and the ingest writer two per event. On
// the machines Hookline is measured on a system call costs several
// microseconds whatever it carries: these writes were most of the keeper's
// and the ingest writer's kernel time (tests/benchmarks/PROFILE.md).
//
// How: a VFS over SQLite's default one, made the default. A log's appends
// gather in a buffer, which is written out, in order, before anything could
// read the file or see the frames: when the commit frame's page is written
// (the frame that publishes the transaction; SQLite updates the shared index
// only after that write returns, and an error is returned by that write, so
// the commit fails as it would have), and before every read, sync, truncate,
// size query, file control and close of the log. A write that does not
// continue the buffer writes the buffer out first. Durability is SQLite's
// own: a commit returns after its frames are in the file, as without it.
//
// A transaction that rolls back after spilling pages into the log leaves
// frames gathered that must never reach the file: another connection writes
// its own there next, and a later write-out would overwrite them. So each
// log is paired with its connection's database file (wrapped too, only for
// this), and what is gathered is dropped when the connection gives up the
// log's write lock: a commit has written its frames out by then. A log that
// cannot be paired for sure (two database files of the same path opened on
// one thread, neither with its log yet) is written as SQLite writes it.
class WalWriteCombiner final {
public:
    WalWriteCombiner() = delete;

    // Registers the VFS as the default, once per process (SqliteLibrary).
    // False when SQLite has no default VFS to wrap.
    static bool install();
    static bool installed();

    // Counters over every log of the process since install (for tests and
    // profiles): writes SQLite asked for, and writes made to the file.
    struct Counts {
        quint64 requested = 0;
        quint64 issued = 0;
    };
    static Counts counts();
};

} // namespace hookline
