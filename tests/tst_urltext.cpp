// What an error about a URL may say: the part that is wrong, in Hookline's
// words, and never a URL's user name or password (Qt's own error text quotes
// the whole URL and speaks of its internals). Checked for webhook URLs and
// for PostgreSQL URLs.
#include "service/WebhookValidator.h"
#include "store/Database.h"
#include "util/UrlText.h"

#include <QTest>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {
const auto kPassword = u"hunter2"_s;

// Words of Qt's own URL errors that must never reach a person.
void verifyPhrasedByHookline(const QString &message)
{
    QVERIFY2(!message.contains(kPassword), qPrintable(message));
    QVERIFY2(!message.contains(u"sername"_s) || message.contains(u"user name"_s), qPrintable(message));
    for (const auto &internal : {u"host = "_s, u"unspecified address"_s, u"Invalid "_s, u"character '"_s, u"(character"_s})
        QVERIFY2(!message.contains(internal), qPrintable(message));
}
} // namespace

class TestUrlText final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void split_data();
    void split();
    void withoutUserInfo();
    void webhookUrlRefused_data();
    void webhookUrlRefused();
    void postgresUrlRefused_data();
    void postgresUrlRefused();
};

void TestUrlText::split_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("userInfo");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("port");
    QTest::addColumn<QString>("rest");
    QTest::newRow("plain") << u"https://a.example/x?y=1"_s << u"https"_s << QString() << u"a.example"_s << QString() << u"/x?y=1"_s;
    QTest::newRow("port") << u"https://a.example:8443"_s << u"https"_s << QString() << u"a.example"_s << u"8443"_s << QString();
    QTest::newRow("user info") << u"http://u:p@h:1/x"_s << u"http"_s << u"u:p"_s << u"h"_s << u"1"_s << u"/x"_s;
    QTest::newRow("@ in the password") << u"http://u:p@ss@h/x"_s << u"http"_s << u"u:p@ss"_s << u"h"_s << QString() << u"/x"_s;
    QTest::newRow("IPv6") << u"https://[::1]:99/x"_s << u"https"_s << QString() << u"::1"_s << u"99"_s << u"/x"_s;
    QTest::newRow("no scheme") << u"a.example/x"_s << QString() << QString() << u"a.example"_s << QString() << u"/x"_s;
}

void TestUrlText::split()
{
    QFETCH(QString, text);
    const auto p = UrlText::split(text);
    QTEST(p.scheme, "scheme");
    QTEST(p.userInfo, "userInfo");
    QTEST(p.host, "host");
    QTEST(p.port, "port");
    QTEST(p.rest, "rest");
}

void TestUrlText::withoutUserInfo()
{
    QCOMPARE(UrlText::withoutUserInfo(u"postgresql://u:hunter2@db/x"_s), u"postgresql://***@db/x"_s);
    QCOMPARE(UrlText::withoutUserInfo(u"https://a.example/x@y"_s), u"https://a.example/x@y"_s);
}

void TestUrlText::webhookUrlRefused_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    const auto creds = u"must not carry a user name or password; send credentials in a custom header"_s;
    QTest::newRow("the report: credentials and a space") << u"http://user:hunter2@host/x y"_s << creds;
    QTest::newRow("credentials, https") << u"https://user:hunter2@a.example/x"_s << creds;
    QTest::newRow("credentials and a bad port") << u"https://user:hunter2@a.example:99999/x"_s << creds;
    QTest::newRow("a slash in the password") << u"https://user:hunt/er2@a.example/x"_s << u"has a port that is not a number"_s;
    QTest::newRow("no scheme, credentials") << u"user:hunter2@a.example/x"_s << u"must start with https:// (it has no scheme)"_s;
    QTest::newRow("other scheme, credentials") << u"ftp://user:hunter2@a.example/x"_s << u"must start with https:// (got \"ftp://\")"_s;
    QTest::newRow("a space") << u"https://a.example/x y"_s << u"contains a space at character 20"_s;
    QTest::newRow("a tab") << u"https://a.example/\tx"_s << u"contains a tab at character 19"_s;
    QTest::newRow("a bad port") << u"https://a.example:http/x"_s << u"has a port, \"http\", that is not a number from 1 to 65535"_s;
    QTest::newRow("port 0") << u"https://a.example:0/x"_s << u"has a port, \"0\", that is not"_s;
    QTest::newRow("a bad host") << u"https://a_b!.example/x"_s << u"has a host, \"a_b!.example\", that is not a valid host name"_s;
    QTest::newRow("no host") << u"https:///x"_s << u"has no host after https://"_s;
    QTest::newRow("a lone %") << u"https://a.example/100%"_s << u"not followed by two hex digits"_s;
    QTest::newRow("a quote") << u"https://a.example/x\"y"_s << u"has \"\"\" in its path or query"_s;
}

void TestUrlText::webhookUrlRefused()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    const WebhookValidator validator({});
    const auto s = validator.validateUrl(url);
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains(expected), qPrintable(s.error().message));
    verifyPhrasedByHookline(s.error().message);
}

void TestUrlText::postgresUrlRefused_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::newRow("a space") << u"postgresql://hookline:hunter2@db host/x"_s << u"contains a space"_s;
    QTest::newRow("a bad port") << u"postgresql://hookline:hunter2@db:abc/x"_s << u"has a port that is not a number"_s;
    QTest::newRow("no host") << u"postgresql://hookline:hunter2@/x"_s << u"has no host"_s;
    QTest::newRow("no database") << u"postgresql://hookline:hunter2@db"_s << u"no database name"_s;
}

void TestUrlText::postgresUrlRefused()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    auto db = Database::open(url);
    QVERIFY(!db);
    QVERIFY2(db.error().message.contains(expected), qPrintable(db.error().message));
    verifyPhrasedByHookline(db.error().message);
}

QTEST_GUILESS_MAIN(TestUrlText)
#include "tst_urltext.moc"
