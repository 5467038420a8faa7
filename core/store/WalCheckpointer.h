#pragma once

#include <QObject>
#include <QThread>

namespace hookline {

class Database;

// Checkpoints a SQLite database's write-ahead log on a thread of its own, so
// that the writers' commits never do. By default SQLite checkpoints inside
// the commit that takes the log past 1 000 pages: that commit then copies
// the pages into the database and syncs it, and everything waiting on it
// (the API's answers after a group commit, the engine's next claim) waits
// with it. With a checkpointer, the process's connections turn SQLite's own
// off (Database::checkpointInBackground) and this thread copies what was
// committed, every kIntervalMs while writes come (PASSIVE: it blocks no
// writer and no reader). Not more often: every pass copies the pages
// committed since the last one (an index's hot pages again and again) and
// syncs the database file, and after a pass that copied everything the next
// writer starts the log again, syncing its header inside its commit (at
// 20 ms, 161 such syncs in a 20 000-delivery run; 6 at 100 ms). Not rarer:
// at 200 ms each pass copies so much at once that the API's group commits
// wait behind it. Figures in tests/benchmarks/PROFILE.md.
//
// Under a load that never pauses, the log would only grow: it starts again
// from its beginning only when a writer begins while all of it is copied.
// Past kRestartFrames (64 MB of 4 KB pages), a pass that has just copied the
// log therefore also waits for that moment (RESTART), which holds writers
// back only while it copies what they committed during the pass.
class WalCheckpointer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WalCheckpointer)
public:
    static constexpr int kIntervalMs = 100;
    static constexpr int kIdleIntervalMs = 1000;
    static constexpr qint64 kRestartFrames = 16384;

    explicit WalCheckpointer(Database &database);
    ~WalCheckpointer() override; // a last checkpoint, then the thread ends

private:
    class Worker;
    QThread m_thread;
    Worker *m_worker = nullptr;
};

} // namespace hookline
