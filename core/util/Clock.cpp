#include "Clock.h"

#include <atomic>
#include <chrono>

namespace hookline {

namespace {
std::atomic<Clock *> g_installed{nullptr};
}

Clock::~Clock()
{
    // A clock that goes away stops being the process's clock.
    Clock *self = this;
    g_installed.compare_exchange_strong(self, nullptr);
}

qint64 Clock::nowMs()
{
    if (const auto *c = g_installed.load(std::memory_order_acquire))
        return c->wallMs();
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 Clock::nowSecs()
{
    return nowMs() / 1000;
}

QDateTime Clock::now()
{
    if (const auto *c = g_installed.load(std::memory_order_acquire))
        return QDateTime::fromMSecsSinceEpoch(c->wallMs(), Qt::UTC);
    return QDateTime::currentDateTimeUtc();
}

qint64 Clock::monotonicMs()
{
    if (const auto *c = g_installed.load(std::memory_order_acquire))
        return c->elapsedMs();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool Clock::runs()
{
    const auto *c = g_installed.load(std::memory_order_acquire);
    return !c || c->runsByItself();
}

void Clock::install(Clock *clock)
{
    g_installed.store(clock, std::memory_order_release);
}

Clock *Clock::installed()
{
    return g_installed.load(std::memory_order_acquire);
}

} // namespace hookline
