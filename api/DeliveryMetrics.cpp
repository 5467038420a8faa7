#include "DeliveryMetrics.h"

namespace hookline::api {

void DeliveryMetrics::record(const DeliveryUpdates &updates)
{
    for (const auto &u : updates) {
        if (u.status == DeliveryStatus::Succeeded)
            ++m_succeeded;
        else if (u.status == DeliveryStatus::Failed)
            ++m_failed;
        if (!u.lastDurationMs)
            continue; // nothing was sent (refused before the wire)
        const int code = u.lastStatusCode.value_or(0);
        if (code >= 200 && code < 300)
            ++m_attempts2xx;
        else if (code >= 300 && code < 400)
            ++m_attempts3xx;
        else if (code >= 400 && code < 500)
            ++m_attempts4xx;
        else if (code >= 500 && code < 600)
            ++m_attempts5xx;
        else
            ++m_attemptsError;
        const double seconds = double(*u.lastDurationMs) / 1000.0;
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            if (seconds <= kBuckets[i])
                ++m_bucketCounts[i];
        }
        ++m_count;
        m_sumSeconds += seconds;
    }
}

QByteArray DeliveryMetrics::text() const
{
    QByteArray out;
    out += "# HELP hookline_attempts_total HTTP attempts made by the engine of this process, by outcome.\n"
           "# TYPE hookline_attempts_total counter\n";
    const std::pair<const char *, qint64> outcomes[]
        = {{"2xx", m_attempts2xx}, {"3xx", m_attempts3xx}, {"4xx", m_attempts4xx}, {"5xx", m_attempts5xx}, {"error", m_attemptsError}};
    for (const auto &[name, n] : outcomes)
        out += "hookline_attempts_total{outcome=\"" + QByteArray(name) + "\"} " + QByteArray::number(n) + '\n';
    out += "# HELP hookline_deliveries_finished_total Deliveries this process's engine finished, by final status.\n"
           "# TYPE hookline_deliveries_finished_total counter\n"
           "hookline_deliveries_finished_total{status=\"succeeded\"} "
           + QByteArray::number(m_succeeded)
           + "\n"
             "hookline_deliveries_finished_total{status=\"failed\"} "
           + QByteArray::number(m_failed) + '\n';
    out += "# HELP hookline_attempt_duration_seconds How long attempts took, from the request to the whole answer.\n"
           "# TYPE hookline_attempt_duration_seconds histogram\n";
    for (size_t i = 0; i < kBuckets.size(); ++i)
        out += "hookline_attempt_duration_seconds_bucket{le=\"" + QByteArray::number(kBuckets[i]) + "\"} " + QByteArray::number(m_bucketCounts[i])
               + '\n';
    out += "hookline_attempt_duration_seconds_bucket{le=\"+Inf\"} " + QByteArray::number(m_count) + '\n';
    out += "hookline_attempt_duration_seconds_sum " + QByteArray::number(m_sumSeconds, 'f', 3) + '\n';
    out += "hookline_attempt_duration_seconds_count " + QByteArray::number(m_count) + '\n';
    return out;
}

} // namespace hookline::api
