#include "HostGuard.h"

#include "net/AddressPolicy.h"
#include "util/Clock.h"

#include <QHostInfo>
#include <QMutex>

namespace hookline {

namespace {
constexpr qint64 kCacheMs = 60'000;
constexpr qint64 kErrorCacheMs = 5'000;
} // namespace

QString HostGuard::refusalFor(const QString &host, const QList<QHostAddress> &addresses)
{
    for (const auto &a : addresses) {
        if (const auto why = AddressPolicy::whyForbidden(a))
            return QStringLiteral("refused: %1 resolves to %2, a %3 address (allowPrivateAddresses is off)").arg(host, a.toString(), *why);
    }
    return {};
}

namespace {
QMutex g_resolverMutex;
HostGuard::Resolver g_resolver;

HostGuard::Resolver resolver()
{
    QMutexLocker lock(&g_resolverMutex);
    return g_resolver;
}
} // namespace

void HostGuard::setResolver(Resolver r)
{
    QMutexLocker lock(&g_resolverMutex);
    g_resolver = std::move(r);
}

void HostGuard::answer(const Entry &entry, const QString &host, bool allowPrivate, const Callback &callback) const
{
    if (!entry.error.isEmpty()) {
        callback({}, entry.error, {});
        return;
    }
    // Every answer is checked (a name with one private address among public
    // ones is refused); the first one is the one the request goes to.
    const auto refusal = allowPrivate ? QString() : refusalFor(host, entry.addresses);
    callback(refusal, {}, refusal.isEmpty() ? entry.addresses.constFirst() : QHostAddress());
}

void HostGuard::check(const QUrl &url, bool allowPrivate, Callback callback)
{
    const QString host = url.host();
    const auto refuse
        = [&](const QString &why) { callback(QStringLiteral("refused: %1 is a %2 address (allowPrivateAddresses is off)").arg(host, why), {}, {}); };
    if (const QHostAddress literal(host); !literal.isNull()) {
        if (const auto why = allowPrivate ? std::nullopt : AddressPolicy::whyForbidden(literal))
            refuse(*why);
        else
            callback({}, {}, literal);
        return;
    }
    if (!allowPrivate) {
        if (const auto why = AddressPolicy::whyForbiddenHost(host)) {
            refuse(*why);
            return;
        }
    }
    const auto now = Clock::monotonicMs();
    if (const auto it = m_cache.constFind(host); it != m_cache.cend() && it->expiresAtMs > now) {
        answer(*it, host, allowPrivate, callback);
        return;
    }
    auto &waiting = m_waiting[host];
    waiting.append({allowPrivate, std::move(callback)});
    if (waiting.size() > 1)
        return; // a lookup for this host is already under way
    const auto finish = [this, host](const QList<QHostAddress> &addresses, const QString &error) {
        Entry entry;
        if (!error.isEmpty() || addresses.isEmpty())
            entry.error = QStringLiteral("cannot resolve %1: %2").arg(host, error.isEmpty() ? QStringLiteral("no address") : error);
        else
            entry.addresses = addresses;
        // A failed lookup is asked again soon: the retry should see a fixed DNS.
        entry.expiresAtMs = Clock::monotonicMs() + (entry.error.isEmpty() ? kCacheMs : kErrorCacheMs);
        m_cache.insert(host, entry);
        const auto callbacks = m_waiting.take(host);
        for (const auto &[allow, cb] : callbacks)
            answer(entry, host, allow, cb);
    };
    if (const auto custom = resolver()) {
        custom(host, this, finish);
        return;
    }
    QHostInfo::lookupHost(host, this, [finish](const QHostInfo &info) {
        finish(info.addresses(), info.error() == QHostInfo::NoError ? QString() : info.errorString());
    });
}

} // namespace hookline
