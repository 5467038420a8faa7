#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>
#include <utility>

class QTcpServer;
class QTcpSocket;

namespace hookline {

// One request the inspector received, exactly as it came.
struct InspectedRequest final {
    int index = 0; // 1-based, in arrival order
    QDateTime receivedAt;
    QString peer; // "127.0.0.1:53422"
    QByteArray method;
    QByteArray target; // "/webhook?x=1"
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int answeredStatus = 0; // 0: dropped without an answer
};

// How the inspector answers: a status (with a delay, a Retry-After, a body),
// or a connection dropped without an answer.
struct InspectorAnswer final {
    int status = 204;
    int delayMs = 0;
    std::optional<int> retryAfterSeconds;
    bool drop = false;
};

// A receiver on loopback for watching deliveries arrive (the window's
// request inspector and hookline-cli inspect): it records every request and
// answers as told, so each retry rule can be seen at work. HTTP/1.1 with
// Content-Length bodies and keep-alive; a chunked body is answered 411 and a
// head over 64 KiB or a body over 10 MiB 413.
class Inspector final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Inspector)

public:
    static constexpr qsizetype kMaxHead = 64 * 1024;
    static constexpr qsizetype kMaxBody = 10 * 1024 * 1024;
    static constexpr int kKept = 1000; // the newest requests kept in memory

    explicit Inspector(QObject *parent = nullptr);
    ~Inspector() override;

    // Loopback addresses only: what it receives is for this machine's eyes.
    Result<quint16> listen(const QHostAddress &address, quint16 port = 0);
    void close();
    bool isListening() const;
    QString url(const QString &path = QStringLiteral("/webhook")) const;

    void setAnswer(const InspectorAnswer &answer) { m_answer = answer; }
    InspectorAnswer answer() const { return m_answer; }
    const QList<InspectedRequest> &requests() const { return m_requests; }
    void clear();

Q_SIGNALS:
    void requestReceived(const hookline::InspectedRequest &request);

private:
    // What is read of a connection's next request, and whether one of its
    // requests waits for its (delayed) answer: requests are answered in order.
    struct Connection {
        QByteArray buffer;
        bool busy = false;
    };
    void accept();
    void read(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, int status); // and close
    void respond(QTcpSocket *socket, const InspectorAnswer &answer, bool close);

    QTcpServer *m_server;
    QHash<QTcpSocket *, Connection> m_connections;
    InspectorAnswer m_answer;
    QList<InspectedRequest> m_requests;
    int m_count = 0;
};

} // namespace hookline
