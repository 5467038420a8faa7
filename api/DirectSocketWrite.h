#pragma once

#include <QByteArray>

class QTcpSocket;

namespace hookline::api {

// Writes an answer to a plain TCP connection with one send(2) when Qt has
// nothing queued for it, and hands Qt only what the kernel did not take.
//
// Why: a buffered QTcpSocket never writes at once. QAbstractSocket queues
// the bytes and switches its write notifier on; the event loop's next pass
// finds the socket writable, writes, and switches the notifier off. Under
// Qt's GLib event dispatcher (the default on Linux) each switch is also a
// wake-up of the loop, an eventfd write(2) of its own: three system calls
// and a pass of the loop for every answer, a third of the server thread's
// kernel time under ingestion load (measured, tests/benchmarks/PROFILE.md).
//
// TLS connections (QSslSocket) are always written through Qt: their bytes
// must be encrypted first. So is anything written after bytes Qt still
// holds, so that answers keep their order.
class DirectSocketWrite final {
public:
    DirectSocketWrite() = delete;

    // How many bytes went to the kernel directly (0: all went through Qt).
    static qsizetype write(QTcpSocket *socket, const QByteArray &bytes);
};

} // namespace hookline::api
