#include "ConnectionGuard.h"

#include "ApiLog.h"
#include "DirectSocketWrite.h"

#include <QTcpSocket>

namespace hookline::api {

namespace {
constexpr qint64 kMaxHeadBytes = 64 * 1024;
constexpr int kDrainMs = 2000;
} // namespace

ConnectionSweep::ConnectionSweep(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionSweep::sweep);
}

void ConnectionSweep::add(ConnectionGuard *guard)
{
    m_guards.insert(guard);
    if (!m_timer.isActive())
        m_timer.start();
}

void ConnectionSweep::remove(ConnectionGuard *guard)
{
    m_guards.remove(guard);
    if (m_guards.isEmpty())
        m_timer.stop();
}

void ConnectionSweep::sweep()
{
    // A guard may close its socket here, which deletes it later, not now.
    const auto guards = m_guards;
    for (auto *guard : guards)
        guard->checkDeadline();
}

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, Limits limits, ConnectionSweep &sweep)
    : QObject(socket)
    , m_socket(socket)
    , m_limits(limits)
    , m_sweep(sweep)
    , m_deadline(limits.idleMs)
{
    setObjectName(QStringLiteral("hookline-connection-guard"));
    m_socket->setReadBufferSize(m_limits.maxBodyBytes + kMaxHeadBytes);
    // Connected before the HTTP server's own handler (the guard is made when
    // the socket is): the head is looked at before the server parses it.
    connect(m_socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    m_sweep.add(this);
}

ConnectionGuard::~ConnectionGuard()
{
    m_sweep.remove(this);
}

void ConnectionGuard::checkDeadline()
{
    if (m_deadline.hasExpired())
        onTimeout();
}

ConnectionGuard *ConnectionGuard::of(QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QStringLiteral("hookline-connection-guard"), Qt::FindDirectChildrenOnly) : nullptr;
}

void ConnectionGuard::requestDone()
{
    m_reading = false;
    m_headChecked = false;
    m_deadline.setRemainingTime(m_limits.idleMs);
}

void ConnectionGuard::sendAnswer(quint64 number, QByteArray bytes, bool close)
{
    m_ready.insert(number, {std::move(bytes), close});
    for (auto it = m_ready.begin(); it != m_ready.end() && it.key() == m_nextToSend; it = m_ready.erase(it)) {
        ++m_nextToSend;
        if (!m_socket->isOpen())
            continue;
        DirectSocketWrite::write(m_socket, it->first);
        if (it->second)
            m_socket->disconnectFromHost();
    }
}

void ConnectionGuard::onReadyRead()
{
    if (m_refused) {
        // What the client still sends is read and dropped: closing with
        // unread data would reset the connection, and the client might
        // never see the answer.
        m_socket->readAll();
        return;
    }
    if (!m_reading) {
        m_reading = true;
        m_deadline.setRemainingTime(m_limits.requestMs);
    }
    if (m_headChecked)
        return;
    // The head of a new request, looked at without consuming it: its
    // Content-Length says whether the body will fit.
    const QByteArray head = m_socket->peek(std::min(m_socket->bytesAvailable(), kMaxHeadBytes));
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() >= kMaxHeadBytes)
            refuse("431 Request Header Fields Too Large", "headers_too_large", "the request's headers are over 64 KB");
        return;
    }
    m_headChecked = true;
    // Line by line in place: this runs for every request.
    const QByteArrayView headers = QByteArrayView(head).first(end);
    for (qsizetype from = 0; from < headers.size();) {
        qsizetype to = headers.indexOf('\n', from);
        if (to < 0)
            to = headers.size();
        const QByteArrayView line = headers.sliced(from, to - from);
        from = to + 1;
        const auto colon = line.indexOf(':');
        if (colon < 0 || line.first(colon).trimmed().compare("content-length", Qt::CaseInsensitive) != 0)
            continue;
        bool ok = false;
        const qint64 length = line.sliced(colon + 1).trimmed().toLongLong(&ok);
        if (ok && length > m_limits.maxBodyBytes)
            refuse("413 Content Too Large", "too_large", "the request body is over the 1 MB limit");
    }
}

void ConnectionGuard::onTimeout()
{
    if (m_refused) {
        m_deadline = QDeadlineTimer::Forever;
        m_socket->abort(); // the client had its answer and the time to read it
        return;
    }
    if (m_reading) {
        qCInfo(lcApi).noquote() << "closing a connection whose request did not arrive within" << m_limits.requestMs << "ms";
        refuse("408 Request Timeout", "request_timeout", "the request did not arrive in time");
    } else {
        m_deadline = QDeadlineTimer::Forever;
        m_socket->disconnectFromHost(); // idle keep-alive connection
    }
}

void ConnectionGuard::refuse(QByteArrayView status, const QByteArray &code, const QByteArray &message)
{
    m_refused = true;
    const QByteArray body = "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    m_socket->write("HTTP/1.1 " + status.toByteArray() + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
                    + "\r\nConnection: close\r\n\r\n" + body);
    // The client gets a moment to finish sending and read the answer; then the connection goes.
    m_deadline.setRemainingTime(kDrainMs);
}

} // namespace hookline::api
