#include "RateLimiter.h"

#include "util/Clock.h"

#include <cmath>

namespace hookline::api {

RateLimiter::Decision RateLimiter::take(const QString &keyId, int perMinute)
{
    if (perMinute <= 0)
        return {};
    const qint64 now = Clock::monotonicMs();
    auto it = m_buckets.find(keyId);
    if (it == m_buckets.end() || it->perMinute != perMinute) // a new key, or its plan changed
        it = m_buckets.insert(keyId, Bucket{double(perMinute), now, perMinute});
    const double perMs = perMinute / 60000.0;
    // A clock that moved back (a test's manual clock) refills nothing.
    it->tokens = std::min(double(perMinute), it->tokens + double(std::max<qint64>(0, now - it->atMs)) * perMs);
    it->atMs = now;

    Decision d;
    d.limit = perMinute;
    if (it->tokens >= 1.0) {
        it->tokens -= 1.0;
    } else {
        d.allowed = false;
        d.retryAfterSeconds = std::max(1, int(std::ceil((1.0 - it->tokens) / perMs / 1000.0)));
    }
    d.remaining = int(std::floor(it->tokens));
    d.resetSeconds = int(std::ceil((perMinute - it->tokens) / perMs / 1000.0));
    return d;
}

} // namespace hookline::api
