#pragma once

#include "model/RetryPolicy.h"

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace hookline {

// What a response (or its absence) means for a delivery: 2xx succeeds;
// 5xx, 408, 429 and transport failures retry;
// 3xx and other 4xx fail at once; 410 fails and deactivates the webhook.
class OutcomeRules final {
public:
    OutcomeRules() = delete;

    enum class Verdict { Success, Retry, Fail, Gone };

    // `status` is empty when no response arrived (timeout, refused, TLS, DNS).
    static Verdict classify(std::optional<int> status);

    // Retry-After as seconds or an HTTP date, relative to `now`, between
    // 1 s and 24 h. nullopt when absent, unreadable, zero or in the past: a
    // hint that asks for "now" would retry at once, again and again, so the
    // policy's delay applies instead.
    static std::optional<double> retryAfterSeconds(const QByteArray &value, const QDateTime &now);

    // When the next attempt of a delivery happens, or nullopt when retries
    // are used up. `attemptsInRound` counts attempts since the latest replay,
    // including the one that just failed.
    static std::optional<QDateTime> nextAttempt(const RetryPolicy &policy, int attemptsInRound, const QDateTime &now,
                                                std::optional<double> retryAfter, double unitRandom);

    static constexpr double kMinRetryAfterSeconds = 1.0;
    static constexpr double kMaxRetryAfterSeconds = 24 * 3600.0;
};

} // namespace hookline
