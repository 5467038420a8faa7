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

QString RetryPolicy::describeDelay(int n) const
{
    const auto base = baseDelaySeconds(n);
    if (!base)
        return QStringLiteral("no retry %1 in the policy").arg(n);
    const auto number = [](double v) { return QString::number(v, 'g', 6); };
    QString text;
    if (!schedule.isEmpty())
        text = QStringLiteral("delay %1 of the schedule, %2 s").arg(n).arg(number(*base));
    else if (backoff == BackoffStrategy::Exponential)
        text = QStringLiteral("exponential backoff, %1 s × 2^%2 = %3 s").arg(number(retryDelaySeconds)).arg(n - 1).arg(number(*base));
    else
        text = QStringLiteral("fixed delay of %1 s").arg(number(*base));
    if (jitter > 0)
        text += QStringLiteral(", ± %1 % jitter").arg(number(jitter * 100));
    return text;
}

} // namespace hookline
