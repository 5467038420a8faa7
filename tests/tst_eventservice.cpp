// Tests for core/service/EventService: matching, the canonical envelope, the
// outbox transaction, refusals, the 1 MB limit, batches and emitTo.

#include "TestLocation.h"
#include "model/EventType.h"
#include "service/CatalogService.h"
#include "service/EventService.h"
#include "service/TenantService.h"
#include "service/WebhookService.h"
#include "store/Database.h"
#include "json/CanonicalJson.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {

template <typename T>
QString failure(const Result<T> &r)
{
    return r ? u"(no error)"_s : u"[%1, field \"%2\"] %3"_s.arg(errorCodeName(r.error().code), r.error().field, r.error().message);
}

struct DeliveryRow {
    QString id;
    QString eventId;
    QString webhookId;
    QString tenantId;
    QString eventType;
    QString status;
    int attempts = -1;
    qint64 nextAttemptAt = -1;
    qint64 createdAt = -1;
    qint64 updatedAt = -1;
    bool leaseIsNull = false;
};

const QRegularExpression kIsoMs(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"_s);

} // namespace

class TestEventService : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void matches_data();
    void matches();
    void emitMatchesActiveSubscribers();
    void starDoesNotMatchTestPing();
    void timestampIsQtsIsoFormat_data();
    void timestampIsQtsIsoFormat();
    void envelopeIsCanonical_data();
    void envelopeIsCanonical();
    void tenantEnvelope();
    void deliveriesStartPending();
    void eventAndDeliveriesInOneTransaction();
    void refusalsChangeNothing_data();
    void refusalsChangeNothing();
    void bodySizeBoundary_data();
    void bodySizeBoundary();
    void hugeDataRefusedBeforeParsing();
    void insignificantWhitespaceDoesNotCount();
    void batchOf2500();
    void batchFailureLeavesNothing_data();
    void batchFailureLeavesNothing();
    void batchStreamsFromADevice();
    void batchBadLineRefusesWholeFile_data();
    void batchBadLineRefusesWholeFile();
    void batchBlankLinesSkipped();
    void batchTenantHonoured();
    void batchEmpty_data();
    void batchEmpty();
    void emitToOneWebhook();
    void emitToRefusals();
    void reusedServiceSeesWebhookChanges();

private:
    QSqlDatabase conn() { return m_db->connection(); }
    int count(const QString &table, const QString &where = {});
    QList<DeliveryRow> deliveries(const QString &where = {});
    QByteArray bodyOf(const QString &eventId);
    QString makeWebhook(const QStringList &events, bool active = true, const QString &tenant = u"default"_s);
    bool exec(const QString &statement);
    // Makes inserts into `table` fail once `condition` holds (SQLite or PostgreSQL trigger).
    bool failInsertsWhen(const QString &name, const QString &table, const QString &condition, const QString &message);
    bool dropFailure(const QString &name, const QString &table);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<Database> m_db;
    // Webhooks of the default tenant, by what they subscribe to.
    QString m_exact, m_group, m_star, m_other, m_inactive, m_overlapping;
    QString m_acmeStar; // tenant acme
};

void TestEventService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto db = Database::open(test::databaseLocation(*m_dir));
    QVERIFY2(db, qPrintable(failure(db)));
    m_db = *db;
    QVERIFY(CatalogService(conn()).initializeNewDatabase(CatalogService::builtinCatalogs()));
    QVERIFY(TenantService(conn()).create(u"acme"_s, u"PRO"_s));
    QVERIFY(TenantService(conn()).create(u"quiet"_s, u"PRO"_s));

    m_exact = makeWebhook({u"lead.created"_s});
    m_group = makeWebhook({u"lead.*"_s});
    m_star = makeWebhook({u"*"_s});
    m_other = makeWebhook({u"appointment.*"_s, u"file.uploaded"_s});
    m_inactive = makeWebhook({u"lead.created"_s, u"*"_s}, false);
    m_overlapping = makeWebhook({u"lead.created"_s, u"lead.*"_s, u"*"_s});
    m_acmeStar = makeWebhook({u"*"_s}, true, u"acme"_s);
    QVERIFY(!m_exact.isEmpty() && !m_group.isEmpty() && !m_star.isEmpty() && !m_other.isEmpty() && !m_inactive.isEmpty() && !m_overlapping.isEmpty()
            && !m_acmeStar.isEmpty());
}

void TestEventService::cleanup()
{
    m_db.reset();
    m_dir.reset();
}

QString TestEventService::makeWebhook(const QStringList &events, bool active, const QString &tenant)
{
    Webhook w;
    w.url = u"https://receiver.example.com/hook"_s;
    w.events = events;
    w.active = active;
    w.tenantId = tenant;
    auto created = WebhookService(conn()).create(w);
    if (!created) {
        qWarning("cannot create a webhook: %s", qPrintable(created.error().message));
        return {};
    }
    return created->id;
}

bool TestEventService::exec(const QString &statement)
{
    QSqlQuery q(conn());
    if (!q.exec(statement)) {
        qWarning("%s: %s", qPrintable(statement), qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

bool TestEventService::failInsertsWhen(const QString &name, const QString &table, const QString &condition, const QString &message)
{
    if (!test::usesPostgres()) {
        return exec(u"CREATE TRIGGER %1 BEFORE INSERT ON %2 WHEN %3 BEGIN SELECT RAISE(ABORT, '%4'); END"_s.arg(name, table, condition, message));
    }
    return exec(
               u"CREATE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF %2 THEN RAISE EXCEPTION '%3'; END IF; RETURN NEW; END $$"_s.arg(
                   name, condition, message))
           && exec(u"CREATE TRIGGER %1 BEFORE INSERT ON %2 FOR EACH ROW EXECUTE FUNCTION %1()"_s.arg(name, table));
}

bool TestEventService::dropFailure(const QString &name, const QString &table)
{
    if (!test::usesPostgres())
        return exec(u"DROP TRIGGER %1"_s.arg(name));
    return exec(u"DROP TRIGGER %1 ON %2"_s.arg(name, table)) && exec(u"DROP FUNCTION %1()"_s.arg(name));
}

int TestEventService::count(const QString &table, const QString &where)
{
    QSqlQuery q(conn());
    if (!q.exec(u"SELECT COUNT(*) FROM "_s + table + (where.isEmpty() ? QString() : u" WHERE "_s + where)) || !q.next())
        return -1;
    return q.value(0).toInt();
}

QList<DeliveryRow> TestEventService::deliveries(const QString &where)
{
    QSqlQuery q(conn());
    QList<DeliveryRow> out;
    if (!q.exec(u"SELECT id, event_id, webhook_id, tenant_id, event_type, status, attempts, next_attempt_at, created_at,"
                " updated_at, lease_until IS NULL FROM deliveries"_s
                + (where.isEmpty() ? QString() : u" WHERE "_s + where) + u" ORDER BY webhook_id"_s))
        return out;
    while (q.next()) {
        out << DeliveryRow{q.value(0).toString(),   q.value(1).toString(),   q.value(2).toString(),   q.value(3).toString(),
                           q.value(4).toString(),   q.value(5).toString(),   q.value(6).toInt(),      q.value(7).toLongLong(),
                           q.value(8).toLongLong(), q.value(9).toLongLong(), q.value(10).toInt() == 1};
    }
    return out;
}

QByteArray TestEventService::bodyOf(const QString &eventId)
{
    QSqlQuery q(conn());
    q.prepare(u"SELECT body FROM events WHERE id = ?"_s);
    q.addBindValue(eventId);
    if (!q.exec() || !q.next())
        return {};
    return q.value(0).toString().toUtf8();
}

void TestEventService::matches_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("expected");
    QTest::newRow("exact") << u"lead.created"_s << u"lead.created"_s << true;
    QTest::newRow("exact, other type") << u"lead.created"_s << u"lead.updated"_s << false;
    QTest::newRow("exact is not a prefix") << u"lead.created"_s << u"lead.created.v2"_s << false;
    QTest::newRow("group") << u"lead.*"_s << u"lead.created"_s << true;
    QTest::newRow("group, deeper name") << u"event.*"_s << u"event.batch.created"_s << true;
    QTest::newRow("group is a whole word") << u"lead.*"_s << u"leads.created"_s << false;
    QTest::newRow("group, other group") << u"lead.*"_s << u"appointment.created"_s << false;
    QTest::newRow("group needs a dot") << u"lead.*"_s << u"lead"_s << false;
    QTest::newRow("star") << u"*"_s << u"lead.created"_s << true;
    QTest::newRow("star, not the test ping") << u"*"_s << u"webhook.test"_s << false;
    QTest::newRow("test ping by name") << u"webhook.test"_s << u"webhook.test"_s << true;
}

void TestEventService::matches()
{
    QFETCH(QString, pattern);
    QFETCH(QString, type);
    QFETCH(bool, expected);
    QCOMPARE(EventService::matches(pattern, type), expected);
}

void TestEventService::emitMatchesActiveSubscribers()
{
    EventService service(conn());
    auto emitted = service.emitEvent(u"default"_s, u"lead.created"_s, R"({"lead_id":42})");
    QVERIFY2(emitted, qPrintable(failure(emitted)));
    QVERIFY(emitted->eventId.startsWith(u"evt_"_s));
    QCOMPARE(emitted->eventId.size(), 4 + 22);
    // exact, group, star and the overlapping one (once, though three patterns match).
    QCOMPARE(emitted->deliveries, 4);
    QCOMPARE(count(u"events"_s), 1);
    const auto rows = deliveries();
    QCOMPARE(rows.size(), 4);
    QSet<QString> webhooks;
    for (const auto &r : rows) {
        webhooks.insert(r.webhookId);
        QCOMPARE(r.eventId, emitted->eventId);
        QCOMPARE(r.tenantId, u"default"_s);
        QCOMPARE(r.eventType, u"lead.created"_s);
        QVERIFY(r.id.startsWith(u"msg_"_s));
    }
    QCOMPARE(webhooks, (QSet<QString>{m_exact, m_group, m_star, m_overlapping}));
    QCOMPARE(count(u"deliveries"_s, u"webhook_id = '%1'"_s.arg(m_inactive)), 0);
    QCOMPARE(count(u"deliveries"_s, u"webhook_id = '%1'"_s.arg(m_other)), 0);
    QCOMPARE(count(u"deliveries"_s, u"webhook_id = '%1'"_s.arg(m_acmeStar)), 0);
    // Every delivery id differs.
    QSet<QString> ids;
    for (const auto &r : rows)
        ids.insert(r.id);
    QCOMPARE(ids.size(), rows.size());

    // Another group's event reaches its subscribers and the star only.
    auto other = EventService(conn()).emitEvent(u"default"_s, u"appointment.created"_s, "{}");
    QVERIFY2(other, qPrintable(failure(other)));
    QCOMPARE(other->deliveries, 3); // star, other, overlapping (via *)
    QCOMPARE(count(u"deliveries"_s, u"event_id = '%1' AND webhook_id IN ('%2','%3','%4')"_s.arg(other->eventId, m_star, m_other, m_overlapping)), 3);

    // A tenant's events never reach another tenant's webhooks.
    auto acme = EventService(conn()).emitEvent(u"acme"_s, u"lead.created"_s, "{}");
    QVERIFY(acme);
    QCOMPARE(acme->deliveries, 1);
    QCOMPARE(count(u"deliveries"_s, u"event_id = '%1' AND webhook_id = '%2' AND tenant_id = 'acme'"_s.arg(acme->eventId, m_acmeStar)), 1);
    // An event nobody subscribes to is still recorded.
    auto quiet = EventService(conn()).emitEvent(u"quiet"_s, u"lead.created"_s, "{}");
    QVERIFY(quiet);
    QCOMPARE(quiet->deliveries, 0);
    QCOMPARE(count(u"events"_s), 4);
}

void TestEventService::starDoesNotMatchTestPing()
{
    auto emitted = EventService(conn()).emitEvent(u"default"_s, EventType::testEventName(), R"({"test":true})");
    QVERIFY2(emitted, qPrintable(failure(emitted)));
    QCOMPARE(emitted->deliveries, 0);
    QCOMPARE(count(u"deliveries"_s), 0);
    // Only a webhook that names it explicitly gets it through emitEvent.
    const auto named = makeWebhook({EventType::testEventName()});
    emitted = EventService(conn()).emitEvent(u"default"_s, EventType::testEventName(), R"({"test":true})");
    QVERIFY(emitted);
    QCOMPARE(emitted->deliveries, 1);
    QCOMPARE(deliveries().first().webhookId, named);
}

void TestEventService::timestampIsQtsIsoFormat_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::newRow("epoch") << qint64(0);
    QTest::newRow("now-ish") << qint64(1796146045123);
    QTest::newRow("leap day") << QDateTime(QDate(2028, 2, 29), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch();
    QTest::newRow("new year") << QDateTime(QDate(2027, 1, 1), QTime(0, 0, 0, 1), Qt::UTC).toMSecsSinceEpoch();
    QTest::newRow("before 1970") << QDateTime(QDate(1969, 7, 20), QTime(20, 17, 40, 5), Qt::UTC).toMSecsSinceEpoch();
    QTest::newRow("year 1") << QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    QTest::newRow("year 9999") << QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch();
    for (int i = 0; i < 20; ++i) {
        const qint64 ms = qint64(QRandomGenerator::global()->bounded(4102444800.0) * 1000.0);
        QTest::addRow("random %lld", ms) << ms;
    }
}

// The fast formatter writes exactly what Qt writes.
void TestEventService::timestampIsQtsIsoFormat()
{
    QFETCH(qint64, ms);
    const auto t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    QCOMPARE(EventService::isoTimestamp(t), t.toString(Qt::ISODateWithMs).toLatin1());
    QCOMPARE(EventService::isoTimestamp(t.toLocalTime()), t.toString(Qt::ISODateWithMs).toLatin1());
}

void TestEventService::envelopeIsCanonical_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("canonical");
    QTest::newRow("key order kept, integer-like keys first") << QByteArray(R"({"b":1,"a":2,"1":0})") << QByteArray(R"({"1":0,"b":1,"a":2})");
    QTest::newRow("whitespace dropped") << QByteArray("{\n  \"z\" : [ 1 , 2.50 ],\n  \"a\" : { \"y\" : null , \"b\" : true }\n}")
                                        << QByteArray(R"({"z":[1,2.5],"a":{"y":null,"b":true}})");
    QTest::newRow("escapes as JSON.stringify") << QByteArray(R"({"s":"caf\u00e9 \/ \u2028 \ud83d\ude00 \u0007"})")
                                               << QByteArray("{\"s\":\"caf\xc3\xa9 / \xe2\x80\xa8 \xf0\x9f\x98\x80 \\u0007\"}");
    QTest::newRow("numbers as JavaScript prints them") << QByteArray(R"({"n":1E3,"m":-0,"f":0.1,"big":123456789012345678901234})")
                                                       << QByteArray(R"({"n":1000,"m":0,"f":0.1,"big":1.2345678901234569e+23})");
    QTest::newRow("empty object") << QByteArray("{}") << QByteArray("{}");
}

void TestEventService::envelopeIsCanonical()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, canonical);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    auto emitted = EventService(conn()).emitEvent(u"default"_s, u"lead.created"_s, data);
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(emitted, qPrintable(failure(emitted)));

    QSqlQuery q(conn());
    QVERIFY(q.exec(u"SELECT id, tenant_id, type, created_at, body FROM events"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), emitted->eventId);
    QCOMPARE(q.value(1).toString(), u"default"_s);
    QCOMPARE(q.value(2).toString(), u"lead.created"_s);
    const qint64 createdAt = q.value(3).toLongLong();
    QVERIFY(createdAt >= before && createdAt <= after);
    const QByteArray body = q.value(4).toString().toUtf8();

    const QString timestamp = QDateTime::fromMSecsSinceEpoch(createdAt, Qt::UTC).toString(Qt::ISODateWithMs);
    QVERIFY2(kIsoMs.match(timestamp).hasMatch(), qPrintable(timestamp));
    const QByteArray expected = "{\"id\":\"" + emitted->eventId.toLatin1() + "\",\"event\":\"lead.created\",\"timestamp\":\"" + timestamp.toLatin1()
                                + "\",\"data\":" + canonical + "}";
    QCOMPARE(body, expected);
    // What a receiver re-serialises is the same bytes.
    QCOMPARE(CanonicalJson::canonicalize(body).value_or(QByteArray()), body);
    // The static helper builds the same envelope.
    QCOMPARE(EventService::envelope(emitted->eventId, u"lead.created"_s, QDateTime::fromMSecsSinceEpoch(createdAt, Qt::UTC), u"default"_s, canonical),
             body);
}

void TestEventService::tenantEnvelope()
{
    auto emitted = EventService(conn()).emitEvent(u"acme"_s, u"lead.created"_s, R"({"b":1,"a":2})");
    QVERIFY2(emitted, qPrintable(failure(emitted)));
    const auto body = bodyOf(emitted->eventId);
    QVERIFY2(body.endsWith(R"("data":{"b":1,"a":2},"tenantId":"acme"})"), body.constData());
    QVERIFY(body.startsWith(QByteArray("{\"id\":\"" + emitted->eventId.toLatin1() + "\",\"event\":\"lead.created\",\"timestamp\":\"")));
    QCOMPARE(CanonicalJson::canonicalize(body).value_or(QByteArray()), body);
    // The default tenant's envelope has no tenantId.
    auto plain = EventService(conn()).emitEvent(u"default"_s, u"lead.created"_s, "{}");
    QVERIFY(plain);
    QVERIFY(!bodyOf(plain->eventId).contains("tenantId"));
    // A fixed timestamp formats with milliseconds and Z, whatever the input's zone.
    const auto local = QDateTime(QDate(2026, 1, 1), QTime(11, 0, 0, 7), QTimeZone(3600));
    QCOMPARE(EventService::envelope(u"evt_x"_s, u"lead.created"_s, local, u"acme"_s, "{}"),
             QByteArray(R"({"id":"evt_x","event":"lead.created","timestamp":"2026-01-01T10:00:00.007Z","data":{},"tenantId":"acme"})"));
}

void TestEventService::deliveriesStartPending()
{
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    auto emitted = EventService(conn()).emitEvent(u"default"_s, u"lead.created"_s, "{}");
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(emitted);
    QSqlQuery q(conn());
    QVERIFY(q.exec(u"SELECT created_at FROM events"_s));
    QVERIFY(q.next());
    const qint64 eventTime = q.value(0).toLongLong();
    const auto rows = deliveries();
    QCOMPARE(rows.size(), 4);
    for (const auto &r : rows) {
        QCOMPARE(r.status, u"pending"_s);
        QCOMPARE(r.attempts, 0);
        QVERIFY(r.nextAttemptAt >= before && r.nextAttemptAt <= after);
        QCOMPARE(r.nextAttemptAt, r.createdAt);
        QCOMPARE(r.createdAt, eventTime);
        QCOMPARE(r.updatedAt, r.createdAt);
        QVERIFY(r.leaseIsNull);
    }
    QCOMPARE(count(u"attempts"_s), 0);
}

void TestEventService::eventAndDeliveriesInOneTransaction()
{
    // The second delivery insert fails: the first delivery and the event must go too.
    QVERIFY(failInsertsWhen(u"fail_second_delivery"_s, u"deliveries"_s, u"(SELECT COUNT(*) FROM deliveries) >= 1"_s, u"boom"_s));
    auto emitted = EventService(conn()).emitEvent(u"default"_s, u"lead.created"_s, R"({"lead_id":1})");
    QVERIFY(!emitted);
    QCOMPARE(emitted.error().code, Error::Code::Database);
    QVERIFY2(emitted.error().message.contains(u"boom"_s), qPrintable(emitted.error().message));
    QCOMPARE(count(u"events"_s), 0);
    QCOMPARE(count(u"deliveries"_s), 0);

    // The connection is not left inside a transaction: the next emit commits.
    QVERIFY(dropFailure(u"fail_second_delivery"_s, u"deliveries"_s));
    auto ok = EventService(conn()).emitEvent(u"default"_s, u"lead.created"_s, R"({"lead_id":1})");
    QVERIFY2(ok, qPrintable(failure(ok)));
    QCOMPARE(count(u"events"_s), 1);
    QCOMPARE(count(u"deliveries"_s), 4);
    // Seen from another connection, so really committed.
    auto other = Database::open(m_db->location());
    QVERIFY(other);
    QSqlQuery q((*other)->connection());
    QVERIFY(q.exec(u"SELECT COUNT(*) FROM deliveries"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 4);
}

// clang-format off
void TestEventService::refusalsChangeNothing_data()
{
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("unknown type") << u"default"_s << u"lead.exploded"_s << QByteArray("{}") << u"event"_s << QStringList{u"lead.exploded"_s};
    QTest::newRow("empty type") << u"default"_s << QString() << QByteArray("{}") << u"event"_s << QStringList{};
    QTest::newRow("group pattern as type") << u"default"_s << u"lead.*"_s << QByteArray("{}") << u"event"_s << QStringList{u"lead.*"_s};
    QTest::newRow("unknown tenant") << u"nobody"_s << u"lead.created"_s << QByteArray("{}") << u"tenant"_s << QStringList{u"nobody"_s};
    QTest::newRow("invalid JSON") << u"default"_s << u"lead.created"_s << QByteArray(R"({"a":)") << u"data"_s
                                  << QStringList{u"line 1"_s, u"column 6"_s};
    QTest::newRow("invalid JSON on line 3") << u"default"_s << u"lead.created"_s << QByteArray("{\n  \"a\": 1,\n  \"b\": tru\n}")
                                            << u"data"_s << QStringList{u"line 3"_s, u"column"_s};
    QTest::newRow("trailing garbage") << u"default"_s << u"lead.created"_s << QByteArray(R"({"a":1} x)") << u"data"_s
                                      << QStringList{u"line 1"_s, u"column"_s};
    QTest::newRow("empty data") << u"default"_s << u"lead.created"_s << QByteArray() << u"data"_s << QStringList{};
    QTest::newRow("data an array") << u"default"_s << u"lead.created"_s << QByteArray("[1,2]") << u"data"_s << QStringList{u"object"_s};
    QTest::newRow("data a string") << u"default"_s << u"lead.created"_s << QByteArray(R"("text")") << u"data"_s << QStringList{u"object"_s};
    QTest::newRow("data a number") << u"default"_s << u"lead.created"_s << QByteArray("42") << u"data"_s << QStringList{u"object"_s};
    QTest::newRow("data null") << u"default"_s << u"lead.created"_s << QByteArray("null") << u"data"_s << QStringList{u"object"_s};
}
// clang-format on

void TestEventService::refusalsChangeNothing()
{
    QFETCH(QString, tenant);
    QFETCH(QString, type);
    QFETCH(QByteArray, data);
    QFETCH(QString, field);
    QFETCH(QStringList, mentions);
    auto emitted = EventService(conn()).emitEvent(tenant, type, data);
    QVERIFY2(!emitted, "accepted an event that should be refused");
    QVERIFY2(emitted.error().code == Error::Code::Validation, qPrintable(failure(emitted)));
    QCOMPARE(emitted.error().field, field);
    for (const auto &m : mentions)
        QVERIFY2(emitted.error().message.contains(m), qPrintable(u"\"%1\" does not mention \"%2\""_s.arg(emitted.error().message, m)));
    QCOMPARE(count(u"events"_s), 0);
    QCOMPARE(count(u"deliveries"_s), 0);
}

void TestEventService::bodySizeBoundary_data()
{
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<qsizetype>("bodySize"); // of the envelope that would be stored
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<bool>("canonical"); // through recordMany, as the REST API gives it: not parsed again
    const qsizetype max = EventService::kMaxBodyBytes;
    QCOMPARE(max, qsizetype(1024 * 1024));
    for (const bool canonical : {false, true}) {
        const char *path = canonical ? "recordMany" : "emitEvent";
        for (const auto &tenant : {u"default"_s, u"acme"_s}) {
            QTest::addRow("%s, %s, 1 KiB under", path, qPrintable(tenant)) << tenant << max - 1024 << true << canonical;
            QTest::addRow("%s, %s, 3 bytes under", path, qPrintable(tenant)) << tenant << max - 3 << true << canonical;
            QTest::addRow("%s, %s, 2 bytes under", path, qPrintable(tenant)) << tenant << max - 2 << true << canonical;
            QTest::addRow("%s, %s, 1 byte under", path, qPrintable(tenant)) << tenant << max - 1 << true << canonical;
            QTest::addRow("%s, %s, exactly 1 MiB", path, qPrintable(tenant)) << tenant << max << true << canonical;
            QTest::addRow("%s, %s, 1 byte over", path, qPrintable(tenant)) << tenant << max + 1 << false << canonical;
            QTest::addRow("%s, %s, 1 KiB over", path, qPrintable(tenant)) << tenant << max + 1024 << false << canonical;
        }
    }
}

void TestEventService::bodySizeBoundary()
{
    QFETCH(QString, tenant);
    QFETCH(qsizetype, bodySize);
    QFETCH(bool, accepted);
    QFETCH(bool, canonical);
    const QString type = u"lead.created"_s;
    // The envelope around {"blob":"…"}: an id is always evt_ + 22 characters and
    // a timestamp always 24, so only the blob decides the size.
    const auto shell = EventService::envelope(u"evt_"_s + QString(22, u'0'), type, QDateTime::currentDateTimeUtc(), tenant, R"({"blob":""})");
    const qsizetype blob = bodySize - shell.size();
    QVERIFY(blob > 0);
    const QByteArray data = "{\"blob\":\"" + QByteArray(blob, 'x') + "\"}";

    Result<EventService::Emitted> emitted = Error{};
    if (canonical) {
        auto recorded = EventService(conn()).recordMany({{tenant, {{type, data, {}, true}}, {}, "hash"}}).constFirst();
        emitted = recorded ? Result<EventService::Emitted>(recorded->events.value(0)) : Result<EventService::Emitted>(recorded.error());
    } else {
        emitted = EventService(conn()).emitEvent(tenant, type, data);
    }
    if (accepted) {
        QVERIFY2(emitted, qPrintable(u"a body of %1 bytes (limit %2): "_s.arg(bodySize).arg(EventService::kMaxBodyBytes) + failure(emitted)));
        QCOMPARE(bodyOf(emitted->eventId).size(), bodySize);
        QCOMPARE(count(u"events"_s), 1);
    } else {
        QVERIFY2(!emitted, qPrintable(u"accepted a body of %1 bytes"_s.arg(bodySize)));
        QCOMPARE(emitted.error().code, Error::Code::TooLarge);
        QCOMPARE(emitted.error().field, u"data"_s);
        QVERIFY2(emitted.error().message.contains(u"1 MB"_s), qPrintable(emitted.error().message));
        QCOMPARE(count(u"events"_s), 0);
        QCOMPARE(count(u"deliveries"_s), 0);
    }
}

void TestEventService::hugeDataRefusedBeforeParsing()
{
    QByteArray data = "{\"blob\":\"" + QByteArray(5 * 1024 * 1024, 'x') + "\"}";
    auto emitted = EventService(conn()).emitEvent(u"default"_s, u"lead.created"_s, data);
    QVERIFY(!emitted);
    QCOMPARE(emitted.error().code, Error::Code::TooLarge);
    QVERIFY(emitted.error().message.contains(u"MB"_s));
    QCOMPARE(count(u"events"_s), 0);
}

void TestEventService::insignificantWhitespaceDoesNotCount()
{
    // 1.5 MB of indentation around a small object: the stored body is canonical and small.
    const QByteArray data = "{" + QByteArray(1500 * 1024, ' ') + "\"a\": 1" + QByteArray(1000, '\n') + "}";
    auto emitted = EventService(conn()).emitEvent(u"default"_s, u"lead.created"_s, data);
    QVERIFY2(emitted, qPrintable(failure(emitted)));
    QVERIFY(bodyOf(emitted->eventId).endsWith(R"("data":{"a":1}})"));
}

void TestEventService::batchOf2500()
{
    QByteArray text;
    for (int i = 0; i < 2500; ++i)
        text += "{\"event\":\"lead.created\",\"data\":{\"n\":" + QByteArray::number(i) + "}}\n";
    auto result = EventService(conn()).emitBatch(text);
    QVERIFY2(result, qPrintable(failure(result)));
    QCOMPARE(result->events, 2500);
    QCOMPARE(result->deliveries, 2500 * 4);
    QCOMPARE(count(u"events"_s), 2500);
    QCOMPARE(count(u"deliveries"_s), 2500 * 4);
    QCOMPARE(count(u"deliveries"_s, u"status = 'pending'"_s), 2500 * 4);
    // Every event has its own id and keeps its own data, in file order.
    QCOMPARE(count(u"(SELECT DISTINCT id FROM events) AS ids"_s), 2500);
    QSqlQuery q(conn());
    // rowid (SQLite) and ctid (PostgreSQL, a table only ever appended to)
    // are insertion order; ids only order by millisecond.
    QVERIFY(q.exec(u"SELECT body FROM events ORDER BY %1"_s.arg(test::usesPostgres() ? u"ctid"_s : u"rowid"_s)));
    int n = 0;
    while (q.next()) {
        const auto body = q.value(0).toString().toUtf8();
        QVERIFY2(body.endsWith(QByteArray("\"data\":{\"n\":" + QByteArray::number(n) + "}}")), body.constData());
        ++n;
    }
    QCOMPARE(n, 2500);
}

void TestEventService::batchFailureLeavesNothing_data()
{
    QTest::addColumn<int>("chunkSize");
    QTest::newRow("chunks of 1000") << 1000;
    QTest::newRow("chunks of 300") << 300;
    QTest::newRow("one event at a time") << 1;
}

void TestEventService::batchFailureLeavesNothing()
{
    // Inserts fail once 2200 events exist: the file is one transaction, so
    // the 2200 written before go too, whatever the size of the chunks read.
    QFETCH(int, chunkSize);
    QVERIFY(failInsertsWhen(u"stop_at_2200"_s, u"events"_s, u"(SELECT COUNT(*) FROM events) >= 2200"_s, u"disk full"_s));
    QByteArray text;
    for (int i = 0; i < 2500; ++i)
        text += "{\"event\":\"lead.updated\",\"data\":{\"n\":" + QByteArray::number(i) + "}}\n";
    auto result = EventService(conn()).emitBatch(text, chunkSize);
    QVERIFY(!result);
    QVERIFY2(result.error().message.contains(u"disk full"_s), qPrintable(result.error().message));
    QCOMPARE(count(u"events"_s), 0);
    QCOMPARE(count(u"deliveries"_s), 0);
}

void TestEventService::batchStreamsFromADevice()
{
    // Read from a device as it comes, in chunks: the same events as from memory.
    QByteArray text;
    for (int i = 0; i < 2500; ++i)
        text += "{\"event\":\"lead.updated\",\"data\":{\"n\":" + QByteArray::number(i) + "}}\n";
    QBuffer buffer(&text);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    auto result = EventService(conn()).emitBatch(buffer, 700);
    QVERIFY2(result, result ? "" : qPrintable(result.error().message));
    QCOMPARE(result->events, 2500);
    QCOMPARE(count(u"events"_s), 2500);
    QCOMPARE(count(u"deliveries"_s), result->deliveries);
}

void TestEventService::batchBadLineRefusesWholeFile_data()
{
    QTest::addColumn<QByteArray>("badLine");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown type") << QByteArray(R"({"event":"lead.exploded","data":{}})") << u"lead.exploded"_s;
    QTest::newRow("bad JSON") << QByteArray(R"({"event":"lead.created","data":{)") << u"JSON"_s;
    QTest::newRow("not JSON at all") << QByteArray("lead.created {}") << u"JSON"_s;
    QTest::newRow("unknown field") << QByteArray(R"({"event":"lead.created","data":{},"priority":"high"})") << u"priority"_s;
    QTest::newRow("missing event") << QByteArray(R"({"data":{"n":1}})") << u"event"_s;
    QTest::newRow("event not a string") << QByteArray(R"({"event":7,"data":{}})") << u"event"_s;
    QTest::newRow("data not an object") << QByteArray(R"({"event":"lead.created","data":[1]})") << u"object"_s;
    QTest::newRow("unknown tenant") << QByteArray(R"({"event":"lead.created","data":{},"tenant":"nobody"})") << u"nobody"_s;
    QTest::newRow("tenant not a string") << QByteArray(R"({"event":"lead.created","data":{},"tenant":1})") << u"tenant"_s;
    QTest::newRow("line an array") << QByteArray(R"(["lead.created",{}])") << u"object"_s;
    QTest::newRow("data over 1 MB") << QByteArray("{\"event\":\"lead.created\",\"data\":{\"b\":\"" + QByteArray(1024 * 1024, 'x') + "\"}}")
                                    << u"1 MB"_s;
}

void TestEventService::batchBadLineRefusesWholeFile()
{
    QFETCH(QByteArray, badLine);
    QFETCH(QString, mentions);
    QByteArray text;
    for (int line = 1; line <= 1300; ++line) {
        if (line == 1234)
            text += badLine + "\n";
        else
            text += "{\"event\":\"lead.created\",\"data\":{\"line\":" + QByteArray::number(line) + "}}\n";
    }
    auto result = EventService(conn()).emitBatch(text);
    QVERIFY2(!result, "accepted a file with a bad line");
    QCOMPARE(result.error().code, Error::Code::Validation);
    QCOMPARE(result.error().field, u"batch"_s);
    QVERIFY2(result.error().message.contains(u"line 1234"_s), qPrintable(result.error().message));
    QVERIFY2(result.error().message.contains(mentions), qPrintable(result.error().message));
    QCOMPARE(count(u"events"_s), 0);
    QCOMPARE(count(u"deliveries"_s), 0);
}

void TestEventService::batchBlankLinesSkipped()
{
    const QByteArray text = "\n"
                            "{\"event\":\"lead.created\",\"data\":{\"n\":1}}\r\n"
                            "   \n"
                            "\t\r\n"
                            "  {\"event\":\"lead.updated\",\"data\":{\"n\":2}}  \n"
                            "\n"
                            "{\"data\":{\"n\":3},\"event\":\"lead.deleted\"}"; // no final newline
    auto result = EventService(conn()).emitBatch(text);
    QVERIFY2(result, qPrintable(failure(result)));
    QCOMPARE(result->events, 3);
    QCOMPARE(count(u"events"_s), 3);
    QCOMPARE(count(u"events"_s, u"type = 'lead.created'"_s), 1);
    QCOMPARE(count(u"events"_s, u"type = 'lead.deleted'"_s), 1);

    // Line numbers count the blank lines too.
    const QByteArray bad = "\n\n   \n{\"event\":\"nope.nope\"}\n";
    auto refused = EventService(conn()).emitBatch(bad);
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(u"line 4"_s), qPrintable(refused.error().message));
    QCOMPARE(count(u"events"_s), 3);
}

void TestEventService::batchTenantHonoured()
{
    const QByteArray text = "{\"event\":\"lead.created\",\"data\":{\"n\":1},\"tenant\":\"acme\"}\n"
                            "{\"tenant\":\"default\",\"event\":\"lead.created\",\"data\":{\"n\":2}}\n"
                            "{\"event\":\"lead.created\",\"data\":{\"n\":3}}\n"
                            "{\"event\":\"appointment.created\",\"tenant\":\"quiet\"}\n";
    auto result = EventService(conn()).emitBatch(text);
    QVERIFY2(result, qPrintable(failure(result)));
    QCOMPARE(result->events, 4);
    QCOMPARE(result->deliveries, 1 + 4 + 4 + 0);
    QCOMPARE(count(u"events"_s, u"tenant_id = 'acme'"_s), 1);
    QCOMPARE(count(u"events"_s, u"tenant_id = 'default'"_s), 2);
    QCOMPARE(count(u"events"_s, u"tenant_id = 'quiet'"_s), 1);
    QCOMPARE(count(u"deliveries"_s, u"tenant_id = 'acme' AND webhook_id = '%1'"_s.arg(m_acmeStar)), 1);
    QCOMPARE(count(u"deliveries"_s, u"tenant_id = 'acme'"_s), 1);
    QSqlQuery q(conn());
    QVERIFY(q.exec(u"SELECT body FROM events WHERE tenant_id = 'acme'"_s));
    QVERIFY(q.next());
    QVERIFY(q.value(0).toString().endsWith(uR"("data":{"n":1},"tenantId":"acme"})"_s));
    QVERIFY(q.exec(u"SELECT body FROM events WHERE tenant_id = 'quiet'"_s));
    QVERIFY(q.next());
    // A line without data sends {}.
    QVERIFY2(q.value(0).toString().endsWith(uR"("data":{},"tenantId":"quiet"})"_s), qPrintable(q.value(0).toString()));
}

void TestEventService::batchEmpty_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("blank lines") << QByteArray("\n  \n\r\n\t\n");
}

void TestEventService::batchEmpty()
{
    QFETCH(QByteArray, text);
    auto result = EventService(conn()).emitBatch(text);
    QVERIFY(!result);
    QCOMPARE(result.error().code, Error::Code::Validation);
    QVERIFY2(result.error().message.contains(u"no event"_s), qPrintable(result.error().message));
    QCOMPARE(count(u"events"_s), 0);
}

void TestEventService::emitToOneWebhook()
{
    const QByteArray ping = R"({"test":true,"message":"This is a test webhook delivery","timestamp":"2026-01-01T10:00:00.000Z"})";
    // Inactive, and not subscribed to webhook.test: a test ping still goes.
    for (const auto &target : {m_inactive, m_other, m_exact}) {
        EventService service(conn());
        const int before = count(u"deliveries"_s);
        auto emitted = service.emitTo(target, EventType::testEventName(), ping);
        QVERIFY2(emitted, qPrintable(failure(emitted)));
        QCOMPARE(emitted->deliveries, 1);
        QCOMPARE(count(u"deliveries"_s), before + 1);
        const auto rows = deliveries(u"event_id = '%1'"_s.arg(emitted->eventId));
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().webhookId, target);
        QCOMPARE(rows.first().eventType, EventType::testEventName());
        QCOMPARE(rows.first().status, u"pending"_s);
        const auto body = bodyOf(emitted->eventId);
        QVERIFY2(body.endsWith(QByteArray("\"data\":" + ping + "}")), body.constData());
        QVERIFY(body.contains("\"event\":\"webhook.test\""));

        // The same service then emits normally: the one-webhook override is gone.
        auto normal = service.emitEvent(u"default"_s, u"lead.created"_s, "{}");
        QVERIFY2(normal, qPrintable(failure(normal)));
        QCOMPARE(normal->deliveries, 4);
        QCOMPARE(count(u"deliveries"_s, u"event_id = '%1' AND webhook_id = '%2'"_s.arg(normal->eventId, m_inactive)), 0);
    }
    // Any type, still to that webhook only (a replay of a real event type).
    auto one = EventService(conn()).emitTo(m_other, u"lead.created"_s, "{}");
    QVERIFY(one);
    QCOMPARE(one->deliveries, 1);
    QCOMPARE(deliveries(u"event_id = '%1'"_s.arg(one->eventId)).first().webhookId, m_other);
    // A tenant's webhook gets its tenant's envelope.
    auto acme = EventService(conn()).emitTo(m_acmeStar, EventType::testEventName(), ping);
    QVERIFY(acme);
    QCOMPARE(acme->deliveries, 1);
    QVERIFY(bodyOf(acme->eventId).endsWith(",\"tenantId\":\"acme\"}"));
    QCOMPARE(count(u"events"_s, u"id = '%1' AND tenant_id = 'acme'"_s.arg(acme->eventId)), 1);
}

void TestEventService::emitToRefusals()
{
    auto missing = EventService(conn()).emitTo(u"wh_nothere"_s, EventType::testEventName(), "{}");
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, Error::Code::NotFound);
    auto badData = EventService(conn()).emitTo(m_exact, EventType::testEventName(), "[1]");
    QVERIFY(!badData);
    QCOMPARE(badData.error().code, Error::Code::Validation);
    auto badType = EventService(conn()).emitTo(m_exact, u"nope.nope"_s, "{}");
    QVERIFY(!badType);
    QCOMPARE(badType.error().field, u"event"_s);
    QCOMPARE(count(u"events"_s), 0);
    QCOMPARE(count(u"deliveries"_s), 0);
}

void TestEventService::reusedServiceSeesWebhookChanges()
{
    // One EventService emitting twice (a long-lived caller such as a server):
    // a webhook deactivated or created in between must be taken into account.
    EventService service(conn());
    auto first = service.emitEvent(u"default"_s, u"lead.created"_s, "{}");
    QVERIFY(first);
    QCOMPARE(first->deliveries, 4);

    WebhookService webhooks(conn());
    auto exact = webhooks.get(m_exact);
    QVERIFY(exact);
    exact->active = false;
    QVERIFY(webhooks.update(*exact));
    const QString added = makeWebhook({u"lead.created"_s});
    QVERIFY(!added.isEmpty());

    auto second = service.emitEvent(u"default"_s, u"lead.created"_s, "{}");
    QVERIFY(second);
    const auto rows = deliveries(u"event_id = '%1'"_s.arg(second->eventId));
    QSet<QString> targets;
    for (const auto &r : rows)
        targets.insert(r.webhookId);
    QVERIFY2(!targets.contains(m_exact), "delivered to a webhook deactivated since the service's first emit");
    QVERIFY2(targets.contains(added), "no delivery to a webhook created since the service's first emit");
    QCOMPARE(second->deliveries, 4);
}

QTEST_GUILESS_MAIN(TestEventService)
#include "tst_eventservice.moc"
