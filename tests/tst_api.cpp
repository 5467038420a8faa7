// The REST API over real loopback HTTP: an ApiServer on 127.0.0.1 and a
// client that speaks to it through QNetworkAccessManager (and raw sockets
// where a client must misbehave). Keys and tenants, every error status, the
// seeds' own requests, idempotency, the rate limit under the manual clock,
// refused requests that change nothing, slow and idle clients, and an event
// that goes all the way to a loopback receiver that verifies its signature.
#include "ManualClock.h"
#include "TestCertificates.h"
#include "TestDatabase.h"
#include "TestReceiver.h"

#include "ApiLog.h"
#include "ApiServer.h"
#include "GatheredLogOutput.h"
#include "engine/DeliveryEngine.h"
#include "service/ApiKeyService.h"
#include "service/AuditLog.h"
#include "service/CatalogService.h"
#include "service/Installation.h"
#include "service/TenantService.h"
#include "signing/Verifier.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QSslConfiguration>
#include <QSslError>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

#include <sys/resource.h>
#include <unistd.h>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {

struct Answer {
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[k, v] : headers) {
            if (k.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
    QString errorCode() const { return json().value(u"error"_s).toObject().value(u"code"_s).toString(); }
    QString errorField() const { return json().value(u"error"_s).toObject().value(u"field"_s).toString(); }
};

// "webhook.secret" in {"webhook": {"secret": …}}.
QJsonValue at(const QJsonObject &o, const QString &path)
{
    QJsonValue v = o;
    for (const auto &part : path.split(u'.'))
        v = v.toObject().value(part);
    return v;
}

} // namespace

class TestApi final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void bothKeyHeadersAuthenticate();
    void missingWrongOrRevokedKeysAre401_data();
    void missingWrongOrRevokedKeysAre401();
    void tenantsSeeOnlyTheirOwn();
    void seedRequestsWorkUnchanged();
    void refusedRequestsChangeNothing_data();
    void refusedRequestsChangeNothing();
    void methodNotAllowedSaysWhatIs();
    void quotaAnswers409NamingThePlan();
    void plansAndTenantsAreDataAnAdminManages();
    void rateLimitIsATokenBucketPerKey();
    void idempotencyKeyAnswersTheFirstAnswerAgain();
    void eventIdIsAnIdempotencyKeyToo();
    void batchIsAllOrNothing();
    void deliveriesPageWithACursor();
    void ingestedEventIsDeliveredAndVerifies();
    void healthAndMetricsNeedNoKeyOnLoopback();
    void tooLargeIsRefusedBeforeTheBodyIsRead_data();
    void tooLargeIsRefusedBeforeTheBodyIsRead();
    void halfSentRequestTimesOutWithoutHoldingOthers();
    void idleConnectionsDoNotStopOthers();
    void servesHttpsWithTheGivenCertificate();
    void requestLogNamesTheKeyNeverTheSecret();
    void changesAreAuditedAsTheKey();
    void metricsNeedAnAdminKeyOffLoopback();
    void databaseFailureIs500WithoutItsDetails();
    // Last: it replaces the process's message handler.
    void logLinesGatheredUntilTheLoopWaits();

private:
    Answer call(const QByteArray &method, const QString &path, const QByteArray &body = {},
                const QList<std::pair<QByteArray, QByteArray>> &headers = {}, const QString &key = QStringLiteral("default"));
    QString newKey(const QString &tenant, bool admin = false);
    QByteArray databaseDigest();
    void startServer(bool engine = false);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<Installation> m_installation;
    std::unique_ptr<DeliveryEngine> m_engine;
    std::unique_ptr<api::ApiServer> m_server;
    QNetworkAccessManager m_client;
    quint16 m_port = 0;
    QHash<QString, QString> m_keys; // by name: "default", "acme", "admin", …
};

void TestApi::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto opened = Installation::open(m_dir->filePath(u"api.db"_s), CatalogService::builtinCatalogs());
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    m_installation = *opened;
    QVERIFY(test::allowLoopback(m_installation->connection()));
    TenantService tenants(m_installation->connection());
    QVERIFY(tenants.create(u"acme"_s, u"PRO"_s));
    QVERIFY(tenants.create(u"globex"_s, u"PRO"_s));
    QVERIFY(tenants.create(u"tenant-001"_s, u"SCALE"_s));
    QVERIFY(tenants.create(u"freeco"_s, u"FREE"_s));
    m_keys.clear();
    for (const auto &t : {u"default"_s, u"acme"_s, u"globex"_s, u"tenant-001"_s, u"freeco"_s})
        m_keys.insert(t, newKey(t));
    m_keys.insert(u"admin"_s, newKey({}, true));
    m_client.clearConnectionCache();
}

void TestApi::cleanup()
{
    m_server.reset();
    if (m_engine)
        m_engine->stopAndWait();
    m_engine.reset();
    m_installation.reset();
    m_dir.reset();
}

void TestApi::startServer(bool engine)
{
    if (engine) {
        EngineOptions options;
        options.workers = 1;
        m_engine = std::make_unique<DeliveryEngine>(m_installation->database(), options);
    }
    m_server = std::make_unique<api::ApiServer>(m_installation, m_engine.get());
    m_server->setGuardLimits({1024 * 1024, 800, 5000});
    auto port = m_server->listen(QHostAddress::LocalHost, 0);
    QVERIFY2(port, port ? "" : qPrintable(port.error().message));
    m_port = *port;
    if (m_engine)
        m_engine->start();
}

QString TestApi::newKey(const QString &tenant, bool admin)
{
    auto created = ApiKeyService(m_installation->connection()).create(tenant, u"test"_s, admin);
    if (!created)
        qFatal("%s", qPrintable(created.error().message));
    return created->text;
}

Answer TestApi::call(const QByteArray &method, const QString &path, const QByteArray &body, const QList<std::pair<QByteArray, QByteArray>> &headers,
                     const QString &key)
{
    if (!m_server)
        startServer();
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path)));
    if (!key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_keys.value(key, key).toLatin1());
    bool typed = false;
    for (const auto &[name, value] : headers) {
        request.setRawHeader(name, value);
        typed = typed || name.compare("content-type", Qt::CaseInsensitive) == 0;
    }
    if (!typed && !body.isEmpty())
        request.setRawHeader("Content-Type", "application/json");
    QNetworkReply *reply = m_client.sendCustomRequest(request, method, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(10000);
    Answer a;
    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.body = reply->readAll();
    a.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return a;
}

// Every row of every table, hashed: equal digests mean nothing changed.
QByteArray TestApi::databaseDigest()
{
    auto db = m_installation->connection();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QSqlQuery tables(db);
    tables.exec(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s);
    QStringList names;
    while (tables.next())
        names << tables.value(0).toString();
    for (const auto &name : names) {
        QSqlQuery rows(db);
        rows.exec(u"SELECT * FROM \"%1\" ORDER BY 1"_s.arg(name));
        hash.addData(name.toUtf8());
        while (rows.next()) {
            for (int i = 0; i < rows.record().count(); ++i)
                hash.addData(QByteArray(rows.value(i).toString().toUtf8() + '\x1f'));
        }
    }
    return hash.result().toHex();
}

void TestApi::bothKeyHeadersAuthenticate()
{
    QCOMPARE(call("GET", u"/api/v1/webhooks"_s).status, 200);
    const auto viaHeader = call("GET", u"/api/v1/webhooks"_s, {}, {{"X-API-Key", m_keys.value(u"acme"_s).toLatin1()}}, {});
    QCOMPARE(viaHeader.status, 200);
    QVERIFY(viaHeader.json().value(u"webhooks"_s).isArray());
}

void TestApi::missingWrongOrRevokedKeysAre401_data()
{
    QTest::addColumn<QString>("key");
    QTest::newRow("no key") << QString();
    QTest::newRow("unknown key") << u"hlk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"_s;
    QTest::newRow("not a key") << u"letmein"_s;
    QTest::newRow("revoked key") << u"revoked"_s;
}

void TestApi::missingWrongOrRevokedKeysAre401()
{
    QFETCH(QString, key);
    if (key == u"revoked") {
        auto created = ApiKeyService(m_installation->connection()).create(u"acme"_s, u"old"_s, false);
        QVERIFY(created);
        QVERIFY(ApiKeyService(m_installation->connection()).revoke(created->key.id));
        key = created->text;
    }
    const auto a = call("GET", u"/api/v1/webhooks"_s, {}, {}, key);
    QCOMPARE(a.status, 401);
    QCOMPARE(a.errorCode(), u"unauthorized"_s);
    QCOMPARE(a.header("WWW-Authenticate"), "Bearer");
    QVERIFY(!a.body.contains("hlk_"));
}

void TestApi::tenantsSeeOnlyTheirOwn()
{
    const QByteArray body = R"({"url": "http://127.0.0.1:9/a", "events": ["lead.created"]})";
    const auto mine = call("POST", u"/api/v1/webhooks"_s, body, {}, u"acme"_s);
    QCOMPARE(mine.status, 201);
    const QString id = mine.json().value(u"id"_s).toString();
    QCOMPARE(mine.json().value(u"tenantId"_s).toString(), u"acme"_s);
    QVERIFY(call("POST", u"/api/v1/webhooks"_s, body, {}, u"globex"_s).status == 201);

    // Another tenant: 404 for every verb, the same answer as for no such id.
    const auto unknown = call("GET", u"/api/v1/webhooks/wh_doesnotexist"_s, {}, {}, u"globex"_s);
    QCOMPARE(unknown.status, 404);
    for (const auto &[method, path, payload] : QList<std::tuple<QByteArray, QString, QByteArray>>{
             {"GET", u"/api/v1/webhooks/%1"_s, {}},
             {"PUT", u"/api/v1/webhooks/%1"_s, R"({"active": false})"},
             {"PATCH", u"/api/v1/webhooks/%1"_s, R"({"name": "x"})"},
             {"DELETE", u"/api/v1/webhooks/%1"_s, {}},
             {"POST", u"/api/v1/webhooks/%1/rotate-secret"_s, {}},
             {"POST", u"/api/v1/webhooks/%1/test"_s, {}},
             {"GET", u"/api/v1/webhooks/%1/deliveries"_s, {}},
         }) {
        const QByteArray before = databaseDigest();
        const auto a = call(method, path.arg(id), payload, {}, u"globex"_s);
        QVERIFY2(a.status == 404, QByteArray(method + ' ' + path.toUtf8() + " answered " + QByteArray::number(a.status)).constData());
        QCOMPARE(a.errorCode(), u"not_found"_s);
        QVERIFY(!a.body.contains("acme"));
        QCOMPARE(databaseDigest(), before);
    }
    // The list holds only the key's own; an event for another tenant is a tenant that does not exist.
    const auto list = call("GET", u"/api/v1/webhooks"_s, {}, {}, u"globex"_s).json().value(u"webhooks"_s).toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).toObject().value(u"tenantId"_s).toString(), u"globex"_s);
    QCOMPARE(call("POST", u"/api/v1/events"_s, R"({"event": "lead.created", "data": {}, "tenantId": "acme"})", {}, u"globex"_s).status, 404);
    // A delivery of acme's, asked for by globex.
    const auto sent = call("POST", u"/api/v1/events"_s, R"({"event": "lead.created", "data": {"n": 1}})", {}, u"acme"_s);
    QCOMPARE(sent.status, 202);
    const auto deliveries = call("GET", u"/api/v1/webhooks/%1/deliveries"_s.arg(id), {}, {}, u"acme"_s).json().value(u"deliveries"_s).toArray();
    QCOMPARE(deliveries.size(), 1);
    const QString deliveryId = deliveries.at(0).toObject().value(u"id"_s).toString();
    QCOMPARE(call("GET", u"/api/v1/deliveries/"_s + deliveryId, {}, {}, u"acme"_s).status, 200);
    QCOMPARE(call("GET", u"/api/v1/deliveries/"_s + deliveryId, {}, {}, u"globex"_s).status, 404);
    QCOMPARE(call("POST", u"/api/v1/deliveries/%1/retry"_s.arg(deliveryId), {}, {}, u"globex"_s).status, 404);
    // The admin key sees everything.
    QCOMPARE(call("GET", u"/api/v1/webhooks/"_s + id, {}, {}, u"admin"_s).status, 200);
    QCOMPARE(call("GET", u"/api/v1/webhooks"_s, {}, {}, u"admin"_s).json().value(u"webhooks"_s).toArray().size(), 2);
}

void TestApi::seedRequestsWorkUnchanged()
{
    QFile file(QStringLiteral(HOOKLINE_TEST_DATA "/seed-api-requests.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto cases = QJsonDocument::fromJson(file.readAll()).array();
    QVERIFY(cases.size() >= 10);
    QString id;
    for (const auto &value : cases) {
        const auto c = value.toObject();
        const QString seed = c.value(u"seed"_s).toString();
        QString path = c.value(u"path"_s).toString();
        path.replace(u"{id}"_s, id);
        QList<std::pair<QByteArray, QByteArray>> headers;
        const auto given = c.value(u"headers"_s).toObject();
        for (auto it = given.begin(); it != given.end(); ++it)
            headers.append({it.key().toLatin1(), it.value().toString().toLatin1()});
        const QString keyText = m_keys.value(c.value(u"key"_s).toString());
        if (c.value(u"auth"_s).toString() == u"x-api-key")
            headers.append({QByteArray("X-API-Key"), keyText.toLatin1()});
        else
            headers.append({QByteArray("Authorization"), QByteArray("Bearer " + keyText.toLatin1())});
        // As curl -d sends it: a body without a Content-Type is a form.
        const QByteArray body = c.value(u"body"_s).toString().toUtf8();
        if (!body.isEmpty() && !given.contains(u"Content-Type"_s))
            headers.append({QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")});
        const auto a = call(c.value(u"method"_s).toString().toLatin1(), path, body, headers, {});
        QVERIFY2(a.status == c.value(u"status"_s).toInt(), qPrintable(seed + u": "_s + QString::number(a.status) + u' ' + QString::fromUtf8(a.body)));
        const auto json = a.json();
        const auto expect = c.value(u"expect"_s).toObject();
        for (auto it = expect.begin(); it != expect.end(); ++it)
            QVERIFY2(at(json, it.key()) == it.value(),
                     qPrintable(seed + u": "_s + it.key() + u" is "_s
                                + QString::fromUtf8(QJsonDocument(QJsonArray{at(json, it.key())}).toJson(QJsonDocument::Compact))));
        for (const auto &field : c.value(u"present"_s).toArray())
            QVERIFY2(!at(json, field.toString()).isUndefined(), qPrintable(seed + u": no "_s + field.toString()));
        if (c.contains(u"secret"_s)) {
            // The create's answer is the one place the secret shows in full.
            const QString secret = at(json, c.value(u"secret"_s).toString()).toString();
            QVERIFY2(secret.size() >= 16 && !secret.contains(u'•'), qPrintable(seed));
        }
        if (c.contains(u"id"_s)) {
            id = at(json, c.value(u"id"_s).toString()).toString();
            // Later reads mask it.
            const auto shown = call("GET", u"/api/v1/webhooks/"_s + id, {}, {}, u"admin"_s).json();
            QVERIFY2(shown.value(u"secret"_s).toString().contains(u'•'), qPrintable(seed));
        }
    }
}

// clang-format off
void TestApi::refusedRequestsChangeNothing_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");
    const QByteArray json = "application/json";
    QTest::newRow("malformed JSON") << QByteArray("POST") << u"/api/v1/webhooks"_s << json << QByteArray(R"({"url": )") << 400 << u"invalid_json"_s << QString();
    QTest::newRow("not an object") << QByteArray("POST") << u"/api/v1/webhooks"_s << json << QByteArray("[1]") << 400 << u"invalid_json"_s << QString();
    QTest::newRow("unknown field") << QByteArray("POST") << u"/api/v1/webhooks"_s << json
                                   << QByteArray(R"({"url": "http://127.0.0.1:9/a", "events": ["lead.created"], "evnets": []})") << 400 << u"invalid"_s << u"evnets"_s;
    QTest::newRow("wrong type") << QByteArray("POST") << u"/api/v1/webhooks"_s << json
                                << QByteArray(R"({"url": "http://127.0.0.1:9/a", "events": "lead.created"})") << 400 << u"invalid"_s << u"events"_s;
    QTest::newRow("invalid URL") << QByteArray("POST") << u"/api/v1/webhooks"_s << json
                                 << QByteArray(R"({"url": "ftp://x", "events": ["lead.created"]})") << 400 << u"invalid"_s << u"url"_s;
    QTest::newRow("unknown event type") << QByteArray("POST") << u"/api/v1/webhooks"_s << json
                                        << QByteArray(R"({"url": "http://127.0.0.1:9/a", "events": ["nope.never"]})") << 400 << u"invalid"_s << u"events"_s;
    QTest::newRow("two names for active") << QByteArray("POST") << u"/api/v1/webhooks"_s << json
                                          << QByteArray(R"({"url": "http://127.0.0.1:9/a", "events": ["lead.created"], "active": true, "enabled": false})")
                                          << 400 << u"invalid"_s << u"enabled"_s;
    QTest::newRow("not JSON") << QByteArray("POST") << u"/api/v1/events"_s << QByteArray("text/plain") << QByteArray("hello") << 415
                              << u"unsupported_media_type"_s << QString();
    QTest::newRow("unknown event") << QByteArray("POST") << u"/api/v1/events"_s << json << QByteArray(R"({"event": "nope.never", "data": {}})") << 400
                                   << u"invalid"_s << u"event"_s;
    QTest::newRow("data not an object") << QByteArray("POST") << u"/api/v1/events"_s << json << QByteArray(R"({"event": "lead.created", "data": 3})")
                                        << 400 << u"invalid"_s << u"data"_s;
    QTest::newRow("batch with one bad event") << QByteArray("POST") << u"/api/v1/events"_s << json
                                              << QByteArray(R"({"events": [{"event": "lead.created", "data": {}}, {"event": "nope", "data": {}}]})")
                                              << 400 << u"invalid"_s << u"events[1].event"_s;
    QTest::newRow("no such webhook") << QByteArray("DELETE") << u"/api/v1/webhooks/wh_nope"_s << QByteArray() << QByteArray() << 404 << u"not_found"_s << QString();
    QTest::newRow("no such route") << QByteArray("GET") << u"/api/v1/nothing"_s << QByteArray() << QByteArray() << 404 << u"not_found"_s << QString();
    QTest::newRow("bad cursor") << QByteArray("GET") << u"/api/v1/webhooks/{id}/deliveries?cursor=msg_nope"_s << QByteArray() << QByteArray() << 400
                                << u"invalid"_s << u"cursor"_s;
    QTest::newRow("bad filter") << QByteArray("GET") << u"/api/v1/webhooks/{id}/deliveries?status=lost"_s << QByteArray() << QByteArray() << 400
                                << u"invalid"_s << u"status"_s;
    QTest::newRow("secret changed by update") << QByteArray("PATCH") << u"/api/v1/webhooks/{id}"_s << json << QByteArray(R"({"secret": "whsec_abcdefgh"})")
                                              << 400 << u"invalid"_s << u"secret"_s;
    QTest::newRow("catalog with a tenant key") << QByteArray("POST") << u"/api/v1/event-types"_s << json << QByteArray(R"({"name": "x.y"})") << 403
                                               << u"forbidden"_s << QString();
}
// clang-format on

void TestApi::refusedRequestsChangeNothing()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, field);
    const auto made = call("POST", u"/api/v1/webhooks"_s, R"({"url": "http://127.0.0.1:9/a", "events": ["lead.created"]})");
    QCOMPARE(made.status, 201);
    path.replace(u"{id}"_s, made.json().value(u"id"_s).toString());
    const QByteArray before = databaseDigest();
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!contentType.isEmpty())
        headers.append({QByteArray("Content-Type"), contentType});
    const auto a = call(method, path, body, headers);
    QVERIFY2(a.status == status, a.body);
    QCOMPARE(a.errorCode(), code);
    QCOMPARE(a.errorField(), field);
    QVERIFY(!a.json().value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());
    QCOMPARE(databaseDigest(), before);
}

void TestApi::methodNotAllowedSaysWhatIs()
{
    const auto a = call("DELETE", u"/api/v1/events"_s);
    QCOMPARE(a.status, 405);
    QCOMPARE(a.header("Allow"), "POST");
    const auto b = call("POST", u"/api/v1/webhooks/wh_x"_s);
    QCOMPARE(b.status, 405);
    QCOMPARE(b.header("Allow"), "GET, PUT, PATCH, DELETE");
}

void TestApi::quotaAnswers409NamingThePlan()
{
    const QByteArray body = R"({"url": "http://127.0.0.1:9/a", "events": ["lead.created"]})";
    const QByteArray before = databaseDigest();
    const auto a = call("POST", u"/api/v1/webhooks"_s, body, {}, u"freeco"_s);
    QCOMPARE(a.status, 409);
    QCOMPARE(a.errorCode(), u"quota_exceeded"_s);
    QVERIFY2(a.body.contains("FREE"), a.body);
    QCOMPARE(databaseDigest(), before);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(call("POST", u"/api/v1/webhooks"_s, body, {}, u"acme"_s).status, 201);
    const auto sixth = call("POST", u"/api/v1/webhooks"_s, body, {}, u"acme"_s);
    QCOMPARE(sixth.status, 409);
    QVERIFY2(sixth.body.contains("PRO") && sixth.body.contains('5'), sixth.body);
}

void TestApi::plansAndTenantsAreDataAnAdminManages()
{
    // A tenant's key may not make plans or tenants.
    QCOMPARE(call("POST", u"/api/v1/plans"_s, R"({"name": "gold", "webhookQuota": 1, "requestsPerMinute": 3})", {}, u"acme"_s).status, 403);
    const auto gold = call("POST", u"/api/v1/plans"_s, R"({"name": "gold", "webhookQuota": 1, "requestsPerMinute": 3})", {}, u"admin"_s);
    QCOMPARE(gold.status, 201);
    QCOMPARE(gold.json().value(u"name"_s).toString(), u"GOLD"_s);
    QCOMPARE(call("POST", u"/api/v1/plans"_s, R"({"name": "gold", "webhookQuota": 1, "requestsPerMinute": 3})", {}, u"admin"_s).status, 409);
    QCOMPARE(call("PATCH", u"/api/v1/plans/PRO"_s, R"({"webhookQuota": 50})", {}, u"admin"_s).status, 409); // built in
    QCOMPARE(call("POST", u"/api/v1/tenants"_s, R"({"id": "initech", "plan": "gold"})", {}, u"admin"_s).status, 201);
    QCOMPARE(call("POST", u"/api/v1/tenants"_s, R"({"id": "hooli", "plan": "platinum"})", {}, u"admin"_s).status, 404);
    m_keys.insert(u"initech"_s, newKey(u"initech"_s));
    const QByteArray body = R"({"url": "http://127.0.0.1:9/a", "events": ["lead.created"]})";
    QCOMPARE(call("POST", u"/api/v1/webhooks"_s, body, {}, u"initech"_s).status, 201);
    const auto full = call("POST", u"/api/v1/webhooks"_s, body, {}, u"initech"_s);
    QCOMPARE(full.status, 409);
    QVERIFY2(full.body.contains("GOLD") && full.body.contains("1 webhook"), full.body);
    // Its rate: 3 a minute, the fourth request waits.
    QCOMPARE(call("GET", u"/api/v1/webhooks"_s, {}, {}, u"initech"_s).status, 200);
    QCOMPARE(call("GET", u"/api/v1/webhooks"_s, {}, {}, u"initech"_s).status, 429);
    // A bigger plan for the tenant; an unlimited rate for the plan.
    QCOMPARE(call("PATCH", u"/api/v1/plans/gold"_s, R"({"webhookQuota": 2, "requestsPerMinute": null})", {}, u"admin"_s).status, 200);
    QCOMPARE(call("POST", u"/api/v1/webhooks"_s, body, {}, u"initech"_s).status, 201);
    const auto unlimited = call("GET", u"/api/v1/webhooks"_s, {}, {}, u"initech"_s);
    QCOMPARE(unlimited.status, 200);
    QVERIFY(unlimited.header("X-RateLimit-Limit").isEmpty());
    QCOMPARE(call("PATCH", u"/api/v1/tenants/initech"_s, R"({"plan": "FREE"})", {}, u"admin"_s).json().value(u"plan"_s).toString(), u"FREE"_s);
    // The tenant sees itself only.
    const auto tenants = call("GET", u"/api/v1/tenants"_s, {}, {}, u"initech"_s).json().value(u"tenants"_s).toArray();
    QCOMPARE(tenants.size(), 1);
    QCOMPARE(call("GET", u"/api/v1/plans"_s, {}, {}, u"initech"_s).json().value(u"plans"_s).toArray().size(), 6);
}

void TestApi::rateLimitIsATokenBucketPerKey()
{
    test::ManualClock clock;
    // FREE: 60 requests a minute, spent at once, back at one a second.
    for (int i = 0; i < 60; ++i) {
        const auto a = call("GET", u"/api/v1/webhooks"_s, {}, {}, u"freeco"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.header("X-RateLimit-Limit"), "60");
        QCOMPARE(a.header("X-RateLimit-Remaining").toInt(), 59 - i);
    }
    const auto refused = call("GET", u"/api/v1/webhooks"_s, {}, {}, u"freeco"_s);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.errorCode(), u"rate_limited"_s);
    QCOMPARE(refused.header("Retry-After"), "1");
    QCOMPARE(refused.header("X-RateLimit-Remaining"), "0");
    QCOMPARE(refused.header("X-RateLimit-Reset"), "60");
    // Another key is not affected.
    QCOMPARE(call("GET", u"/api/v1/webhooks"_s, {}, {}, u"acme"_s).status, 200);
    clock.advance(1000);
    QCOMPARE(call("GET", u"/api/v1/webhooks"_s, {}, {}, u"freeco"_s).status, 200);
    QCOMPARE(call("GET", u"/api/v1/webhooks"_s, {}, {}, u"freeco"_s).status, 429);
    clock.advanceSecs(60);
    const auto full = call("GET", u"/api/v1/webhooks"_s, {}, {}, u"freeco"_s);
    QCOMPARE(full.status, 200);
    QCOMPARE(full.header("X-RateLimit-Remaining"), "59");
}

void TestApi::idempotencyKeyAnswersTheFirstAnswerAgain()
{
    const QByteArray webhook = R"({"url": "http://127.0.0.1:9/a", "events": ["lead.created", "lead.updated"]})";
    QCOMPARE(call("POST", u"/api/v1/webhooks"_s, webhook).status, 201);
    const QByteArray body = R"({"events": [{"event": "lead.created", "data": {"n": 1}}, {"event": "lead.updated", "data": {"n": 2}}]})";
    const auto first = call("POST", u"/api/v1/events"_s, body, {{"Idempotency-Key", "order-42"}});
    QCOMPARE(first.status, 202);
    QVERIFY(first.header("Idempotent-Replayed").isEmpty());
    QCOMPARE(first.json().value(u"deliveries"_s).toInt(), 2);
    const QByteArray before = databaseDigest();
    const auto again = call("POST", u"/api/v1/events"_s, body, {{"Idempotency-Key", "order-42"}});
    QCOMPARE(again.status, 202);
    QCOMPARE(again.header("Idempotent-Replayed"), "true");
    QCOMPARE(again.json().value(u"events"_s), first.json().value(u"events"_s));
    QCOMPARE(databaseDigest(), before);
    // The same key for another request is a mistake, refused.
    const auto other = call("POST", u"/api/v1/events"_s, R"({"event": "lead.created", "data": {}})", {{"Idempotency-Key", "order-42"}});
    QCOMPARE(other.status, 409);
    QCOMPARE(other.errorField(), u"Idempotency-Key"_s);
    QCOMPARE(databaseDigest(), before);
    // Keys are per tenant.
    QCOMPARE(call("POST", u"/api/v1/events"_s, body, {{"Idempotency-Key", "order-42"}}, u"acme"_s).header("Idempotent-Replayed"), QByteArray());
    // After 24 hours the key is free again.
    test::ManualClock clock(QDateTime::currentDateTimeUtc().addSecs(24 * 3600 + 60));
    const auto later = call("POST", u"/api/v1/events"_s, body, {{"Idempotency-Key", "order-42"}});
    QCOMPARE(later.status, 202);
    QVERIFY(later.header("Idempotent-Replayed").isEmpty());
    QVERIFY(later.json().value(u"events"_s) != first.json().value(u"events"_s));
}

void TestApi::eventIdIsAnIdempotencyKeyToo()
{
    const QByteArray body = R"({"id": "crm-evt-1", "event": "lead.created", "data": {"n": 1}})";
    const auto first = call("POST", u"/api/v1/events"_s, body);
    QCOMPARE(first.status, 202);
    const auto again = call("POST", u"/api/v1/events"_s, body);
    QCOMPARE(again.status, 202);
    QCOMPARE(again.json().value(u"id"_s), first.json().value(u"id"_s));
    QSqlQuery q(m_installation->connection());
    QVERIFY(q.exec(u"SELECT COUNT(*) FROM events WHERE type = 'lead.created'"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
}

void TestApi::batchIsAllOrNothing()
{
    QJsonArray events;
    for (int i = 0; i < 1000; ++i)
        events.append(QJsonObject{{u"event"_s, u"lead.created"_s}, {u"data"_s, QJsonObject{{u"i"_s, i}}}});
    const auto ok = call("POST", u"/api/v1/events"_s, QJsonDocument(QJsonObject{{u"events"_s, events}}).toJson());
    QCOMPARE(ok.status, 202);
    QCOMPARE(ok.json().value(u"events"_s).toArray().size(), 1000);
    events.append(QJsonObject{{u"event"_s, u"lead.created"_s}, {u"data"_s, QJsonObject{}}});
    const QByteArray before = databaseDigest();
    const auto tooMany = call("POST", u"/api/v1/events"_s, QJsonDocument(QJsonObject{{u"events"_s, events}}).toJson());
    QCOMPARE(tooMany.status, 400);
    QCOMPARE(tooMany.errorField(), u"events"_s);
    QCOMPARE(databaseDigest(), before);
}

void TestApi::deliveriesPageWithACursor()
{
    const auto made = call("POST", u"/api/v1/webhooks"_s, R"({"url": "http://127.0.0.1:9/a", "events": ["lead.created"]})");
    const QString id = made.json().value(u"id"_s).toString();
    QJsonArray events;
    for (int i = 0; i < 7; ++i)
        events.append(QJsonObject{{u"event"_s, u"lead.created"_s}, {u"data"_s, QJsonObject{{u"i"_s, i}}}});
    QCOMPARE(call("POST", u"/api/v1/events"_s, QJsonDocument(QJsonObject{{u"events"_s, events}}).toJson()).status, 202);
    QStringList seen;
    QString cursor;
    int pages = 0;
    do {
        const auto page
            = call("GET", u"/api/v1/webhooks/%1/deliveries?limit=3%2"_s.arg(id, cursor.isEmpty() ? QString() : u"&cursor="_s + cursor)).json();
        for (const auto &d : page.value(u"deliveries"_s).toArray())
            seen << d.toObject().value(u"id"_s).toString();
        cursor = page.value(u"next"_s).toString();
        ++pages;
    } while (!cursor.isEmpty() && pages < 10);
    QCOMPARE(seen.size(), 7);
    QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()).size(), 7);
    QCOMPARE(pages, 3);
    const auto filtered = call("GET", u"/api/v1/webhooks/%1/deliveries?status=succeeded"_s.arg(id)).json();
    QCOMPARE(filtered.value(u"deliveries"_s).toArray().size(), 0);
}

void TestApi::ingestedEventIsDeliveredAndVerifies()
{
    test::TestReceiver receiver;
    QVERIFY(receiver.listen());
    startServer(true);
    const auto made = call("POST", u"/api/v1/webhooks"_s,
                           QJsonDocument(QJsonObject{{u"url"_s, receiver.url()}, {u"events"_s, QJsonArray{u"lead.created"_s}}}).toJson());
    QCOMPARE(made.status, 201);
    const QString secret = made.json().value(u"secret"_s).toString();
    const auto sent = call("POST", u"/api/v1/events"_s, R"({"event": "lead.created", "data": {"z": 1, "a": {"b": [1, 2]}}})");
    QCOMPARE(sent.status, 202);
    QCOMPARE(sent.json().value(u"deliveries"_s).toInt(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(receiver.count(), 1, 10000);
    const auto &got = receiver.request(0);
    VerifyRequest v;
    for (const auto &[name, value] : got.headers)
        v.headers.append({name, value});
    v.body = got.body;
    const auto result = Verifier::verify(secret, v);
    QVERIFY2(result.valid, qPrintable(result.reason));
    // Key order kept: the data reaches the receiver as it was sent.
    QVERIFY2(got.body.contains(R"("data":{"z":1,"a":{"b":[1,2]}})"), got.body);
    // And the history says so.
    const QString deliveryId = call("GET", u"/api/v1/webhooks/%1/deliveries"_s.arg(made.json().value(u"id"_s).toString()))
                                   .json()
                                   .value(u"deliveries"_s)
                                   .toArray()
                                   .at(0)
                                   .toObject()
                                   .value(u"id"_s)
                                   .toString();
    QTRY_COMPARE_WITH_TIMEOUT(call("GET", u"/api/v1/deliveries/"_s + deliveryId).json().value(u"status"_s).toString(), u"succeeded"_s, 10000);
    const auto detail = call("GET", u"/api/v1/deliveries/"_s + deliveryId).json();
    QCOMPARE(detail.value(u"attemptList"_s).toArray().size(), 1);
    QCOMPARE(detail.value(u"success"_s).toBool(), true);
}

void TestApi::healthAndMetricsNeedNoKeyOnLoopback()
{
    const auto health = call("GET", u"/api/v1/health"_s, {}, {}, {});
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value(u"database"_s).toBool(), true);
    QCOMPARE(health.json().value(u"engine"_s).toString(), u"off"_s);
    QCOMPARE(call("POST", u"/api/v1/events"_s, R"({"event": "lead.created", "data": {}})").status, 202);
    QCOMPARE(call("POST", u"/api/v1/events"_s, R"({"event": "nope", "data": {}})").status, 400);
    const auto metrics = call("GET", u"/api/v1/metrics"_s, {}, {}, {});
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.header("Content-Type").startsWith("text/plain"));
    for (const char *line : {"hookline_queue_depth ", "hookline_deliveries{status=\"succeeded\"} 0", "hookline_ingest_events_total 1",
                             "hookline_ingest_refused_total 1", "hookline_attempt_duration_seconds_bucket{le=\"+Inf\"} 0",
                             "hookline_attempts_total{outcome=\"5xx\"} 0", "hookline_oldest_due_age_seconds "})
        QVERIFY2(metrics.body.contains(line), line);
}

void TestApi::tooLargeIsRefusedBeforeTheBodyIsRead_data()
{
    QTest::addColumn<QByteArray>("lengthLine");
    QTest::addColumn<bool>("last"); // the head's last line, or one in the middle
    QTest::newRow("as usually written") << QByteArray("Content-Length: 5000000") << false;
    QTest::newRow("lower case, no space") << QByteArray("content-length:5000000") << false;
    QTest::newRow("upper case, spaces around the value") << QByteArray("CONTENT-LENGTH:  5000000  ") << true;
}

void TestApi::tooLargeIsRefusedBeforeTheBodyIsRead()
{
    QFETCH(QByteArray, lengthLine);
    QFETCH(bool, last);
    startServer();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(5000));
    // Only the head is sent: the answer comes without waiting for 5 MB.
    const QByteArray auth = "Authorization: Bearer " + m_keys.value(u"default"_s).toLatin1() + "\r\n";
    socket.write("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + (last ? auth : QByteArray()) + lengthLine + "\r\n"
                 + (last ? QByteArray() : auth) + "\r\n{\"event\":");
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("\r\n\r\n{"), 5000);
    QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer);
    QVERIFY(answer.contains("too_large"));
    // Just over the limit, sent whole: refused too.
    QByteArray big = QByteArray(R"x({"event": "lead.created", "data": {"x": ")x") + QByteArray(1024 * 1024, 'a') + QByteArray(R"x("}})x");
    QCOMPARE(call("POST", u"/api/v1/events"_s, big).status, 413);
}

void TestApi::halfSentRequestTimesOutWithoutHoldingOthers()
{
    startServer(); // request deadline 800 ms
    QTcpSocket slow;
    slow.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(slow.waitForConnected(5000));
    slow.write("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"ev");
    // Others are served meanwhile.
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(call("GET", u"/api/v1/webhooks"_s).status, 200);
    QVERIFY(timer.elapsed() < 500);
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += slow.readAll()).startsWith("HTTP/1.1 408"), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(slow.state(), QAbstractSocket::UnconnectedState, 5000);
}

void TestApi::idleConnectionsDoNotStopOthers()
{
    rlimit limit{};
    QVERIFY(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
    if (limit.rlim_cur < 2300) {
        limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 4096);
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur < 2300)
        QSKIP("the file descriptor limit is too low for 1 000 connections on both ends");
    startServer();
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    for (int i = 0; i < 1000; ++i) {
        idle.push_back(std::make_unique<QTcpSocket>());
        idle.back()->connectToHost(QHostAddress::LocalHost, m_port);
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(idle.cbegin(), idle.cend(), [](const auto &s) { return s->state() == QAbstractSocket::ConnectedState; }),
                             10000);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 20; ++i)
        QCOMPARE(call("GET", u"/api/v1/health"_s, {}, {}, {}).status, 200);
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    // The idle ones are closed by the server after its idle timeout (5 s here).
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(idle.cbegin(), idle.cend(), [](const auto &s) { return s->state() == QAbstractSocket::UnconnectedState; }),
                             15000);
}

void TestApi::servesHttpsWithTheGivenCertificate()
{
    const auto ca = test::TestCertificates::authority(u"Hookline API test CA"_s);
    const auto server = test::TestCertificates::server({u"127.0.0.1"_s}, &ca);
    const QString cert = m_dir->filePath(u"server.pem"_s);
    const QString key = m_dir->filePath(u"server.key"_s);
    for (const auto &[path, data] : {std::pair{cert, server.certificatePem}, std::pair{key, server.keyPem}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }
    api::ApiServer https(m_installation, nullptr);
    QVERIFY(!https.useTls(m_dir->filePath(u"missing.pem"_s), key)); // a clear refusal, not a server without TLS
    QVERIFY(!https.useTls(key, cert));                              // swapped
    QVERIFY(https.useTls(cert, key));
    auto port = https.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port);

    QNetworkRequest request(QUrl(u"https://127.0.0.1:%1/api/v1/webhooks"_s.arg(*port)));
    auto tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates({QSslCertificate(ca.certificatePem)});
    request.setSslConfiguration(tls);
    request.setRawHeader("X-API-Key", m_keys.value(u"default"_s).toLatin1());
    QNetworkReply *reply = m_client.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(10000));
    QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();
}

namespace {
QStringList g_apiLog;
void captureApiLog(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    if (QByteArrayView(context.category) == "hookline.api")
        g_apiLog << message;
}
} // namespace

void TestApi::requestLogNamesTheKeyNeverTheSecret()
{
    startServer();
    g_apiLog.clear();
    const auto previous = qInstallMessageHandler(captureApiLog);
    const QByteArray body = R"({"url": "http://127.0.0.1:9/a", "events": ["lead.created"], "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})";
    const auto made = call("POST", u"/api/v1/webhooks"_s, body, {}, u"acme"_s);
    const auto sent
        = call("POST", u"/api/v1/events?x=private"_s, R"({"event": "lead.created", "data": {"email": "ada@example.com"}})", {}, u"acme"_s);
    call("GET", u"/api/v1/webhooks"_s, {}, {}, u"hlk_notakey"_s);
    qInstallMessageHandler(previous);
    QCOMPARE(made.status, 201);
    QCOMPARE(sent.status, 202);
    QCOMPARE(g_apiLog.size(), 3);
    auto key = ApiKeyService(m_installation->connection()).authenticate(m_keys.value(u"acme"_s));
    QVERIFY(key && *key);
    QVERIFY2(g_apiLog.at(0).startsWith(u"POST /api/v1/webhooks 201 "_s) && g_apiLog.at(0).endsWith(u" acme "_s + (*key)->id),
             qPrintable(g_apiLog.at(0)));
    // The whole shape once: method, path without its query, status, duration, tenant, key id.
    QVERIFY2(QRegularExpression(u"^POST /api/v1/events 202 \\d+\\.\\dms acme "_s + QRegularExpression::escape((*key)->id) + u"$"_s)
                 .match(g_apiLog.at(1))
                 .hasMatch(),
             qPrintable(g_apiLog.at(1)));
    QVERIFY2(g_apiLog.at(2).startsWith(u"GET /api/v1/webhooks 401 "_s) && g_apiLog.at(2).endsWith(u" - -"_s), qPrintable(g_apiLog.at(2)));
    const QString all = g_apiLog.join(u'\n');
    for (const QString &secret :
         {m_keys.value(u"acme"_s), u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s, u"ada@example.com"_s, u"private"_s, u"hlk_"_s})
        QVERIFY2(!all.contains(secret), qPrintable(secret));
}

void TestApi::changesAreAuditedAsTheKey()
{
    const auto made = call("POST", u"/api/v1/webhooks"_s, R"({"url": "http://127.0.0.1:9/a", "events": ["lead.created"]})", {}, u"acme"_s);
    QCOMPARE(made.status, 201);
    const QString id = made.json().value(u"id"_s).toString();
    QCOMPARE(call("PATCH", u"/api/v1/webhooks/"_s + id, R"({"name": "renamed"})", {}, u"acme"_s).status, 200);
    auto key = ApiKeyService(m_installation->connection()).authenticate(m_keys.value(u"acme"_s));
    QVERIFY(key && *key);
    AuditFilter filter;
    filter.objectId = id;
    auto entries = AuditLog(m_installation->connection()).list(filter);
    QVERIFY(entries);
    QCOMPARE(entries->size(), 2);
    for (const auto &e : std::as_const(*entries))
        QCOMPARE(e.actor, u"api key "_s + (*key)->id);
    // The process's own actor is back once the request is answered.
    QVERIFY(!AuditLog::actor().startsWith(u"api key"_s));
}

void TestApi::metricsNeedAnAdminKeyOffLoopback()
{
    startServer();
    m_server->context().loopbackOnly = false; // as when listening on 0.0.0.0
    QCOMPARE(call("GET", u"/api/v1/metrics"_s, {}, {}, {}).status, 401);
    QCOMPARE(call("GET", u"/api/v1/metrics"_s, {}, {}, u"acme"_s).status, 404);
    QCOMPARE(call("GET", u"/api/v1/metrics"_s, {}, {}, u"admin"_s).status, 200);
    QCOMPARE(call("GET", u"/api/v1/health"_s, {}, {}, {}).status, 200); // health stays open
}

void TestApi::databaseFailureIs500WithoutItsDetails()
{
    startServer();
    const QByteArray before = databaseDigest();
    // The server thread's own connection refuses writes from now on.
    QSqlQuery pragma(m_installation->connection());
    QVERIFY(pragma.exec(u"PRAGMA query_only = ON"_s));
    const QByteArray body = R"({"url": "http://127.0.0.1:9/a", "events": ["lead.created"]})";
    const auto a = call("POST", u"/api/v1/webhooks"_s, body);
    QVERIFY(pragma.exec(u"PRAGMA query_only = OFF"_s));
    QCOMPARE(a.status, 500);
    QCOMPARE(a.errorCode(), u"internal"_s);
    for (const char *detail : {"query_only", "SQL", "sqlite", "readonly", "webhooks", ".db"})
        QVERIFY2(!a.body.contains(detail), a.body);
    QCOMPARE(databaseDigest(), before);
    QCOMPARE(call("POST", u"/api/v1/webhooks"_s, body).status, 201);
}

void TestApi::logLinesGatheredUntilTheLoopWaits()
{
    // stderr into a file for the time of the test.
    QTemporaryFile out;
    QVERIFY(out.open());
    const int saved = ::dup(STDERR_FILENO);
    QVERIFY(saved >= 0);
    QVERIFY(::dup2(out.handle(), STDERR_FILENO) >= 0);
    const auto restore = qScopeGuard([saved] {
        api::GatheredLogOutput::flush();
        qInstallMessageHandler(nullptr);
        ::dup2(saved, STDERR_FILENO);
        ::close(saved);
    });
    const auto written = [&out] {
        QFile file(out.fileName());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(unreadable)");
    };
    const auto runLoopOnce = [] {
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec(); // waits for events: the pass ends with aboutToBlock
    };

    api::GatheredLogOutput::install();
    api::GatheredLogOutput::install(); // twice is once
    qCInfo(api::lcApi) << "POST /api/v1/events 202";
    qCInfo(api::lcApi) << "POST /api/v1/events 400";
    QCOMPARE(written(), QByteArray()); // gathered, not written yet
    runLoopOnce();
    QCOMPARE(written(), QByteArray("hookline.api: POST /api/v1/events 202\nhookline.api: POST /api/v1/events 400\n"));

    // A warning goes out at once, after what was gathered before it.
    qCInfo(api::lcApi) << "GET /api/v1/health 200";
    qCWarning(api::lcApi) << "the disk is full";
    QCOMPARE(written().split('\n').mid(2, 2), QList<QByteArray>({"hookline.api: GET /api/v1/health 200", "hookline.api: the disk is full"}));

    // So do 64 KB of lines, without waiting for the loop.
    const QByteArray before = written();
    for (qsizetype n = 0; n <= api::GatheredLogOutput::kMaxGatheredBytes / 32; ++n)
        qCInfo(api::lcApi) << "GET /api/v1/webhooks 200 0.1ms";
    QVERIFY(written().size() > before.size() + api::GatheredLogOutput::kMaxGatheredBytes / 2);
}

QTEST_GUILESS_MAIN(TestApi)
#include "tst_api.moc"
