#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace hookline {

enum class BackoffStrategy { Exponential, Fixed };

QString backoffName(BackoffStrategy strategy);
std::optional<BackoffStrategy> backoffFromName(QStringView name);

// When a failed delivery is tried again, and when its webhook gives up.
// With an explicit schedule (say 60, 300, 1800, 7200 seconds) the schedule
// alone decides: one retry per entry. Otherwise retry n (1-based) waits
// retryDelaySeconds × 2^(n-1) (exponential) or retryDelaySeconds (fixed).
struct RetryPolicy final {
    int maxRetries = 3;
    double retryDelaySeconds = 5.0;
    BackoffStrategy backoff = BackoffStrategy::Exponential;
    QList<double> schedule;
    double jitter = 0.0;      // ± this fraction of each delay, 0..1
    int autoDisableAfter = 5; // deliveries failed in a row before the webhook is deactivated; 0 = never

    int retryCount() const { return schedule.isEmpty() ? maxRetries : int(schedule.size()); }

    // Delay before retry `n` (1-based) without jitter; nullopt past the last retry.
    std::optional<double> baseDelaySeconds(int n) const;

    // The delay range jitter may move retry `n` into.
    double minDelaySeconds(int n) const;
    double maxDelaySeconds(int n) const;

    // A jittered delay: `unit` is a uniform random number in [0, 1).
    std::optional<double> delaySeconds(int n, double unit) const;
    // Where retry `n`'s delay comes from, in words ("the schedule's 3rd
    // delay, 1800 s", "exponential backoff: 5 s × 2^2 = 20 s, ± 10 % jitter").
    QString describeDelay(int n) const;

    bool operator==(const RetryPolicy &) const = default;

    // Bounds enforced by validation.
    static constexpr int kMaxRetries = 25;
    static constexpr double kMaxDelaySeconds = 7 * 24 * 3600.0;
    static constexpr double kMinDelaySeconds = 0.001;
    static constexpr int kMaxAutoDisableAfter = 10000;
};

} // namespace hookline
