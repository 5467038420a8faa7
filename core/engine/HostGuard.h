#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

namespace hookline {

// Resolves a receiver's host before each request and refuses it when any
// address is loopback, private, link-local, multicast or otherwise not public
// (unless the installation allows private addresses). Answers are cached for a
// minute so the hot path does not wait on DNS for every delivery.
//
// The request then goes to the address that was checked (the `address`
// handed to the callback), not to the name: Qt would resolve the name again
// to connect, and a DNS answer that changed in between (rebinding) would
// reach an address nobody checked.
class HostGuard final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostGuard)

public:
    explicit HostGuard(QObject *parent = nullptr)
        : QObject(parent)
    {
    }

    // refusal: why the host may not be reached (no retry); dnsError: the
    // lookup failed (retried like any network error). Both empty: go ahead,
    // to `address` (the host itself when it is a literal address).
    using Callback = std::function<void(const QString &refusal, const QString &dnsError, const QHostAddress &address)>;
    void check(const QUrl &url, bool allowPrivate, Callback callback);

    // How names are resolved: QHostInfo unless a test installs its own
    // (answers as a list of addresses, or an error text). For the whole process.
    using Resolver
        = std::function<void(const QString &host, QObject *context, std::function<void(const QList<QHostAddress> &, const QString &error)> done)>;
    static void setResolver(Resolver resolver);

    static QString refusalFor(const QString &host, const QList<QHostAddress> &addresses);

private:
    struct Entry {
        QList<QHostAddress> addresses;
        QString error;
        qint64 expiresAtMs = 0; // Clock::monotonicMs()
    };
    void answer(const Entry &entry, const QString &host, bool allowPrivate, const Callback &callback) const;

    QHash<QString, Entry> m_cache;
    QHash<QString, QList<std::pair<bool, Callback>>> m_waiting; // (allowPrivate, callback) per host being resolved
};

} // namespace hookline
