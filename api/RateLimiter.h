#pragma once

#include <QHash>
#include <QString>

namespace hookline::api {

// A token bucket per API key: a key may spend its plan's requests per minute
// in a burst, and gets them back evenly over the minute. Time is the core's
// monotonic clock, so tests move it instead of sleeping.
class RateLimiter final {
public:
    struct Decision {
        bool allowed = true;
        int limit = 0; // requests per minute; 0 = unlimited
        int remaining = 0;
        int resetSeconds = 0;      // until the bucket is full again
        int retryAfterSeconds = 0; // until one request is allowed, when refused
    };

    Decision take(const QString &keyId, int perMinute);

private:
    struct Bucket {
        double tokens = 0;
        qint64 atMs = 0;
        int perMinute = 0;
    };
    QHash<QString, Bucket> m_buckets;
};

} // namespace hookline::api
