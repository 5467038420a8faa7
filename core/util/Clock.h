#pragma once

#include <QDateTime>
#include <QObject>

namespace hookline {

// The one source of time in core. Wall time (UTC) is what is stored, signed
// and scheduled: ids, created_at, next_attempt_at, leases, Retry-After,
// secret expiry. Monotonic time measures durations and ages: request
// deadlines, attempt durations, cache and settings ages, lease-recovery and
// prune intervals.
//
// The process reads the system clock unless another clock is installed (the
// tests install a ManualClock and move it by hand). There is one clock for the
// whole process, not one per engine or service: a delivery scheduled by a
// service is claimed by an engine, ids sort by the time in them, and leases
// are compared with stored times, so every reader must agree on what "now" is.
//
// Timers: a QTimer only wakes its owner and never decides anything itself;
// whoever wakes asks the clock again (is it due? is the deadline past?). A
// clock that jumps emits moved(), and the engine's keeper and workers look
// again at once, so a moved clock is noticed without real time passing. A
// clock that does not run by itself (runs() false) never brings a due time
// closer, so the keeper does not aim a timer at one; it keeps its idle poll.
// Timers that pace the machine rather than the schedule fire after real
// time whatever the clock (with a clock that stands still they wait their
// full interval): batching (flushIntervalMs, transactionGapMs), the idle
// poll for other processes, the drain on stop, the deadline sweep's period,
// the retry of a busy database, and a script's time limit (Transformer).
//
// Not final: tests derive their ManualClock from it.
class Clock : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Clock)

public:
    ~Clock() override;

    // Safe from any thread. Without an installed clock they read the system
    // clock directly: no virtual call and no lock on every request's path.
    static qint64 nowMs();       // wall: milliseconds since the epoch
    static qint64 nowSecs();     // wall: seconds since the epoch
    static QDateTime now();      // wall, UTC
    static qint64 monotonicMs(); // never goes back; its zero means nothing
    // Whether time passes by itself (the system clock) or only when moved.
    static bool runs();

    // Replaces the system clock for the whole process; nullptr gives it back.
    // Install before any other thread reads time (engines, executors) and
    // remove once they have stopped: readers hold no reference to it.
    static void install(Clock *clock);
    static Clock *installed();

Q_SIGNALS:
    // Time jumped ahead: due times and deadlines may have been reached
    // without any timer firing. Emitted on the thread that moved it.
    void moved();

protected:
    Clock() = default;
    virtual qint64 wallMs() const = 0;
    virtual qint64 elapsedMs() const = 0;
    virtual bool runsByItself() const = 0;
};

} // namespace hookline
