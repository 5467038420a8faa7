#include "Inspector.h"

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
    const QHostAddress a = m_server->serverAddress();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + a.toString() + u']' : a.toString();
    return QStringLiteral("http://%1:%2%3").arg(host).arg(m_server->serverPort()).arg(path);
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
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void Inspector::read(QTcpSocket *socket)
{
    // One request at a time per connection: the next is read once this one is answered.
    if (socket->property("hookline.busy").toBool())
        return;
    QByteArray buffer = socket->property("hookline.buffer").toByteArray() + socket->readAll();
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        if (buffer.size() > kMaxHead)
            respond(socket, 413, HttpStatusText::reason(413), {}, true);
        else
            socket->setProperty("hookline.buffer", buffer);
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
        respond(socket, 400, HttpStatusText::reason(400), {}, true);
        return;
    }
    if (header(r.headers, "Transfer-Encoding").value_or(QByteArray()).contains("chunked")) {
        respond(socket, 411, HttpStatusText::reason(411), {}, true);
        return;
    }
    bool ok = true;
    const qint64 length = header(r.headers, "Content-Length").value_or(QByteArray("0")).toLongLong(&ok);
    if (!ok || length < 0 || length > kMaxBody) {
        respond(socket, 413, HttpStatusText::reason(413), {}, true);
        return;
    }
    if (buffer.size() < headEnd + 4 + length) {
        socket->setProperty("hookline.buffer", buffer);
        return; // the rest of the body is on its way
    }
    r.body = buffer.mid(headEnd + 4, length);
    socket->setProperty("hookline.buffer", buffer.mid(headEnd + 4 + length));
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
    socket->setProperty("hookline.busy", true);
    QPointer<QTcpSocket> guarded(socket);
    QTimer::singleShot(std::max(0, answer.delayMs), this, [this, guarded, answer, closeAfter] {
        if (!guarded)
            return;
        if (answer.drop) {
            guarded->abort();
            return;
        }
        respond(guarded, answer.status, HttpStatusText::reason(answer.status), answer, closeAfter);
        guarded->setProperty("hookline.busy", false);
        if (guarded->state() == QAbstractSocket::ConnectedState)
            read(guarded); // a pipelined request may be waiting
    });
}

void Inspector::respond(QTcpSocket *socket, int status, const QByteArray &reason, const InspectorAnswer &answer, bool close)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
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
