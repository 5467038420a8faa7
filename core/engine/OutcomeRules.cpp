#include "OutcomeRules.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace hookline {

OutcomeRules::Verdict OutcomeRules::classify(std::optional<int> status)
{
    if (!status)
        return Verdict::Retry;
    const int s = *status;
    if (s >= 200 && s < 300)
        return Verdict::Success;
    if (s == 410)
        return Verdict::Gone;
    if (s >= 500 || s == 408 || s == 429)
        return Verdict::Retry;
    return Verdict::Fail; // 1xx left over, 3xx (redirects are never followed), other 4xx
}

std::optional<double> OutcomeRules::retryAfterSeconds(const QByteArray &raw, const QDateTime &now)
{
    const auto value = raw.trimmed();
    if (value.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const double seconds = value.toDouble(&isNumber);
    if (isNumber) {
        if (!std::isfinite(seconds) || seconds <= 0)
            return std::nullopt;
        return std::clamp(seconds, kMinRetryAfterSeconds, kMaxRetryAfterSeconds);
    }
    // An HTTP date (RFC 9110 §5.6.7): IMF-fixdate, or the obsolete RFC 850 and asctime forms.
    // All three are in GMT. The weekday is dropped before parsing: Qt checks it
    // against the date, and RFC 850's two-digit year first lands in the 1900s.
    auto text = QString::fromLatin1(value).simplified();
    if (const auto comma = text.indexOf(u','); comma >= 0)
        text = text.mid(comma + 1).trimmed();
    else if (const auto space = text.indexOf(u' '); space >= 0)
        text = text.mid(space + 1).trimmed(); // asctime: "Sun Nov  6 08:49:37 1994"
    QDateTime when;
    const QLocale c = QLocale::c();
    for (const auto &format :
         {QStringLiteral("dd MMM yyyy hh:mm:ss 'GMT'"), QStringLiteral("dd-MMM-yy hh:mm:ss 'GMT'"), QStringLiteral("MMM d hh:mm:ss yyyy")}) {
        when = c.toDateTime(text, format);
        if (when.isValid()) {
            when.setTimeSpec(Qt::UTC);
            if (when.date().year() < 1970)
                when = when.addYears(100);
            break;
        }
    }
    if (!when.isValid())
        return std::nullopt;
    const double delta = double(now.msecsTo(when)) / 1000.0;
    if (delta <= 0)
        return std::nullopt;
    return std::clamp(delta, kMinRetryAfterSeconds, kMaxRetryAfterSeconds);
}

std::optional<QDateTime> OutcomeRules::nextAttempt(const RetryPolicy &policy, int attemptsInRound, const QDateTime &now,
                                                   std::optional<double> retryAfter, double unitRandom)
{
    // After attempt k, retry number k follows, if the policy has one.
    const auto delay = policy.delaySeconds(attemptsInRound, unitRandom);
    if (!delay)
        return std::nullopt;
    const double seconds = retryAfter ? std::max(*retryAfter, kMinRetryAfterSeconds) : *delay;
    return now.addMSecs(qint64(std::llround(seconds * 1000.0)));
}

} // namespace hookline
