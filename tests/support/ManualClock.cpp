#include "ManualClock.h"

namespace hookline::test {

ManualClock::ManualClock(const QDateTime &start)
    : m_wallMs(start.isValid() ? start.toMSecsSinceEpoch() : QDateTime::currentSecsSinceEpoch() * 1000)
{
    Clock::install(this);
}

ManualClock::~ManualClock()
{
    if (Clock::installed() == this)
        Clock::install(nullptr);
}

void ManualClock::advance(qint64 ms)
{
    if (ms <= 0)
        return;
    m_elapsedMs.fetch_add(ms, std::memory_order_acq_rel);
    m_wallMs.fetch_add(ms, std::memory_order_acq_rel);
    Q_EMIT moved();
}

void ManualClock::advanceTo(const QDateTime &when)
{
    advance(when.toMSecsSinceEpoch() - wallMs());
}

} // namespace hookline::test
