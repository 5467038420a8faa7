#include "HostGuard.h"

#include "net/AddressPolicy.h"
#include "util/Clock.h"

#include <QHostInfo>

namespace hookline {

namespace {
constexpr qint64 kCacheMs = 60'000;
constexpr qint64 kErrorCacheMs = 5'000;
}

QString HostGuard::refusalFor(const QString &host, const QList<QHostAddress> &addresses)
{
    for (const auto &a : addresses) {
        if (const auto why = AddressPolicy::whyForbidden(a))
            return QStringLiteral("refused: %1 resolves to %2, a %3 address (allowPrivateAddresses is off)").arg(host, a.toString(), *why);
    }
    return {};
}

void HostGuard::answer(const Entry &entry, const QString &host, const Callback &callback) const
{
    if (!entry.error.isEmpty())
        callback({}, entry.error);
    else
        callback(refusalFor(host, entry.addresses), {});
}

void HostGuard::check(const QUrl &url, bool allowPrivate, Callback callback)
{
    if (allowPrivate) {
        callback({}, {});
        return;
    }
    const QString host = url.host();
    if (const auto why = AddressPolicy::whyForbiddenHost(host)) {
        callback(QStringLiteral("refused: %1 is a %2 address (allowPrivateAddresses is off)").arg(host, *why), {});
        return;
    }
    const auto now = Clock::monotonicMs();
    if (const auto it = m_cache.constFind(host); it != m_cache.cend() && it->expiresAtMs > now) {
        answer(*it, host, callback);
        return;
    }
    auto &waiting = m_waiting[host];
    waiting << std::move(callback);
    if (waiting.size() > 1)
        return; // a lookup for this host is already under way
    QHostInfo::lookupHost(host, this, [this, host](const QHostInfo &info) {
        Entry entry;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty())
            entry.error = QStringLiteral("cannot resolve %1: %2").arg(host, info.errorString());
        else
            entry.addresses = info.addresses();
        // A failed lookup is asked again soon: the retry should see a fixed DNS.
        entry.expiresAtMs = Clock::monotonicMs() + (entry.error.isEmpty() ? kCacheMs : kErrorCacheMs);
        m_cache.insert(host, entry);
        const auto callbacks = m_waiting.take(host);
        for (const auto &cb : callbacks)
            answer(entry, host, cb);
    });
}

} // namespace hookline
