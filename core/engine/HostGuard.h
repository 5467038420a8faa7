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
class HostGuard final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostGuard)

public:
    explicit HostGuard(QObject *parent = nullptr) : QObject(parent) {}

    // refusal: why the host may not be reached (no retry); dnsError: the
    // lookup failed (retried like any network error). Both empty: go ahead.
    using Callback = std::function<void(const QString &refusal, const QString &dnsError)>;
    void check(const QUrl &url, bool allowPrivate, Callback callback);

    static QString refusalFor(const QString &host, const QList<QHostAddress> &addresses);

private:
    struct Entry {
        QList<QHostAddress> addresses;
        QString error;
        qint64 expiresAtMs = 0; // Clock::monotonicMs()
    };
    void answer(const Entry &entry, const QString &host, const Callback &callback) const;

    QHash<QString, Entry> m_cache;
    QHash<QString, QList<Callback>> m_waiting;
};

} // namespace hookline
