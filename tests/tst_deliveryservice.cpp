// Tests for core/service/DeliveryService (the history every front end reads:
// pages by offset and by cursor, detail, payload, the last request, retry now
// and replay), Settings::setValues and Installation::open.
#include "TestLocation.h"
#include "service/CatalogService.h"
#include "service/DeliveryService.h"
#include "service/EventService.h"
#include "service/Installation.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "store/Sql.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace hookline {

class TestDeliveryService final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void cursorWalksTheWholeHistory_data();
    void cursorWalksTheWholeHistory();
    void cursorRefusals_data();
    void cursorRefusals();
    void detailPayloadAndLastRequest();
    void lastRequestNeedsAnAttempt();
    void missingDeliveryIsNotFound();
    void retryNowQueuesAFinishedDelivery();
    void retryNowRefusesADeliveryOnTheWire();
    void replayByWebhookAndStatus();
    void replayRefusals_data();
    void replayRefusals();
    void settingsAreSavedAllOrNothing();
    void installationChecksCatalogsBeforeCreating();

private:
    QSqlDatabase conn() { return m_installation->connection(); }
    bool exec(const QString &statement);
    QString status(const QString &deliveryId);
    // Emits `n` lead.created events to the webhook: n pending deliveries, newest last.
    QStringList emitEvents(int n);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<Installation> m_installation;
    QString m_webhook;
};

void TestDeliveryService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto opened = Installation::open(test::databaseLocation(*m_dir));
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    m_installation = *opened;
    QVERIFY(Settings(conn()).setValue(QString::fromLatin1(Settings::kAllowPrivateAddresses), u"true"_s));
    Webhook w;
    w.name = u"Leads"_s;
    w.url = u"https://127.0.0.1:9/leads"_s;
    w.events = {u"lead.created"_s};
    auto created = WebhookService(conn()).create(w);
    QVERIFY2(created, created ? "" : qPrintable(created.error().message));
    m_webhook = created->id;
}

void TestDeliveryService::cleanup()
{
    m_installation.reset();
    m_dir.reset();
}

bool TestDeliveryService::exec(const QString &statement)
{
    QSqlQuery q(conn());
    if (q.exec(statement))
        return true;
    qWarning("%s: %s", qPrintable(statement), qPrintable(q.lastError().text()));
    return false;
}

QString TestDeliveryService::status(const QString &deliveryId)
{
    auto d = DeliveryService(conn()).get(deliveryId);
    return d ? deliveryStatusName(d->status) : d.error().message;
}

QStringList TestDeliveryService::emitEvents(int n)
{
    QStringList ids;
    for (int i = 0; i < n; ++i) {
        const QByteArray data = "{\"n\":" + QByteArray::number(i) + '}';
        auto emitted = EventService(conn()).emitEvent(u"default"_s, u"lead.created"_s, data);
        if (!emitted || emitted->deliveryIds.size() != 1)
            return {};
        ids << emitted->deliveryIds.constFirst();
    }
    return ids;
}

void TestDeliveryService::cursorWalksTheWholeHistory_data()
{
    QTest::addColumn<bool>("oldestFirst");
    QTest::addColumn<bool>("sameTime");
    QTest::addColumn<int>("pageSize");
    QTest::newRow("newest first") << false << false << 3;
    QTest::newRow("oldest first") << true << false << 3;
    // One creation time for all: only the id orders them, and no row may be
    // lost or repeated at a page's edge.
    QTest::newRow("newest first, one time") << false << true << 2;
    QTest::newRow("oldest first, one time") << true << true << 4;
    QTest::newRow("one page") << false << false << 50;
}

void TestDeliveryService::cursorWalksTheWholeHistory()
{
    QFETCH(bool, oldestFirst);
    QFETCH(bool, sameTime);
    QFETCH(int, pageSize);
    QCOMPARE(emitEvents(11).size(), 11);
    if (sameTime)
        QVERIFY(exec(u"UPDATE deliveries SET created_at = 1700000000000"_s));
    DeliveryService service(conn());
    DeliveryFilter all;
    all.webhookId = m_webhook;
    all.limit = 100;
    all.oldestFirst = oldestFirst;
    auto expected = service.list(all);
    QVERIFY(expected);
    QCOMPARE(expected->size(), 11);

    DeliveryFilter page = all;
    page.limit = pageSize;
    QStringList walked;
    int pages = 0;
    while (true) {
        auto rows = service.list(page);
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
        if (rows->isEmpty())
            break;
        QVERIFY(rows->size() <= pageSize);
        for (const auto &d : std::as_const(*rows))
            walked << d.id;
        page.after = rows->constLast().id;
        QVERIFY(++pages <= 11);
    }
    QStringList ids;
    for (const auto &d : std::as_const(*expected))
        ids << d.id;
    QCOMPARE(walked, ids);
    QCOMPARE(pages, (11 + pageSize - 1) / pageSize);
}

void TestDeliveryService::cursorRefusals_data()
{
    QTest::addColumn<QString>("after");
    QTest::addColumn<int>("offset");
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("code");
    QTest::newRow("unknown cursor") << u"msg_nope"_s << 0 << 10 << int(Error::Code::NotFound);
    QTest::newRow("cursor and offset") << u"@first"_s << 5 << 10 << int(Error::Code::Validation);
    QTest::newRow("empty page") << QString() << 0 << 0 << int(Error::Code::Validation);
    QTest::newRow("negative offset") << QString() << -1 << 10 << int(Error::Code::Validation);
}

void TestDeliveryService::cursorRefusals()
{
    QFETCH(QString, after);
    QFETCH(int, offset);
    QFETCH(int, limit);
    QFETCH(int, code);
    const auto ids = emitEvents(2);
    QCOMPARE(ids.size(), 2);
    DeliveryFilter filter;
    filter.after = after == u"@first" ? ids.constFirst() : after;
    filter.offset = offset;
    filter.limit = limit;
    auto rows = DeliveryService(conn()).list(filter);
    QVERIFY(!rows);
    QCOMPARE(int(rows.error().code), code);
    if (after == u"msg_nope")
        QVERIFY2(rows.error().message.contains(u"msg_nope"_s), qPrintable(rows.error().message));
}

void TestDeliveryService::detailPayloadAndLastRequest()
{
    const auto ids = emitEvents(1);
    QCOMPARE(ids.size(), 1);
    const auto id = ids.constFirst();
    // Two attempts: the first kept no body (the event's was sent), the last
    // a transformed one.
    QVERIFY(
        exec(u"INSERT INTO attempts (delivery_id, number, started_at, duration_ms, request_headers, response_status, response_headers, response_body)"
             " VALUES ('%1', 1, 1700000000000, 12, '[[\"content-type\",\"application/json\"]]', 500, '[]', 'no')"_s.arg(id)));
    QVERIFY(exec(
        u"INSERT INTO attempts (delivery_id, number, started_at, duration_ms, request_headers, request_body, response_status, response_headers, response_body)"
        " VALUES ('%1', 2, 1700000001000, 9, '[[\"webhook-id\",\"%1\"],[\"x-two\",\"a b\"]]', 'changed', 200, '[]', 'ok')"_s.arg(id)));
    DeliveryService service(conn());

    auto detail = service.detail(id);
    QVERIFY2(detail, detail ? "" : qPrintable(detail.error().message));
    QCOMPARE(detail->delivery.id, id);
    QCOMPARE(detail->url, u"https://127.0.0.1:9/leads"_s);
    QVERIFY(detail->event);
    QCOMPARE(detail->attempts.size(), 2);
    QCOMPARE(detail->attempts.constLast().number, 2);

    auto payload = service.payload(id);
    QVERIFY(payload);
    QCOMPARE(*payload, detail->event->body);
    QVERIFY(payload->contains("\"n\":0"));

    auto request = service.lastRequest(id);
    QVERIFY2(request, request ? "" : qPrintable(request.error().message));
    QCOMPARE(request->url, u"https://127.0.0.1:9/leads"_s);
    QCOMPARE(request->body, QByteArray("changed"));
    QCOMPARE(request->headers.size(), 2);
    QCOMPARE(request->headers.at(0).first, QByteArray("webhook-id"));
    QCOMPARE(request->headers.at(0).second, id.toUtf8());
    QCOMPARE(request->headers.at(1).second, QByteArray("a b"));

    // Without the transformed body, the event's is what was sent.
    QVERIFY(exec(u"DELETE FROM attempts WHERE number = 2"_s));
    request = service.lastRequest(id);
    QVERIFY(request);
    QCOMPARE(request->body, detail->event->body);

    // A webhook removed since keeps its history, without a URL.
    QVERIFY(WebhookService(conn()).remove(m_webhook));
    if (auto after = service.detail(id)) {
        QVERIFY(after->url.isEmpty());
        QCOMPARE(after->attempts.size(), 1);
    } else {
        QCOMPARE(after.error().code, Error::Code::NotFound); // or the history went with it
    }
}

void TestDeliveryService::lastRequestNeedsAnAttempt()
{
    const auto ids = emitEvents(1);
    QCOMPARE(ids.size(), 1);
    auto request = DeliveryService(conn()).lastRequest(ids.constFirst());
    QVERIFY(!request);
    QCOMPARE(request.error().code, Error::Code::NotFound);
}

void TestDeliveryService::missingDeliveryIsNotFound()
{
    DeliveryService service(conn());
    QCOMPARE(service.get(u"msg_gone"_s).error().code, Error::Code::NotFound);
    QCOMPARE(service.detail(u"msg_gone"_s).error().code, Error::Code::NotFound);
    QCOMPARE(service.payload(u"msg_gone"_s).error().code, Error::Code::NotFound);
    QCOMPARE(service.lastRequest(u"msg_gone"_s).error().code, Error::Code::NotFound);
    QCOMPARE(service.retryNow(u"msg_gone"_s).error().code, Error::Code::NotFound);
    QVERIFY(service.get(u"msg_gone"_s).error().message.contains(u"msg_gone"_s));
}

void TestDeliveryService::retryNowQueuesAFinishedDelivery()
{
    const auto ids = emitEvents(2);
    QCOMPARE(ids.size(), 2);
    QVERIFY(exec(u"UPDATE deliveries SET status = 'failed', attempts = 3, next_attempt_at = NULL WHERE id = '%1'"_s.arg(ids.at(0))));
    QVERIFY(exec(u"UPDATE deliveries SET status = 'succeeded', attempts = 0 WHERE id = '%1'"_s.arg(ids.at(1))));
    DeliveryService service(conn());
    QVERIFY(service.unfinishedCount());
    QCOMPARE(*service.unfinishedCount(), 0);
    QVERIFY(service.anyUnfinished());
    QVERIFY(!*service.anyUnfinished());
    const auto before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    QVERIFY(service.retryNow(ids.at(0)));
    QVERIFY(service.retryNow(ids.at(1)));
    // A delivery that was tried before comes back as a retry, one that never
    // was as pending; both due now.
    QCOMPARE(status(ids.at(0)), u"retrying"_s);
    QCOMPARE(status(ids.at(1)), u"pending"_s);
    auto d = service.get(ids.at(0));
    QVERIFY(d);
    QVERIFY(d->nextAttemptAt.isValid());
    QVERIFY(d->nextAttemptAt >= before && d->nextAttemptAt <= QDateTime::currentDateTimeUtc());
    QCOMPARE(*service.unfinishedCount(), 2);
    QVERIFY(*service.anyUnfinished());
}

void TestDeliveryService::retryNowRefusesADeliveryOnTheWire()
{
    const auto ids = emitEvents(1);
    QCOMPARE(ids.size(), 1);
    QVERIFY(exec(u"UPDATE deliveries SET status = 'delivering', lease_until = 9999999999999 WHERE id = '%1'"_s.arg(ids.at(0))));
    auto s = DeliveryService(conn()).retryNow(ids.at(0));
    QVERIFY(!s);
    QCOMPARE(s.error().code, Error::Code::Conflict);
    QVERIFY2(s.error().message.contains(u"being delivered"_s), qPrintable(s.error().message));
    QCOMPARE(status(ids.at(0)), u"delivering"_s);
}

void TestDeliveryService::replayByWebhookAndStatus()
{
    const auto ids = emitEvents(4);
    QCOMPARE(ids.size(), 4);
    QVERIFY(exec(u"UPDATE deliveries SET status = 'failed', attempts = 1 WHERE id IN ('%1', '%2')"_s.arg(ids.at(0), ids.at(2))));
    QVERIFY(exec(u"UPDATE deliveries SET status = 'succeeded', attempts = 1 WHERE id = '%1'"_s.arg(ids.at(1))));
    // ids[3] stays pending: not finished, never replayed.
    DeliveryService service(conn());
    auto failed = service.replay({m_webhook, DeliveryStatus::Failed, {}});
    QVERIFY2(failed, failed ? "" : qPrintable(failed.error().message));
    QCOMPARE(*failed, (QStringList{ids.at(0), ids.at(2)}));
    QCOMPARE(status(ids.at(0)), u"retrying"_s);
    QCOMPARE(status(ids.at(1)), u"succeeded"_s);
    auto rest = service.replay({m_webhook, std::nullopt, {}});
    QVERIFY(rest);
    QCOMPARE(*rest, QStringList{ids.at(1)});
    QCOMPARE(status(ids.at(3)), u"pending"_s);
}

void TestDeliveryService::replayRefusals_data()
{
    QTest::addColumn<QString>("webhook");
    QTest::addColumn<int>("status"); // -1: any
    QTest::addColumn<int>("code");
    QTest::newRow("unknown webhook") << u"wh_nope"_s << -1 << int(Error::Code::NotFound);
    QTest::newRow("pending is not final") << u"@own"_s << int(DeliveryStatus::Pending) << int(Error::Code::Validation);
    QTest::newRow("delivering is not final") << u"@own"_s << int(DeliveryStatus::Delivering) << int(Error::Code::Validation);
}

void TestDeliveryService::replayRefusals()
{
    QFETCH(QString, webhook);
    QFETCH(int, status);
    QFETCH(int, code);
    const auto ids = emitEvents(1);
    QCOMPARE(ids.size(), 1);
    QVERIFY(exec(u"UPDATE deliveries SET status = 'failed', attempts = 1"_s));
    ReplayFilter filter;
    filter.webhookId = webhook == u"@own" ? m_webhook : webhook;
    if (status >= 0)
        filter.status = DeliveryStatus(status);
    auto replayed = DeliveryService(conn()).replay(filter);
    QVERIFY(!replayed);
    QCOMPARE(int(replayed.error().code), code);
    QCOMPARE(this->status(ids.at(0)), u"failed"_s); // nothing changed
}

void TestDeliveryService::settingsAreSavedAllOrNothing()
{
    Settings settings(conn());
    auto before = settings.values();
    QVERIFY(before);
    QCOMPARE(before->size(), Settings::known().size());
    // One good value, one bad: neither is kept.
    auto s = settings.setValues({{QString::fromLatin1(Settings::kHeaderPrefix), u"X-Acme"_s}, {QString::fromLatin1(Settings::kRetention), u"-5"_s}});
    QVERIFY(!s);
    QCOMPARE(*settings.values(), *before);
    QVERIFY(settings.setValues({{QString::fromLatin1(Settings::kHeaderPrefix), u"X-Acme"_s}, {QString::fromLatin1(Settings::kRetention), u"500"_s}}));
    QCOMPARE(settings.headerPrefix(), u"X-Acme"_s);
    QCOMPARE(settings.retention(), 500);
}

void TestDeliveryService::installationChecksCatalogsBeforeCreating()
{
    if (test::usesPostgres())
        QSKIP("a file that must not appear: SQLite only");
    QTemporaryDir dir;
    const auto path = dir.filePath(u"typo.db"_s);
    auto opened = Installation::open(path, {u"crm"_s, u"crn"_s});
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, Error::Code::Validation);
    QVERIFY2(opened.error().message.contains(u"\"crn\""_s), qPrintable(opened.error().message));
    QVERIFY(!QFile::exists(path));

    auto good = Installation::open(path, {u"crm"_s});
    QVERIFY2(good, good ? "" : qPrintable(good.error().message));
    QVERIFY(!(*good)->isPostgres());
    QCOMPARE((*good)->displayLocation(), path);
    auto types = CatalogService((*good)->connection()).list();
    QVERIFY(types);
    QVERIFY(!types->isEmpty());
}

} // namespace hookline

QTEST_GUILESS_MAIN(hookline::TestDeliveryService)
#include "tst_deliveryservice.moc"
