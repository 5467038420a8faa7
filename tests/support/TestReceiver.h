#pragma once

// A loopback HTTP/1.1 receiver for the engine tests: a QTcpServer that speaks
// just enough HTTP (Content-Length bodies, keep-alive, several requests a
// connection), records every request, and answers from a programmable script.
//
// It lives in the thread that creates it (the test's main thread): the test
// must spin an event loop (QTRY_*, QSignalSpy::wait, QEventLoop) while the
// engine or a child process talks to it.

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QTcpServer>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;
class QTimer;

namespace hookline::test {

using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

struct ReceivedRequest {
    int index = 0;      // 0-based, in arrival order
    int connection = 0; // which TCP connection carried it (1-based)
    QByteArray method;
    QByteArray path;    // the request target, e.g. "/hook?x=1"
    QByteArray version; // "HTTP/1.1"
    RawHeaders headers; // in the order received, names as sent
    QByteArray body;
    qint64 receivedAtMs = 0;  // monotonic milliseconds since the receiver started
    qint64 wallClockMs = 0;   // QDateTime::currentMSecsSinceEpoch() at arrival
    qint64 answeredAtMs = -1; // when the answer was written (same clock as receivedAtMs); -1: not (yet)

    // First header of that name (case-insensitive), or a null QByteArray.
    QByteArray header(const QByteArray &name) const;
    bool hasHeader(const QByteArray &name) const;
    // Position of the first header of that name, or -1.
    qsizetype headerIndex(const QByteArray &name) const;
};

// What to do with one request.
struct ScriptedReply {
    enum class Action {
        Answer,  // send status, headers, body (after delayMs)
        Hang,    // never answer; the connection stays open
        Close,   // close the connection without answering (after delayMs)
        Trickle, // send the head, then the body one byte every trickleIntervalMs
    };
    Action action = Action::Answer;
    int status = 200;
    QByteArray reason;  // empty: a standard phrase for the status
    RawHeaders headers; // extra headers (Retry-After, Location, ...)
    QByteArray body = QByteArrayLiteral("ok");
    int delayMs = 0;
    int trickleIntervalMs = 200;
    bool closeAfter = false; // "Connection: close" and close after answering
    // Content-Length as declared; when it is more than the body, the
    // connection closes after the body (a reply cut short). -1: the body's size.
    qint64 declaredLength = -1;

    static ScriptedReply ok(int status = 200, QByteArray body = QByteArrayLiteral("ok"));
    static ScriptedReply withHeader(int status, const QByteArray &name, const QByteArray &value);
    static ScriptedReply delayed(int delayMs, int status = 200);
    static ScriptedReply hang();
    static ScriptedReply close();
    static ScriptedReply trickle(QByteArray body, int intervalMs);
};

class TestReceiver final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestReceiver)

public:
    explicit TestReceiver(QObject *parent = nullptr);
    ~TestReceiver() override;

    // Listens on 127.0.0.1, on a free port unless one is given.
    bool listen(quint16 port = 0);
    // The same over TLS (url() says https://), presenting this certificate.
    bool listenTls(const QByteArray &certificatePem, const QByteArray &keyPem, quint16 port = 0);
    void close(); // stops listening and drops every connection
    quint16 port() const;
    QString url(const QString &path = QStringLiteral("/hook")) const;

    // Replies for the next requests, in order; after they run out, the
    // default reply. A responder, when set, decides instead of both.
    void setScript(QList<ScriptedReply> script);
    void appendScript(const ScriptedReply &reply);
    void setDefaultReply(const ScriptedReply &reply);
    using Responder = std::function<ScriptedReply(const ReceivedRequest &)>;
    void setResponder(Responder responder);

    QList<ReceivedRequest> requests() const { return m_requests; }
    QList<ReceivedRequest> requests(const QByteArray &path) const;
    int count() const { return int(m_requests.size()); }
    int count(const QByteArray &path) const;
    const ReceivedRequest &request(int i) const { return m_requests.at(i); }
    void clear();

    // The most requests (of those `which` selects; all by default) that were
    // open at once: arrived and not yet answered.
    int maxConcurrent(const std::function<bool(const ReceivedRequest &)> &which = {}) const;

    int connectionsAccepted() const { return m_connectionCounter; }
    int openConnections() const { return int(m_connections.size()); }
    qint64 elapsedMs() const { return m_clock.elapsed(); }

Q_SIGNALS:
    void requestReceived(int index);

private:
    struct Connection {
        int id = 0;
        QPointer<QTcpSocket> socket;
        QByteArray buffer;
        QList<int> queue;  // parsed requests waiting for their answer, in order
        bool busy = false; // answering the head of the queue (delay, hang, trickle)
        bool hung = false;
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void onDisconnected(QTcpSocket *socket);
    bool parseOne(Connection &c); // false when the buffer holds no full request yet
    void serveNext(QTcpSocket *socket);
    void answer(QTcpSocket *socket, int requestIndex, const ScriptedReply &reply);
    void finishAnswer(QTcpSocket *socket, bool closeAfter);
    ScriptedReply replyFor(const ReceivedRequest &request);
    static QByteArray reasonPhrase(int status);

    void useServer(std::unique_ptr<QTcpServer> server);

    std::unique_ptr<QTcpServer> m_server;
    bool m_tls = false;
    QElapsedTimer m_clock;
    QHash<QTcpSocket *, Connection> m_connections;
    QList<ReceivedRequest> m_requests;
    QList<ScriptedReply> m_script;
    ScriptedReply m_default;
    Responder m_responder;
    int m_connectionCounter = 0;
};

} // namespace hookline::test
