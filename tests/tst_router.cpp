// The API's routes: literal segments, captures, a literal winning over a
// capture, the methods a path allows (405's Allow), and the spellings of a
// path that name the same resource. Literal paths are answered from a table
// built when routes are added; these answers must be those of a full pass.
#include "Router.h"

#include <QTest>

using namespace hookline::api;
using namespace Qt::StringLiterals;

namespace {
ApiReply none(ApiCall &)
{
    return {};
}
} // namespace

class TestRouter final : public QObject {
    Q_OBJECT

    Router m_router;

private slots:
    void initTestCase()
    {
        m_router.add("GET", u"/api/v1/webhooks"_s, none);
        m_router.add("POST", u"/api/v1/webhooks"_s, none);
        m_router.add("GET", u"/api/v1/webhooks/events/available"_s, none);
        m_router.add("GET", u"/api/v1/webhooks/{id}"_s, none);
        m_router.add("DELETE", u"/api/v1/webhooks/{id}"_s, none);
        m_router.add("POST", u"/api/v1/events"_s, none);
        // Added after the capture it also fits: the capture wins for GET.
        m_router.add("GET", u"/api/v1/tenants/{id}"_s, none);
        m_router.add("PUT", u"/api/v1/tenants/default"_s, none);
    }

    void match_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("pattern"); // empty: no route for the method
        QTest::addColumn<QString>("id");      // the {id} captured
        QTest::addColumn<QString>("allowed"); // methods of the path, comma-separated

        QTest::newRow("literal") << QByteArray("POST") << u"/api/v1/events"_s << u"/api/v1/events"_s << QString() << u"POST"_s;
        QTest::newRow("literal, other method") << QByteArray("GET") << u"/api/v1/events"_s << QString() << QString() << u"POST"_s;
        QTest::newRow("two methods") << QByteArray("POST") << u"/api/v1/webhooks"_s << u"/api/v1/webhooks"_s << QString() << u"GET,POST"_s;
        QTest::newRow("trailing slash") << QByteArray("POST") << u"/api/v1/events/"_s << u"/api/v1/events"_s << QString() << u"POST"_s;
        QTest::newRow("double slash") << QByteArray("POST") << u"/api//v1/events"_s << u"/api/v1/events"_s << QString() << u"POST"_s;
        QTest::newRow("capture") << QByteArray("DELETE") << u"/api/v1/webhooks/wh_1"_s << u"/api/v1/webhooks/{id}"_s << u"wh_1"_s << u"GET,DELETE"_s;
        QTest::newRow("literal over capture") << QByteArray("GET") << u"/api/v1/webhooks/events/available"_s << u"/api/v1/webhooks/events/available"_s
                                              << QString() << u"GET"_s;
        QTest::newRow("capture added first wins") << QByteArray("GET") << u"/api/v1/tenants/default"_s << u"/api/v1/tenants/{id}"_s << u"default"_s
                                                  << u"GET,PUT"_s;
        QTest::newRow("literal added after a capture")
            << QByteArray("PUT") << u"/api/v1/tenants/default"_s << u"/api/v1/tenants/default"_s << QString() << u"GET,PUT"_s;
        QTest::newRow("unknown") << QByteArray("GET") << u"/api/v1/nothing"_s << QString() << QString() << QString();
        QTest::newRow("longer than any") << QByteArray("GET") << u"/api/v1/events/1/2"_s << QString() << QString() << QString();
    }

    void match()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QString, pattern);
        QFETCH(QString, id);
        QFETCH(QString, allowed);
        const auto found = m_router.match(method, path);
        QCOMPARE(found.route ? found.route->pattern : QString(), pattern);
        QCOMPARE(found.params.value(u"id"_s), id);
        QCOMPARE(QString::fromLatin1(found.allowed.join(',')), allowed);
    }
};

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
