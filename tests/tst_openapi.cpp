// api/openapi.json against the server: every route is documented and every
// documented operation is a route, and every operation, sent as the document
// shows it (its example body and parameter examples, live ids put in place
// of the examples'), gets the success status the document promises.
#include "TestDatabase.h"

#include "ApiServer.h"
#include "service/ApiKeyService.h"
#include "service/CatalogService.h"
#include "service/EventService.h"
#include "service/Installation.h"
#include "service/WebhookService.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hookline;
using namespace Qt::StringLiterals;

class TestOpenApi final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void servedDocumentIsTheRepositoryOne();
    void routesAndDocumentAgree();
    void documentedOperationsWork();

private:
    struct Answer {
        int status = 0;
        QByteArray body;
    };
    Answer send(const QByteArray &method, const QString &path, const QByteArray &body);

    QTemporaryDir m_dir;
    std::shared_ptr<Installation> m_installation;
    std::unique_ptr<api::ApiServer> m_server;
    QNetworkAccessManager m_client;
    quint16 m_port = 0;
    QString m_key;
    QJsonObject m_document;
};

void TestOpenApi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto opened = Installation::open(m_dir.filePath(u"openapi.db"_s), CatalogService::builtinCatalogs());
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    m_installation = *opened;
    QVERIFY(test::allowLoopback(m_installation->connection()));
    auto key = ApiKeyService(m_installation->connection()).create({}, u"openapi"_s, true);
    QVERIFY(key);
    m_key = key->text;
    m_server = std::make_unique<api::ApiServer>(m_installation, nullptr);
    auto port = m_server->listen(QHostAddress::LocalHost, 0);
    QVERIFY(port);
    m_port = *port;
    QFile file(QStringLiteral(HOOKLINE_SOURCE_DIR "/api/openapi.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonParseError error;
    m_document = QJsonDocument::fromJson(file.readAll(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(m_document.value(u"openapi"_s).toString(), u"3.1.0"_s);
}

void TestOpenApi::cleanupTestCase()
{
    m_server.reset();
    m_installation.reset();
}

TestOpenApi::Answer TestOpenApi::send(const QByteArray &method, const QString &path, const QByteArray &body)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path)));
    request.setRawHeader("Authorization", "Bearer " + m_key.toLatin1());
    if (!body.isEmpty())
        request.setRawHeader("Content-Type", "application/json");
    QNetworkReply *reply = m_client.sendCustomRequest(request, method, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(10000);
    Answer a{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    reply->deleteLater();
    return a;
}

void TestOpenApi::servedDocumentIsTheRepositoryOne()
{
    const auto served = send("GET", u"/api/v1/openapi.json"_s, {});
    QCOMPARE(served.status, 200);
    QCOMPARE(QJsonDocument::fromJson(served.body).object(), m_document);
}

void TestOpenApi::routesAndDocumentAgree()
{
    QSet<QString> routes;
    for (const auto &r : m_server->router().routes())
        routes.insert(QString::fromLatin1(r.method) + u' ' + r.pattern);
    QSet<QString> documented;
    const auto paths = m_document.value(u"paths"_s).toObject();
    for (auto p = paths.begin(); p != paths.end(); ++p) {
        const auto operations = p.value().toObject();
        for (auto o = operations.begin(); o != operations.end(); ++o)
            documented.insert(o.key().toUpper() + u' ' + p.key());
    }
    const auto undocumented = QSet<QString>(routes).subtract(documented);
    const auto missing = QSet<QString>(documented).subtract(routes);
    QVERIFY2(undocumented.isEmpty(),
             qPrintable(u"routes the document does not describe: "_s + QStringList(undocumented.cbegin(), undocumented.cend()).join(u", "_s)));
    QVERIFY2(missing.isEmpty(),
             qPrintable(u"documented operations the server does not have: "_s + QStringList(missing.cbegin(), missing.cend()).join(u", "_s)));
    QCOMPARE(routes.size(), m_server->router().routes().size()); // no route twice
}

void TestOpenApi::documentedOperationsWork()
{
    // Live objects for the path parameters: one webhook per collection (each
    // is deleted by its own DELETE, last), a delivery, and the plan and
    // tenant the documented POSTs create.
    QHash<QString, QString> webhookOf;
    const QString exampleWebhook = u"wh_00VcZIz5tR2w0M68DXZtwr"_s;
    const QString exampleDelivery = u"msg_00VcZJ0Zvu4F2DPX3ParCE"_s;
    QString deliveryId;
    for (const QString &collection : {u"/api/v1/webhooks"_s, u"/api/webhooks"_s, u"/api/v1/developer/webhooks"_s}) {
        Webhook draft;
        draft.url = u"http://127.0.0.1:9/"_s + collection;
        draft.events = {u"*"_s};
        auto w = WebhookService(m_installation->connection()).create(draft);
        QVERIFY(w);
        webhookOf.insert(collection, w->id);
        auto ping = EventService(m_installation->connection()).emitTestPing(w->id);
        QVERIFY(ping);
        deliveryId = *ping;
    }

    struct Operation {
        QString path;
        QByteArray method;
        QJsonObject spec;
    };
    QList<Operation> operations;
    const auto paths = m_document.value(u"paths"_s).toObject();
    for (auto p = paths.begin(); p != paths.end(); ++p) {
        const auto ops = p.value().toObject();
        for (auto o = ops.begin(); o != ops.end(); ++o)
            operations.append({p.key(), o.key().toUpper().toLatin1(), o.value().toObject()});
    }
    // What is made comes before what is changed, and deletions last.
    const auto rank = [](const QByteArray &m) { return m == "POST" ? 0 : m == "DELETE" ? 3 : m == "GET" ? 1 : 2; };
    std::stable_sort(operations.begin(), operations.end(), [&](const Operation &a, const Operation &b) { return rank(a.method) < rank(b.method); });

    int checked = 0;
    for (const auto &op : std::as_const(operations)) {
        QString path = op.path;
        QString query;
        for (const auto &value : op.spec.value(u"parameters"_s).toArray()) {
            const auto param = value.toObject();
            const QString name = param.value(u"name"_s).toString();
            if (param.value(u"in"_s).toString() != u"path"_s)
                continue;
            QString live = param.value(u"example"_s).toString();
            if (name == u"id" && path.startsWith(u"/api/v1/deliveries"))
                live = deliveryId;
            else if (name == u"id" && !path.startsWith(u"/api/v1/tenants"))
                live = webhookOf.value(path.left(path.indexOf(u"/{id}"_s)));
            path.replace(u'{' + name + u'}', live);
        }
        QVERIFY2(!path.contains(u'{'), qPrintable(op.path));
        QByteArray body;
        const auto content = op.spec.value(u"requestBody"_s).toObject().value(u"content"_s).toObject().value(u"application/json"_s).toObject();
        if (content.contains(u"example"_s)) {
            body = QJsonDocument(content.value(u"example"_s).toObject()).toJson(QJsonDocument::Compact);
            body.replace(exampleWebhook.toUtf8(), webhookOf.value(u"/api/v1/webhooks"_s).toUtf8());
            body.replace(exampleDelivery.toUtf8(), deliveryId.toUtf8());
        } else {
            QVERIFY2(!op.spec.contains(u"requestBody"_s),
                     qPrintable(QString::fromLatin1(op.method) + u' ' + op.path + u" documents a body without an example"_s));
        }
        int expected = 0;
        const auto responses = op.spec.value(u"responses"_s).toObject();
        for (auto r = responses.begin(); r != responses.end() && !expected; ++r) {
            if (r.key().startsWith(u'2'))
                expected = r.key().toInt();
        }
        QVERIFY2(expected, qPrintable(op.path + u" documents no success"_s));
        const auto a = send(op.method, path + query, body);
        QVERIFY2(a.status == expected, qPrintable(QString::fromLatin1(op.method) + u' ' + path + u" answered "_s + QString::number(a.status)
                                                  + u", documented "_s + QString::number(expected) + u": "_s + QString::fromUtf8(a.body)));
        ++checked;
    }
    QCOMPARE(checked, int(m_server->router().routes().size()));
}

QTEST_GUILESS_MAIN(TestOpenApi)
#include "tst_openapi.moc"
