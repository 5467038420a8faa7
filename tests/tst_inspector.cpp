// The request inspector: it records each request exactly, answers as told
// (status, delay, Retry-After, a dropped connection), keeps connections
// alive, refuses what it cannot take, and listens on loopback only.
#include "net/Inspector.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QtTest>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {
constexpr int kTimeout = 10000;

struct Answered {
    int status = 0;
    QByteArray retryAfter;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    qint64 elapsedMs = 0;
};

Answered post(QNetworkAccessManager &nam, const QString &url, const QByteArray &body, const QList<std::pair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QElapsedTimer timer;
    timer.start();
    std::unique_ptr<QNetworkReply> reply(nam.post(request, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(kTimeout);
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->rawHeader("Retry-After"), reply->error(), timer.elapsed()};
}

// A request written as is; the answers read while the event loop runs (the
// inspector lives on this thread too).
QByteArray raw(quint16 port, const QByteArray &request, int answers = 1)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&socket] { return socket.state() == QAbstractSocket::ConnectedState; }, kTimeout))
        return {};
    socket.write(request);
    QByteArray answer;
    // Either all answers came or the connection closed; the caller judges what arrived.
    [[maybe_unused]] const bool done = QTest::qWaitFor(
        [&] {
            answer += socket.readAll();
            return socket.state() != QAbstractSocket::ConnectedState || answer.count("HTTP/1.1 ") >= answers;
        },
        kTimeout);
    return answer + socket.readAll();
}
} // namespace

class TestInspector final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void recordsExactlyAndAnswers_data();
    void recordsExactlyAndAnswers();
    void delays();
    void dropsTheConnection();
    void keepsConnectionsAlive();
    void refuses_data();
    void refuses();
    void listensOnLoopbackOnly();
};

void TestInspector::recordsExactlyAndAnswers_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("retryAfter"); // -1: none
    QTest::newRow("204") << 204 << -1;
    QTest::newRow("200") << 200 << -1;
    QTest::newRow("410 gone") << 410 << -1;
    QTest::newRow("429 with Retry-After") << 429 << 30;
    QTest::newRow("503 with Retry-After") << 503 << 5;
    QTest::newRow("500") << 500 << -1;
}

void TestInspector::recordsExactlyAndAnswers()
{
    QFETCH(int, status);
    QFETCH(int, retryAfter);
    Inspector inspector;
    InspectorAnswer answer;
    answer.status = status;
    if (retryAfter >= 0)
        answer.retryAfterSeconds = retryAfter;
    inspector.setAnswer(answer);
    const auto port = inspector.listen(QHostAddress::LocalHost);
    QVERIFY(port);
    QSignalSpy received(&inspector, &Inspector::requestReceived);
    QNetworkAccessManager nam;
    const QByteArray body = "{\"event\":\"lead.created\",\n \"é\": \"\\u00e9\"}  ";
    const auto a = post(nam, inspector.url(u"/hook?x=1"_s), body, {{"webhook-id", "msg_1"}, {"X-Custom", "a, b"}});
    QCOMPARE(a.status, status);
    QCOMPARE(a.retryAfter, retryAfter >= 0 ? QByteArray::number(retryAfter) : QByteArray());
    QCOMPARE(received.size(), 1);
    QCOMPARE(inspector.requests().size(), 1);
    const auto &r = inspector.requests().constFirst();
    QCOMPARE(r.index, 1);
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.target, QByteArray("/hook?x=1"));
    QCOMPARE(r.body, body);
    QCOMPARE(r.answeredStatus, status);
    const auto has = [&r](const QByteArray &name, const QByteArray &value) {
        return std::any_of(r.headers.cbegin(), r.headers.cend(), [&](const auto &h) { return h.first == name && h.second == value; });
    };
    QVERIFY(has("webhook-id", "msg_1"));
    QVERIFY(has("X-Custom", "a, b"));
    QVERIFY(r.peer.startsWith(u"127.0.0.1:"_s));
}

void TestInspector::delays()
{
    Inspector inspector;
    InspectorAnswer answer;
    answer.delayMs = 400;
    inspector.setAnswer(answer);
    QVERIFY(inspector.listen(QHostAddress::LocalHost));
    QNetworkAccessManager nam;
    const auto a = post(nam, inspector.url(), "{}");
    QCOMPARE(a.status, 204);
    QVERIFY2(a.elapsedMs >= 350, qPrintable(QString::number(a.elapsedMs)));
}

void TestInspector::dropsTheConnection()
{
    Inspector inspector;
    InspectorAnswer answer;
    answer.drop = true;
    inspector.setAnswer(answer);
    QVERIFY(inspector.listen(QHostAddress::LocalHost));
    QNetworkAccessManager nam;
    const auto a = post(nam, inspector.url(), "{}");
    QCOMPARE(a.status, 0);
    QVERIFY(a.error != QNetworkReply::NoError);
    QVERIFY(!inspector.requests().isEmpty());
    QCOMPARE(inspector.requests().constLast().answeredStatus, 0);
}

// Two requests written at once on one connection: both answered, in order.
void TestInspector::keepsConnectionsAlive()
{
    Inspector inspector;
    const auto port = inspector.listen(QHostAddress::LocalHost);
    QVERIFY(port);
    const QByteArray one = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
    const QByteArray two = "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nde";
    const QByteArray answer = raw(*port, one + two, 2);
    QCOMPARE(answer.count("HTTP/1.1 204"), 2);
    QCOMPARE(inspector.requests().size(), 2);
    QCOMPARE(inspector.requests().at(0).body, QByteArray("abc"));
    QCOMPARE(inspector.requests().at(1).target, QByteArray("/b"));
    QCOMPARE(inspector.requests().at(1).body, QByteArray("de"));
}

void TestInspector::refuses_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("chunked body") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
                                  << QByteArray("411");
    QTest::newRow("body over 10 MiB") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10485761\r\n\r\n") << QByteArray("413");
    QTest::newRow("head over 64 KiB") << QByteArray("POST / HTTP/1.1\r\nX-Big: ") + QByteArray(70 * 1024, 'a') << QByteArray("413");
    QTest::newRow("not HTTP") << QByteArray("HELLO\r\n\r\n") << QByteArray("400");
}

void TestInspector::refuses()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    Inspector inspector;
    const auto port = inspector.listen(QHostAddress::LocalHost);
    QVERIFY(port);
    const QByteArray answer = raw(*port, request);
    QVERIFY2(answer.startsWith(QByteArray("HTTP/1.1 " + status)), answer.left(100).constData());
    QVERIFY(inspector.requests().isEmpty());
}

void TestInspector::listensOnLoopbackOnly()
{
    Inspector inspector;
    auto refused = inspector.listen(QHostAddress(u"0.0.0.0"_s));
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(u"loopback"_s), qPrintable(refused.error().message));
    QVERIFY(!inspector.isListening());
    QVERIFY(inspector.listen(QHostAddress::LocalHost));
    QVERIFY(inspector.url().startsWith(u"http://127.0.0.1:"_s));
}

QTEST_GUILESS_MAIN(TestInspector)
#include "tst_inspector.moc"
