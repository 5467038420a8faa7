#pragma once

#include <QHash>
#include <QString>
#include <QUrl>

#include <optional>

namespace hookline {

// How many requests one engine may have in flight to each webhook and each
// host, and which webhooks are in the slow lane. Kept by the QueueKeeper on
// its thread; "in flight" means handed to a worker and not yet reported back.
//
// A webhook's share is a window that opens as its receiver answers (one more
// per answer, up to its limit) and closes to the slow-lane share when a
// request times out: a receiver that never answers holds at most that share
// of the engine, and one that answers slowly has its requests sent over the
// workers' slow-lane connections, so the six connections a host gets per
// network manager stay free for the webhooks that answer. A new webhook
// starts with a small window: before anything is known of a receiver, it may
// not take every connection to its host.
class FlowControl final {
public:
    static constexpr int kInitialWindow = 2;
    static constexpr int kSlowLaneShare = 2;

    struct Limits {
        int perWebhook = 64;
        int perHost = 256;
    };

    void setLimits(Limits limits) { m_limits = limits; }
    const Limits &limits() const { return m_limits; }
    // What the engine knows of a webhook's receiver (from its row).
    void setWebhook(const QString &webhookId, const QUrl &url, std::optional<int> maxInFlight);
    bool knows(const QString &webhookId) const { return m_webhooks.contains(webhookId); }
    // Forgets the webhooks not in `kept` that have nothing in flight (deleted ones).
    template <typename Keys>
    void forgetAllBut(const Keys &kept)
    {
        for (auto it = m_webhooks.begin(); it != m_webhooks.end();)
            it = !kept.contains(it.key()) && it->inFlight == 0 ? m_webhooks.erase(it) : std::next(it);
    }

    // A claim being planned: how many more each webhook may take now, counting
    // what this claim took already. Nothing is recorded until taken().
    class Plan final {
    public:
        explicit Plan(const FlowControl &flow)
            : m_flow(flow)
        {
        }
        // One more for this webhook, if its window and its host allow.
        bool take(const QString &webhookId);

    private:
        const FlowControl &m_flow;
        QHash<QString, int> m_byWebhook;
        QHash<QString, int> m_byHost;
    };

    // Webhooks that can take nothing now: not worth reading from the queue.
    QStringList closed() const;

    void taken(const QString &webhookId);
    void released(const QString &webhookId);

    // What an attempt said of its receiver: it ended (an answer of any status,
    // or a failure such as a refused connection) after `durationMs`, or it
    // timed out.
    // Each returns whether the webhook changed lanes.
    bool answered(const QString &webhookId, qint64 durationMs, qint64 slowAfterMs);
    bool timedOut(const QString &webhookId);
    // A request has been waiting longer than the slow threshold: the next
    // ones go to the slow lane now, not when this one ends.
    bool waiting(const QString &webhookId);

    bool isSlow(const QString &webhookId) const;
    int inFlight(const QString &webhookId) const;
    int window(const QString &webhookId) const;
    int hostInFlight(const QString &hostKey) const { return m_hosts.value(hostKey); }
    QString hostOf(const QString &webhookId) const;

    // scheme://host:port, lower case: what a network manager pools connections by.
    static QString hostKey(const QUrl &url);

private:
    struct State {
        QString host;
        std::optional<int> limit; // the webhook's own, else the installation's
        int window = kInitialWindow;
        int inFlight = 0;
        bool slow = false;
        bool timingOut = false; // its last request ran out of time
    };
    int limitOf(const State &s) const;
    int allowed(const State &s) const; // what its window, limit and lane allow
    State &state(const QString &webhookId);

    Limits m_limits;
    QHash<QString, State> m_webhooks;
    QHash<QString, int> m_hosts; // in flight per host
};

} // namespace hookline
