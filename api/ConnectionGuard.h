#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QTimer>

class QTcpSocket;

namespace hookline::api {

class ConnectionGuard;

// One timer for every connection of a server: it looks at their deadlines
// four times a second, instead of each connection restarting a timer of its
// own twice per request.
class ConnectionSweep final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionSweep)
public:
    static constexpr int kIntervalMs = 250;
    explicit ConnectionSweep(QObject *parent = nullptr);
    void add(ConnectionGuard *guard);
    void remove(ConnectionGuard *guard);
    int size() const { return int(m_guards.size()); }

private:
    void sweep();
    QTimer m_timer;
    QSet<ConnectionGuard *> m_guards;
};

// Keeps one client connection from holding the server: a request must arrive
// whole within `requestMs` of its first byte (a slow or half-sent request is
// answered 408 and closed), an idle keep-alive connection is closed after
// `idleMs`, and a request whose Content-Length is over the body limit is
// answered 413 before its body is read. The socket's read buffer is bounded
// too, so a body without a length (chunked) cannot grow past the limit
// either: it stalls, and the request deadline ends it.
class ConnectionGuard final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionGuard)
public:
    struct Limits {
        qint64 maxBodyBytes = 1024 * 1024;
        int requestMs = 10000;
        int idleMs = 30000;
    };
    ConnectionGuard(QTcpSocket *socket, Limits limits, ConnectionSweep &sweep);
    ~ConnectionGuard() override;

    static ConnectionGuard *of(QTcpSocket *socket);
    // The server answered a request: the connection is idle again.
    void requestDone();
    bool refused() const { return m_refused; }

    // Answers leave in the order the requests came, even when a later one is
    // ready first (an ingest waits for its group commit, a GET does not).
    quint64 reserveAnswer() { return m_nextAnswer++; }
    void sendAnswer(quint64 number, QByteArray bytes, bool close);

    // Called by the sweep: acts when the current deadline has passed.
    void checkDeadline();

private:
    void onReadyRead();
    void onTimeout();
    void refuse(QByteArrayView status, const QByteArray &code, const QByteArray &message);

    QTcpSocket *m_socket;
    Limits m_limits;
    ConnectionSweep &m_sweep;
    QDeadlineTimer m_deadline;
    bool m_reading = false; // between a request's first byte and its answer
    bool m_headChecked = false;
    bool m_refused = false;
    quint64 m_nextAnswer = 0;
    quint64 m_nextToSend = 0;
    QMap<quint64, std::pair<QByteArray, bool>> m_ready;
};

} // namespace hookline::api
