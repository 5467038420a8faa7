#pragma once

#include "model/DeliveryUpdate.h"

#include <QByteArray>
#include <QList>
#include <array>

namespace hookline::api {

// What the engine in this process did since it started, for /metrics:
// attempts by outcome, deliveries that finished, and how long attempts took
// (a Prometheus histogram). Fed by DeliveryEngine::deliveriesUpdated.
class DeliveryMetrics final {
public:
    void record(const DeliveryUpdates &updates);
    // The counters and the histogram in the Prometheus text format.
    QByteArray text() const;

    static constexpr std::array<double, 11> kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

private:
    qint64 m_attempts2xx = 0, m_attempts3xx = 0, m_attempts4xx = 0, m_attempts5xx = 0, m_attemptsError = 0;
    qint64 m_succeeded = 0, m_failed = 0;
    std::array<qint64, kBuckets.size()> m_bucketCounts{};
    qint64 m_count = 0;
    double m_sumSeconds = 0;
};

} // namespace hookline::api
