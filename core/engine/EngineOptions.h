#pragma once

#include <QThread>

namespace hookline {

// Intervals are real time unless marked "by the Clock" (util/Clock.h: a
// clock moved by hand reaches those without real time passing).
struct EngineOptions final {
    int workers = QThread::idealThreadCount();
    int concurrency = 32;           // requests in flight per worker
    int flushIntervalMs = 20;       // how long finished attempts wait to be written together
    int transactionGapMs = 10;      // while busy, the keeper's transactions are at least this far apart: fewer, larger ones
    int claimAhead = 3;             // each worker keeps up to this many times its concurrency claimed
    int readyHoldMs = 1000;         // a claimed job that cannot start within this goes back to the queue (by the Clock)
    int flushBatch = 128;           // write at once when this many are waiting
    int idlePollMs = 1000;          // re-check for work emitted by other processes
    int drainTimeoutMs = 5000;      // on stop, how long requests in flight may finish
    int pruneIntervalMs = 200;      // how often finished deliveries beyond retention are pruned (by the Clock): often enough to keep pace
    int settingsRefreshMs = 5000;   // a running engine sees changed settings (prefix, timeout, allow*) within this (by the Clock)
    bool claimDueDeliveries = true; // false: only deliverNow() (test pings from a one-off process)
};

} // namespace hookline
