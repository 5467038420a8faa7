#include "engine/ClaimPacer.h"

#include <algorithm>

namespace hookline {

ClaimPacer::ClaimPacer(int concurrency, int claimAhead, qint64 holdMs)
    : m_concurrency(std::max(1, concurrency))
    , m_maxBuffer((std::max(2, claimAhead) - 1) * m_concurrency)
    , m_holdMs(std::max<qint64>(1, holdMs))
{
}

void ClaimPacer::started(qint64 nowMs)
{
    if (m_windowStartMs < 0) {
        m_windowStartMs = nowMs;
    } else if (const auto age = nowMs - m_windowStartMs; age >= 2 * m_holdMs) {
        m_previous = 0; // a whole window without a start
        m_current = 0;
        m_windowStartMs = nowMs;
        m_measured = true;
    } else if (age >= m_holdMs) {
        m_previous = m_current;
        m_current = 0;
        m_windowStartMs += m_holdMs;
        m_measured = true;
    }
    ++m_current;
}

void ClaimPacer::idle()
{
    m_windowStartMs = -1;
    m_current = 0;
    m_previous = 0;
    m_measured = false;
}

void ClaimPacer::stalled(qint64 nowMs)
{
    m_windowStartMs = nowMs;
    m_current = 0;
    m_previous = 0;
    m_measured = true;
}

int ClaimPacer::buffer(qint64 nowMs) const
{
    if (m_windowStartMs < 0)
        return m_maxBuffer;
    const auto age = nowMs - m_windowStartMs;
    if (!m_measured && age < m_holdMs)
        return m_maxBuffer; // the first window is still running
    // Starts per holdMs: the last whole window's, or the running one's once
    // it did better; a window gone by without a start counts as none.
    const int pace = age >= 2 * m_holdMs ? 0 : age >= m_holdMs ? m_current : std::max(m_previous, m_current);
    return std::min(m_maxBuffer, pace);
}

int ClaimPacer::wanted(int busy, int ready, int requested, qint64 nowMs) const
{
    const int want = m_concurrency + buffer(nowMs) - (busy + ready + requested);
    if (want <= 0)
        return 0;
    const bool onItsWay = ready + requested > 0;
    if (onItsWay && want < std::max(1, m_concurrency / 2))
        return 0;
    return want;
}

} // namespace hookline
