#include "FlowControl.h"

#include <algorithm>

namespace hookline {

QString FlowControl::hostKey(const QUrl &url)
{
    const auto scheme = url.scheme().toLower();
    const int port = url.port(scheme == u"https" ? 443 : 80);
    return scheme + QStringLiteral("://") + url.host().toLower() + u':' + QString::number(port);
}

void FlowControl::setWebhook(const QString &webhookId, const QUrl &url, std::optional<int> maxInFlight)
{
    auto &s = state(webhookId);
    const auto host = hostKey(url);
    if (s.host != host && s.inFlight > 0) {
        // Its URL changed with requests out: they count where they were sent.
        m_hosts[s.host] -= s.inFlight;
        m_hosts[host] += s.inFlight;
    }
    s.host = host;
    s.limit = maxInFlight;
}

FlowControl::State &FlowControl::state(const QString &webhookId)
{
    auto it = m_webhooks.find(webhookId);
    if (it == m_webhooks.end())
        it = m_webhooks.insert(webhookId, State{});
    return *it;
}

int FlowControl::limitOf(const State &s) const
{
    return std::max(1, s.limit.value_or(m_limits.perWebhook));
}

int FlowControl::allowed(const State &s) const
{
    const int limit = limitOf(s);
    if (s.timingOut)
        return std::min(kSlowLaneShare, limit);
    // A slow receiver answers: it may have more out, a quarter of its limit
    // at most, since each one holds a worker's slot for seconds.
    const int cap = s.slow ? std::max(kSlowLaneShare, limit / 4) : limit;
    return std::min({s.window, cap, limit});
}

bool FlowControl::Plan::take(const QString &webhookId)
{
    const auto it = m_flow.m_webhooks.constFind(webhookId);
    const State fresh;
    const State &s = it == m_flow.m_webhooks.cend() ? fresh : *it;
    int &mine = m_byWebhook[webhookId];
    if (s.inFlight + mine >= m_flow.allowed(s))
        return false;
    if (!s.host.isEmpty()) {
        int &host = m_byHost[s.host];
        if (m_flow.m_hosts.value(s.host) + host >= m_flow.m_limits.perHost)
            return false;
        ++host;
    }
    ++mine;
    return true;
}

QStringList FlowControl::closed() const
{
    QStringList out;
    for (auto it = m_webhooks.cbegin(); it != m_webhooks.cend(); ++it) {
        const auto &s = *it;
        if (s.inFlight >= allowed(s) || (!s.host.isEmpty() && m_hosts.value(s.host) >= m_limits.perHost))
            out << it.key();
    }
    return out;
}

void FlowControl::taken(const QString &webhookId)
{
    auto &s = state(webhookId);
    ++s.inFlight;
    if (!s.host.isEmpty())
        ++m_hosts[s.host];
}

void FlowControl::released(const QString &webhookId)
{
    auto it = m_webhooks.find(webhookId);
    if (it == m_webhooks.end() || it->inFlight == 0)
        return;
    --it->inFlight;
    if (!it->host.isEmpty()) {
        auto host = m_hosts.find(it->host);
        if (host != m_hosts.end() && --*host <= 0)
            m_hosts.erase(host);
    }
}

bool FlowControl::answered(const QString &webhookId, qint64 durationMs, qint64 slowAfterMs)
{
    auto &s = state(webhookId);
    const bool was = s.slow;
    s.timingOut = false;
    s.slow = durationMs > slowAfterMs;
    // One more per answer: the window doubles each round trip while the
    // receiver keeps up, like a TCP slow start.
    s.window = std::min(limitOf(s), s.window + 1);
    return s.slow != was;
}

bool FlowControl::timedOut(const QString &webhookId)
{
    auto &s = state(webhookId);
    const bool was = s.slow;
    s.timingOut = true;
    s.slow = true;
    s.window = kSlowLaneShare;
    return !was;
}

bool FlowControl::waiting(const QString &webhookId)
{
    auto &s = state(webhookId);
    if (s.slow)
        return false;
    s.slow = true;
    s.window = std::min(s.window, kSlowLaneShare);
    return true;
}

bool FlowControl::isSlow(const QString &webhookId) const
{
    return m_webhooks.value(webhookId).slow;
}

int FlowControl::inFlight(const QString &webhookId) const
{
    return m_webhooks.value(webhookId).inFlight;
}

int FlowControl::window(const QString &webhookId) const
{
    const auto it = m_webhooks.constFind(webhookId);
    return it == m_webhooks.cend() ? std::min(kInitialWindow, m_limits.perWebhook) : allowed(*it);
}

QString FlowControl::hostOf(const QString &webhookId) const
{
    return m_webhooks.value(webhookId).host;
}

} // namespace hookline
