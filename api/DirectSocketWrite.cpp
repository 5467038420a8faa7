#include "DirectSocketWrite.h"

#include <QSslSocket>
#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/socket.h>
#endif

namespace hookline::api {

qsizetype DirectSocketWrite::write(QTcpSocket *socket, const QByteArray &bytes)
{
    qsizetype sent = 0;
#ifdef Q_OS_UNIX
    const bool direct = socket->state() == QAbstractSocket::ConnectedState && socket->bytesToWrite() == 0 && socket->socketDescriptor() >= 0
                        && qobject_cast<QSslSocket *>(socket) == nullptr;
    while (direct && sent < bytes.size()) {
        // Non-blocking, as Qt made the socket; no SIGPIPE for a peer gone.
        const ssize_t n = ::send(int(socket->socketDescriptor()), bytes.constData() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; // the kernel's buffer is full (EAGAIN) or the connection broke: Qt finds out which
        sent += n;
    }
#endif
    if (sent < bytes.size())
        socket->write(bytes.constData() + sent, bytes.size() - sent);
    return sent;
}

} // namespace hookline::api
