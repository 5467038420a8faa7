#include "Inspector.h"

#include "net/HostPort.h"
#include "net/HttpStatusText.h"
#include "util/Clock.h"

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace hookline {

namespace {
std::optional<QByteArray> header(const QList<std::pair<QByteArray, QByteArray>> &headers, QByteArrayView name)
{
    for (const auto &[n, v] : headers) {
        if (QByteArrayView(n).compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return std::nullopt;
}
} // namespace

Inspector::Inspector(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &Inspector::accept);
}

Inspector::~Inspector() = default;

Result<quint16> Inspector::listen(const QHostAddress &address, quint16 port)
{
    if (!address.isLoopback())
        return Error::validation(QStringLiteral("listen"),
                                 tr("the inspector listens on loopback only (127.0.0.1 or ::1), not on %1").arg(address.toString()));
    m_server->close();
    if (!m_server->listen(address, port))
        return Error{Error::Code::Io, tr("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(m_server->errorString()), {}};
    return m_server->serverPort();
}

void Inspector::close()
{
    m_server->close();
}

bool Inspector::isListening() const
{
    return m_server->isListening();
}

QString Inspector::url(const QString &path) const
{
    return QStringLiteral("http://%1%2").arg(hostAndPort(m_server->serverAddress(), m_server->serverPort()), path);
}

void Inspector::clear()
{
    m_requests.clear();
}

void Inspector::accept()
{
    while (auto *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        m_connections.insert(socket, {});
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_connections.remove(socket);
            socket->deleteLater();
        });
    }
}

void Inspector::read(QTcpSocket *socket)
{
    // One request at a time per connection: the next is read once this one is answered.
    auto connection = m_connections.find(socket);
    if (connection == m_connections.end() || connection->busy)
        return;
    QByteArray buffer = connection->buffer + socket->readAll();
    connection->buffer.clear();
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        if (buffer.size() > kMaxHead)
            refuse(socket, 413);
        else
            connection->buffer = buffer;
        return;
    }
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    InspectedRequest r;
    r.method = requestLine.value(0);
    r.target = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            r.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    if (requestLine.size() != 3 || r.method.isEmpty()) {
        refuse(socket, 400);
        return;
    }
    if (header(r.headers, "Transfer-Encoding").value_or(QByteArray()).contains("chunked")) {
        refuse(socket, 411);
        return;
    }
    bool ok = true;
    const qint64 length = header(r.headers, "Content-Length").value_or(QByteArray("0")).toLongLong(&ok);
    if (!ok || length < 0 || length > kMaxBody) {
        refuse(socket, 413);
        return;
    }
    if (buffer.size() < headEnd + 4 + length) {
        connection->buffer = buffer;
        return; // the rest of the body is on its way
    }
    r.body = buffer.mid(headEnd + 4, length);
    connection->buffer = buffer.mid(headEnd + 4 + length);
    r.index = ++m_count;
    r.receivedAt = Clock::now();
    r.peer = QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
    const InspectorAnswer answer = m_answer;
    r.answeredStatus = answer.drop ? 0 : answer.status;
    m_requests.append(r);
    if (m_requests.size() > kKept)
        m_requests.removeFirst();
    Q_EMIT requestReceived(r);

    const bool closeAfter = header(r.headers, "Connection").value_or(QByteArray()).compare("close", Qt::CaseInsensitive) == 0;
    connection->busy = true; // `connection` is not kept: the hash may change before the answer
    QPointer<QTcpSocket> guarded(socket);
    QTimer::singleShot(std::max(0, answer.delayMs), this, [this, guarded, answer, closeAfter] {
        if (!guarded)
            return;
        if (answer.drop) {
            guarded->abort();
            return;
        }
        respond(guarded, answer, closeAfter);
        if (auto it = m_connections.find(guarded); it != m_connections.end())
            it->busy = false;
        if (guarded->state() == QAbstractSocket::ConnectedState)
            read(guarded); // a pipelined request may be waiting
    });
}

void Inspector::refuse(QTcpSocket *socket, int status)
{
    InspectorAnswer refusal;
    refusal.status = status;
    respond(socket, refusal, true);
}

void Inspector::respond(QTcpSocket *socket, const InspectorAnswer &answer, bool close)
{
    const int status = answer.status;
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + HttpStatusText::reason(status) + "\r\n";
    if (answer.retryAfterSeconds)
        out += "Retry-After: " + QByteArray::number(*answer.retryAfterSeconds) + "\r\n";
    if (status != 204 && status != 304)
        out += "Content-Length: 0\r\n"; // 204 and 304 carry no body, nor its length
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n";
    socket->write(out);
    if (close)
        socket->disconnectFromHost();
}

} // namespace hookline
