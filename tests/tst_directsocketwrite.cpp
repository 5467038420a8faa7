// Answers to plain TCP connections leave with one send(2) when Qt holds
// nothing for the connection; what the kernel does not take, and anything
// written behind bytes Qt still holds, goes through Qt, in order.
#include "DirectSocketWrite.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace hookline::api;

namespace {

// A loopback connection: the server's end (the one answers are written to)
// and the client's.
struct Connection {
    QTcpServer server;
    QTcpSocket client;
    QTcpSocket *served = nullptr;

    bool open()
    {
        if (!server.listen(QHostAddress::LocalHost, 0))
            return false;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        if (!server.waitForNewConnection(5000) || !client.waitForConnected(5000))
            return false;
        served = server.nextPendingConnection();
        return served != nullptr;
    }

    // Everything the client receives until it holds `size` bytes (or 10 s pass).
    QByteArray receive(qsizetype size)
    {
        QByteArray got;
        QDeadlineTimer deadline(10000);
        while (got.size() < size && !deadline.hasExpired()) {
            // The served end's event loop runs too: Qt writes what it holds.
            QCoreApplication::processEvents();
            const QByteArray more = client.readAll();
            if (more.isEmpty())
                client.waitForReadyRead(20);
            got += more;
        }
        return got;
    }
};

QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char('a' + i % 26);
    return bytes;
}

} // namespace

class TestDirectSocketWrite final : public QObject {
    Q_OBJECT

private slots:
    void answerLeavesAtOnce()
    {
        Connection c;
        QVERIFY(c.open());
        const QByteArray answer = "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}";
        QCOMPARE(DirectSocketWrite::write(c.served, answer), answer.size());
        QCOMPARE(c.served->bytesToWrite(), 0); // nothing left for Qt's write notifier
        QCOMPARE(c.receive(answer.size()), answer);
    }

    void writtenBehindWhatQtHolds()
    {
        Connection c;
        QVERIFY(c.open());
        c.served->write("first ");
        QVERIFY(c.served->bytesToWrite() > 0);
        // Sent directly, these bytes would overtake the first ones.
        QCOMPARE(DirectSocketWrite::write(c.served, "second"), 0);
        QCOMPARE(c.receive(12), QByteArray("first second"));
    }

    void whatTheKernelRefusesGoesThroughQt()
    {
        Connection c;
        QVERIFY(c.open());
        c.served->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, 4096);
        const QByteArray big = pattern(1024 * 1024); // more than the kernel holds for a connection
        const qsizetype direct = DirectSocketWrite::write(c.served, big);
        QVERIFY(direct > 0);
        QVERIFY2(direct < big.size(), "the kernel took all of it: the test did not fill its buffers");
        QCOMPARE(c.served->bytesToWrite(), big.size() - direct);
        const QByteArray got = c.receive(big.size());
        QCOMPARE(got.size(), big.size());
        QVERIFY(got == big);
    }

    void aClosedConnectionIsLeftToQt()
    {
        Connection c;
        QVERIFY(c.open());
        c.served->abort();
        QTest::ignoreMessage(QtWarningMsg, "QIODevice::write (QTcpSocket): device not open");
        QCOMPARE(DirectSocketWrite::write(c.served, "late"), 0);
    }
};

QTEST_GUILESS_MAIN(TestDirectSocketWrite)
#include "tst_directsocketwrite.moc"
