#include "RetryPolicy.h"

#include <algorithm>
#include <cmath>

namespace hookline {

QString backoffName(BackoffStrategy strategy)
{
    return strategy == BackoffStrategy::Fixed ? QStringLiteral("fixed") : QStringLiteral("exponential");
}

std::optional<BackoffStrategy> backoffFromName(QStringView name)
{
    if (name == u"exponential")
        return BackoffStrategy::Exponential;
    if (name == u"fixed")
        return BackoffStrategy::Fixed;
    return std::nullopt;
}

std::optional<double> RetryPolicy::baseDelaySeconds(int n) const
{
    if (n < 1 || n > retryCount())
        return std::nullopt;
    if (!schedule.isEmpty())
        return schedule.at(n - 1);
    if (backoff == BackoffStrategy::Fixed)
        return retryDelaySeconds;
    // Capped so a long exponential series cannot overflow into days of waiting.
    return std::min(retryDelaySeconds * std::ldexp(1.0, n - 1), kMaxDelaySeconds);
}

double RetryPolicy::minDelaySeconds(int n) const
{
    return baseDelaySeconds(n).value_or(0.0) * (1.0 - jitter);
}

double RetryPolicy::maxDelaySeconds(int n) const
{
    return baseDelaySeconds(n).value_or(0.0) * (1.0 + jitter);
}

std::optional<double> RetryPolicy::delaySeconds(int n, double unit) const
{
    const auto base = baseDelaySeconds(n);
    if (!base)
        return std::nullopt;
    // Uniform in [base(1-j), base(1+j)): spreads retries of many deliveries
    // that failed together so they do not hit the receiver again at once.
    return *base * (1.0 - jitter + 2.0 * jitter * std::clamp(unit, 0.0, 1.0));
}

} // namespace hookline
