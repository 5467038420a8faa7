#include "TestReceiver.h"

#include <QDateTime>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace hookline::test {

namespace {
constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qsizetype kMaxBodyBytes = 16 * 1024 * 1024;
} // namespace

QByteArray ReceivedRequest::header(const QByteArray &name) const
{
    const auto i = headerIndex(name);
    return i < 0 ? QByteArray() : headers.at(i).second;
}

bool ReceivedRequest::hasHeader(const QByteArray &name) const
{
    return headerIndex(name) >= 0;
}

qsizetype ReceivedRequest::headerIndex(const QByteArray &name) const
{
    for (qsizetype i = 0; i < headers.size(); ++i) {
        if (headers.at(i).first.compare(name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

ScriptedReply ScriptedReply::ok(int status, QByteArray body)
{
    ScriptedReply r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

ScriptedReply ScriptedReply::withHeader(int status, const QByteArray &name, const QByteArray &value)
{
    ScriptedReply r;
    r.status = status;
    r.headers.append({name, value});
    return r;
}

ScriptedReply ScriptedReply::delayed(int delayMs, int status)
{
    ScriptedReply r;
    r.status = status;
    r.delayMs = delayMs;
    return r;
}

ScriptedReply ScriptedReply::hang()
{
    ScriptedReply r;
    r.action = Action::Hang;
    return r;
}

ScriptedReply ScriptedReply::close()
{
    ScriptedReply r;
    r.action = Action::Close;
    return r;
}

ScriptedReply ScriptedReply::trickle(QByteArray body, int intervalMs)
{
    ScriptedReply r;
    r.action = Action::Trickle;
    r.body = std::move(body);
    r.trickleIntervalMs = intervalMs;
    return r;
}

TestReceiver::TestReceiver(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    useServer(std::make_unique<QTcpServer>());
}

TestReceiver::~TestReceiver()
{
    close();
}

void TestReceiver::useServer(std::unique_ptr<QTcpServer> server)
{
    m_server = std::move(server);
    // Not newConnection: a TLS server has one before its handshake is done.
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, &TestReceiver::onNewConnection);
}

bool TestReceiver::listen(quint16 port)
{
    return m_server->listen(QHostAddress::LocalHost, port);
}

bool TestReceiver::listenTls(const QByteArray &certificatePem, const QByteArray &keyPem, quint16 port)
{
    auto server = std::make_unique<QSslServer>();
    auto config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(QSslCertificate(certificatePem, QSsl::Pem));
    config.setPrivateKey(QSslKey(keyPem, QSsl::Ec, QSsl::Pem));
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    server->setSslConfiguration(config);
    close();
    useServer(std::move(server));
    m_tls = true;
    return m_server->listen(QHostAddress::LocalHost, port);
}

void TestReceiver::close()
{
    m_server->close();
    const auto sockets = m_connections.keys();
    m_connections.clear();
    for (auto *s : sockets) {
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
}

quint16 TestReceiver::port() const
{
    return m_server->serverPort();
}

QString TestReceiver::url(const QString &path) const
{
    return QStringLiteral("%1://127.0.0.1:%2%3").arg(m_tls ? u"https" : u"http").arg(port()).arg(path);
}

void TestReceiver::setScript(QList<ScriptedReply> script)
{
    m_script = std::move(script);
}

void TestReceiver::appendScript(const ScriptedReply &reply)
{
    m_script.append(reply);
}

void TestReceiver::setDefaultReply(const ScriptedReply &reply)
{
    m_default = reply;
}

void TestReceiver::setResponder(Responder responder)
{
    m_responder = std::move(responder);
}

QList<ReceivedRequest> TestReceiver::requests(const QByteArray &path) const
{
    QList<ReceivedRequest> out;
    for (const auto &r : m_requests) {
        if (r.path == path)
            out << r;
    }
    return out;
}

int TestReceiver::count(const QByteArray &path) const
{
    int n = 0;
    for (const auto &r : m_requests)
        n += r.path == path ? 1 : 0;
    return n;
}

void TestReceiver::clear()
{
    m_requests.clear();
}

void TestReceiver::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        Connection c;
        c.id = ++m_connectionCounter;
        c.socket = socket;
        m_connections.insert(socket, c);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
        if (socket->bytesAvailable() > 0)
            onReadyRead(socket);
    }
}

void TestReceiver::onDisconnected(QTcpSocket *socket)
{
    if (m_connections.remove(socket) > 0)
        socket->deleteLater();
}

void TestReceiver::onReadyRead(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->buffer += socket->readAll();
    while (parseOne(*it)) {}
    if (it->buffer.size() > kMaxHeadBytes + kMaxBodyBytes) {
        socket->abort();
        return;
    }
    serveNext(socket);
}

bool TestReceiver::parseOne(Connection &c)
{
    const auto headEnd = c.buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QByteArray head = c.buffer.left(headEnd);
    const auto lines = head.split('\n');
    ReceivedRequest r;
    const auto requestLine = lines.value(0).trimmed().split(' ');
    r.method = requestLine.value(0);
    r.path = requestLine.value(1);
    r.version = requestLine.value(2);
    qint64 contentLength = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).endsWith('\r') ? lines.at(i).chopped(1) : lines.at(i);
        const auto colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon);
        const QByteArray value = line.mid(colon + 1).trimmed();
        r.headers.append({name, value});
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
            contentLength = value.toLongLong();
    }
    const qsizetype total = headEnd + 4 + contentLength;
    if (c.buffer.size() < total)
        return false; // the body is not all there yet
    r.body = c.buffer.mid(headEnd + 4, contentLength);
    c.buffer.remove(0, total);
    r.index = int(m_requests.size());
    r.connection = c.id;
    r.receivedAtMs = m_clock.elapsed();
    r.wallClockMs = QDateTime::currentMSecsSinceEpoch();
    m_requests.append(r);
    c.queue.append(r.index);
    Q_EMIT requestReceived(r.index);
    return true;
}

ScriptedReply TestReceiver::replyFor(const ReceivedRequest &request)
{
    if (m_responder)
        return m_responder(request);
    if (!m_script.isEmpty())
        return m_script.takeFirst();
    return m_default;
}

void TestReceiver::serveNext(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end() || it->busy || it->hung || it->queue.isEmpty())
        return;
    const int index = it->queue.takeFirst();
    it->busy = true;
    const auto reply = replyFor(m_requests.at(index));
    if (reply.action == ScriptedReply::Action::Hang) {
        it->hung = true; // later requests on this connection wait forever too, as they would behind a hung one
        return;
    }
    if (reply.delayMs > 0 && reply.action != ScriptedReply::Action::Trickle) {
        QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(reply.delayMs, this, [this, guard, index, reply] {
            if (guard && m_connections.contains(guard.data()))
                answer(guard.data(), index, reply);
        });
        return;
    }
    answer(socket, index, reply);
}

void TestReceiver::answer(QTcpSocket *socket, int requestIndex, const ScriptedReply &reply)
{
    if (requestIndex >= 0 && requestIndex < m_requests.size())
        m_requests[requestIndex].answeredAtMs = m_clock.elapsed();
    if (reply.action == ScriptedReply::Action::Close) {
        m_connections.remove(socket);
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
        return;
    }
    QByteArray head
        = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + (reply.reason.isEmpty() ? reasonPhrase(reply.status) : reply.reason) + "\r\n";
    bool hasContentType = false;
    for (const auto &[name, value] : reply.headers) {
        head += name + ": " + value + "\r\n";
        hasContentType = hasContentType || name.compare("Content-Type", Qt::CaseInsensitive) == 0;
    }
    // 204 and 304 carry no body and no Content-Length (RFC 9110 §8.6, §15.4.5).
    const bool bodyless = reply.status == 204 || reply.status == 304 || (reply.status >= 100 && reply.status < 200);
    const QByteArray body = bodyless ? QByteArray() : reply.body;
    if (!hasContentType && !bodyless)
        head += "Content-Type: text/plain\r\n";
    const bool cutShort = reply.declaredLength > body.size();
    if (!bodyless)
        head += "Content-Length: " + QByteArray::number(reply.declaredLength >= 0 ? reply.declaredLength : body.size()) + "\r\n";
    head += reply.closeAfter || cutShort ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    head += "\r\n";

    if (reply.action == ScriptedReply::Action::Trickle) {
        socket->write(head);
        socket->flush();
        auto *timer = new QTimer(socket);
        auto sent = std::make_shared<qsizetype>(0);
        QPointer<QTcpSocket> guard(socket);
        connect(timer, &QTimer::timeout, this, [this, timer, guard, sent, reply] {
            if (!guard || !m_connections.contains(guard.data())) {
                timer->stop();
                return;
            }
            if (*sent < reply.body.size()) {
                guard->write(reply.body.mid(*sent, 1));
                guard->flush();
                ++*sent;
            }
            if (*sent >= reply.body.size()) {
                timer->stop();
                timer->deleteLater();
                finishAnswer(guard.data(), reply.closeAfter || reply.declaredLength > reply.body.size());
            }
        });
        timer->start(reply.trickleIntervalMs);
        return;
    }
    socket->write(head + body);
    finishAnswer(socket, reply.closeAfter || cutShort);
}

void TestReceiver::finishAnswer(QTcpSocket *socket, bool closeAfter)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    if (closeAfter) {
        m_connections.erase(it);
        socket->disconnect(this);
        socket->disconnectFromHost();
        socket->deleteLater();
        return;
    }
    it->busy = false;
    // Whatever arrived meanwhile (keep-alive: the next request on this connection).
    while (parseOne(*it)) {}
    serveNext(socket);
}

QByteArray TestReceiver::reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
    }
}

int TestReceiver::maxConcurrent(const std::function<bool(const ReceivedRequest &)> &which) const
{
    // Each request counts from its arrival until its answer was written (or
    // for ever, if it never was).
    QList<std::pair<qint64, int>> edges;
    for (const auto &r : m_requests) {
        if (which && !which(r))
            continue;
        edges.append({r.receivedAtMs * 2 + 1, +1}); // an arrival after an answer in the same ms
        if (r.answeredAtMs >= 0)
            edges.append({r.answeredAtMs * 2, -1});
    }
    std::sort(edges.begin(), edges.end());
    int now = 0;
    int most = 0;
    for (const auto &e : edges) {
        now += e.second;
        most = std::max(most, now);
    }
    return most;
}

} // namespace hookline::test
