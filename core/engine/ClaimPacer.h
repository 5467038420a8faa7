#pragma once

#include <QtGlobal>

namespace hookline {

// How much work one DeliveryWorker keeps claimed: its free slots, plus a
// buffer of what it will start within `holdMs` at its recent pace. The
// buffer lets a finished request be replaced at once without a round trip
// to the keeper; sizing it by the pace means a worker whose requests take
// their time holds no more claimed work than it can start soon, and the
// rest stays in the queue for the engine's other workers. Whatever still
// waits longer than `holdMs` while every slot is taken goes back (overdue()).
//
// Times are Clock::monotonicMs(). Lives on its worker's thread.
class ClaimPacer final {
public:
    // `claimAhead`: the most a worker keeps claimed, in multiples of its concurrency.
    ClaimPacer(int concurrency, int claimAhead, qint64 holdMs);

    // A job left the ready list for the wire.
    void started(qint64 nowMs);
    // Nothing in flight and nothing waiting: the next burst starts with the
    // full buffer, as if the receivers were quick, until its pace is known.
    void idle();
    // Jobs went back unstarted: the pace lately measured overstates what the
    // worker can start now, so the buffer starts again from none.
    void stalled(qint64 nowMs);

    // Jobs to keep claimed beyond the free slots.
    int buffer(qint64 nowMs) const;
    // How many more jobs to ask the keeper for now; 0 when not worth a claim
    // (work on its way already covers the free slots, and asking in chunks
    // keeps the keeper's claims few).
    int wanted(int busy, int ready, int requested, qint64 nowMs) const;
    // A job ready since `readySinceMs` that has not started by now goes back.
    bool overdue(qint64 readySinceMs, qint64 nowMs) const { return nowMs - readySinceMs >= m_holdMs; }
    qint64 holdMs() const { return m_holdMs; }

private:
    int m_concurrency;
    int m_maxBuffer;
    qint64 m_holdMs;
    // Starts counted in windows of holdMs: the one running and the one before.
    qint64 m_windowStartMs = -1; // none since idle()
    int m_current = 0;
    int m_previous = 0;
    bool m_measured = false; // one whole window has passed since idle()
};

} // namespace hookline
