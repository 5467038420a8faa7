#pragma once

// A clock that stands still until the test moves it. While it lives it is
// the process's clock (util/Clock.h): services, stores and engines read it,
// so retries, leases, grace periods and retention are tested by moving it,
// not by sleeping. Moving it emits Clock::moved, which a running engine
// answers at once.

#include "util/Clock.h"

#include <QDateTime>

#include <atomic>

namespace hookline::test {

class ManualClock final : public Clock {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ManualClock)

public:
    // Starts at `start`, or at the current time in whole seconds (HTTP dates,
    // signature timestamps and Retry-After have no fraction, so whole-second
    // times keep the tests' arithmetic exact). Installs itself.
    explicit ManualClock(const QDateTime &start = {});
    ~ManualClock() override; // gives the process its system clock back

    // Moves wall and monotonic time ahead together (ms >= 0).
    void advance(qint64 ms);
    void advanceSecs(qint64 secs) { advance(secs * 1000); }
    // Moves ahead to `when`; a time already past leaves the clock where it is.
    void advanceTo(const QDateTime &when);

protected:
    qint64 wallMs() const override { return m_wallMs.load(std::memory_order_acquire); }
    qint64 elapsedMs() const override { return m_elapsedMs.load(std::memory_order_acquire); }
    bool runsByItself() const override { return false; }

private:
    std::atomic<qint64> m_wallMs;
    std::atomic<qint64> m_elapsedMs{0};
};

} // namespace hookline::test
