// Tests for core/service/CatalogService: the built-in catalogs, import
// (merge, all or nothing), export round trips, and save/remove.

#include "model/EventType.h"
#include "service/CatalogService.h"
#include "store/Database.h"
#include "json/CanonicalJson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {

const QStringList kBuiltins{u"audit-trail"_s, u"case-tool"_s, u"crm"_s, u"finance-dashboard"_s, u"lead-crm"_s};

template <typename T>
QString failure(const Result<T> &r)
{
    return r ? u"(no error)"_s : u"[%1, field \"%2\"] %3"_s.arg(errorCodeName(r.error().code), r.error().field, r.error().message);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The four fields an export must carry over unchanged.
QStringList describeTypes(const QList<EventType> &types, bool withCatalog = false)
{
    QStringList out;
    for (const auto &t : types) {
        if (t.name == EventType::testEventName())
            continue;
        out << u"%1 | %2 | %3 | %4%5"_s.arg(t.name, t.group, t.description, QString::fromUtf8(t.samplePayload),
                                            withCatalog ? u" | "_s + t.catalog : QString());
    }
    return out;
}

QByteArray catalogWith(const QByteArray &entries)
{
    return R"({"format": "hookline-catalog/1", "eventTypes": [)" + entries + "]}";
}

} // namespace

class TestCatalog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void builtinCatalogsListed();
    void builtinCatalogParses_data();
    void builtinCatalogParses();
    void unknownBuiltinRefused();
    void freshDatabaseHasBuiltins();
    void exportImportRoundTrip();
    void importMerges();
    void importFromFile();
    void malformedRefusedWhole_data();
    void malformedRefusedWhole();
    void keyOrderPreserved_data();
    void keyOrderPreserved();
    void saveValidates();
    void saveCanonicalisesAndUpdates();
    void removeRules();
    void serializeEmpty();

private:
    std::shared_ptr<Database> openDb(const QString &name);
    QStringList snapshot(const QSqlDatabase &db); // every column of every event type

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<Database> m_db; // fresh: only webhook.test
};

void TestCatalog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = openDb(u"main.db"_s);
    QVERIFY(m_db);
}

void TestCatalog::cleanup()
{
    m_db.reset();
    m_dir.reset();
}

std::shared_ptr<Database> TestCatalog::openDb(const QString &name)
{
    auto db = Database::open(m_dir->filePath(name));
    if (!db) {
        qWarning("cannot open %s: %s", qPrintable(name), qPrintable(db.error().message));
        return {};
    }
    return *db;
}

QStringList TestCatalog::snapshot(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    QStringList out;
    if (!q.exec(u"SELECT name, group_name, description, sample_payload, catalog, builtin, updated_at FROM event_types ORDER BY name"_s))
        return {u"query failed"_s};
    while (q.next()) {
        QStringList row;
        for (int i = 0; i < 7; ++i)
            row << q.value(i).toString();
        out << row.join(u" | "_s);
    }
    return out;
}

void TestCatalog::builtinCatalogsListed()
{
    QCOMPARE(CatalogService::builtinCatalogs(), kBuiltins);
}

void TestCatalog::builtinCatalogParses_data()
{
    QTest::addColumn<QString>("name");
    for (const auto &n : kBuiltins)
        QTest::newRow(qPrintable(n)) << n;
}

void TestCatalog::builtinCatalogParses()
{
    QFETCH(QString, name);
    auto types = CatalogService::builtinCatalog(name);
    QVERIFY2(types, qPrintable(failure(types)));
    QVERIFY(!types->isEmpty());

    // Compared with the resource as a plain JSON reader sees it.
    const auto raw = readFile(u":/catalogs/%1.json"_s.arg(name));
    QVERIFY(!raw.isEmpty());
    const auto doc = QJsonDocument::fromJson(raw);
    QVERIFY(doc.isObject());
    QCOMPARE(doc.object().value(u"catalog"_s).toString(), name);
    const auto entries = doc.object().value(u"eventTypes"_s).toArray();
    QCOMPARE(types->size(), entries.size());

    QSet<QString> names;
    for (qsizetype i = 0; i < types->size(); ++i) {
        const auto &t = types->at(i);
        const auto entry = entries.at(i).toObject();
        QCOMPARE(t.name, entry.value(u"name"_s).toString());
        QVERIFY2(EventType::isValidName(t.name), qPrintable(t.name));
        QVERIFY2(!names.contains(t.name), qPrintable(t.name));
        names.insert(t.name);
        QCOMPARE(t.group, t.name.left(t.name.indexOf(u'.')));
        QCOMPARE(t.group, EventType::groupOf(t.name));
        if (entry.contains(u"group"_s))
            QCOMPARE(t.group, entry.value(u"group"_s).toString());
        QCOMPARE(t.description, entry.value(u"description"_s).toString());
        QVERIFY2(!t.description.isEmpty(), qPrintable(t.name));
        QCOMPARE(t.catalog, name);
        QVERIFY2(t.samplePayload.startsWith('{'), qPrintable(t.name));
        // Stored canonical: the same bytes JSON.stringify gives, and the same value.
        QCOMPARE(CanonicalJson::canonicalizeObject(t.samplePayload).value_or(QByteArray()), t.samplePayload);
        const auto sample = QJsonDocument::fromJson(t.samplePayload);
        QVERIFY2(sample.isObject(), qPrintable(t.name));
        QCOMPARE(sample.object(), entry.value(u"samplePayload"_s).toObject());
        QVERIFY(t.name != EventType::testEventName());
        QVERIFY(CatalogService::validate(t));
    }
}

void TestCatalog::unknownBuiltinRefused()
{
    auto types = CatalogService::builtinCatalog(u"nope"_s);
    QVERIFY(!types);
    QCOMPARE(types.error().code, Error::Code::Validation);
    QVERIFY(types.error().message.contains(u"nope"_s));
    QVERIFY(types.error().message.contains(u"crm"_s));
    const auto before = snapshot(m_db->connection());
    auto report = CatalogService(m_db->connection()).importBuiltin({u"crm"_s, u"nope"_s});
    QVERIFY(!report);
    QCOMPARE(snapshot(m_db->connection()), before);
}

void TestCatalog::freshDatabaseHasBuiltins()
{
    const auto conn = m_db->connection();
    CatalogService service(conn);
    auto initial = service.list();
    QVERIFY(initial);
    // Hookline's own: the test ping and the three operational events.
    QStringList present;
    for (const auto &t : *initial)
        present << t.name;
    present.sort();
    auto ownSorted = EventType::ownEventNames();
    ownSorted.sort();
    QCOMPARE(present, ownSorted);

    auto s = service.initializeNewDatabase(CatalogService::builtinCatalogs());
    QVERIFY2(s, qPrintable(failure(s)));
    auto all = service.list();
    QVERIFY(all);
    QHash<QString, EventType> byName;
    for (const auto &t : *all)
        byName.insert(t.name, t);
    QCOMPARE(byName.size(), all->size());
    QVERIFY(byName.contains(EventType::testEventName()));

    const auto own = EventType::ownEventNames();
    QSet<QString> expected(own.cbegin(), own.cend());
    for (const auto &catalog : kBuiltins) {
        auto types = CatalogService::builtinCatalog(catalog);
        QVERIFY(types);
        for (const auto &t : *types) {
            expected.insert(t.name);
            QVERIFY2(byName.contains(t.name), qPrintable(t.name));
            const auto &stored = byName.value(t.name);
            QCOMPARE(stored.group, t.group);
            QCOMPARE(stored.samplePayload.isEmpty(), false);
        }
    }
    QCOMPARE(byName.size(), expected.size());
    QCOMPARE(all->size(), 44); // 42 entries, two names shared by case-tool and lead-crm, plus Hookline's own four
    // A name two seeds share comes from the first catalog in the list.
    QCOMPARE(byName.value(u"appointment.updated"_s).catalog, u"case-tool"_s);
    QCOMPARE(byName.value(u"appointment.updated"_s).description, u"An appointment was modified."_s);
    QCOMPARE(byName.value(u"lead.created"_s).catalog, u"lead-crm"_s);
    // The list is by name.
    QStringList names;
    for (const auto &t : *all)
        names << t.name;
    QStringList sorted = names;
    sorted.sort();
    QCOMPARE(names, sorted);

    // Importing the built-ins again changes nothing.
    const auto before = snapshot(conn);
    auto again = service.importBuiltin(CatalogService::builtinCatalogs());
    QVERIFY(again);
    QVERIFY(again->added.isEmpty());
    QVERIFY(again->updated.isEmpty());
    QCOMPARE(again->unchanged.size(), 40);
    QCOMPARE(snapshot(conn), before);
}

void TestCatalog::exportImportRoundTrip()
{
    CatalogService source(m_db->connection());
    QVERIFY(source.initializeNewDatabase(CatalogService::builtinCatalogs()));
    // A custom type with an order-sensitive payload and characters to escape.
    QVERIFY(source.save(EventType{u"invoice.paid"_s, u"invoice"_s, u"Paid \"in full\" \\ tab\t line\nend — é 😀"_s,
                                  R"({"z":1,"a":[{"y":2,"b":3}],"é":"\u0001","10":true,"2":null})", u"custom"_s}));
    auto exported = source.exportCatalog();
    QVERIFY2(exported, qPrintable(failure(exported)));
    QVERIFY(exported->contains("\"format\": \"hookline-catalog/1\""));
    QVERIFY(!exported->contains("webhook.test"));
    QVERIFY(QJsonDocument::fromJson(*exported).isObject());

    auto target = openDb(u"target.db"_s);
    QVERIFY(target);
    CatalogService destination(target->connection());
    auto report = destination.importFile(*exported);
    QVERIFY2(report, qPrintable(failure(report)));
    QCOMPARE(report->added.size(), 41);
    QVERIFY(report->updated.isEmpty());
    QVERIFY(report->unchanged.isEmpty());

    auto a = source.list();
    auto b = destination.list();
    QVERIFY(a && b);
    QCOMPARE(b->size(), a->size());
    QCOMPARE(describeTypes(*b), describeTypes(*a));
    // samplePayload bytes, key order included, one by one.
    for (qsizetype i = 0; i < a->size(); ++i)
        QCOMPARE(b->at(i).samplePayload, a->at(i).samplePayload);

    // Exporting the copy gives the same file.
    auto reexported = destination.exportCatalog();
    QVERIFY(reexported);
    QCOMPARE(*reexported, *exported);

    // A second import of the same file: everything unchanged, nothing written.
    const auto before = snapshot(target->connection());
    auto second = destination.importFile(*exported);
    QVERIFY2(second, qPrintable(failure(second)));
    QVERIFY(second->added.isEmpty());
    QVERIFY(second->updated.isEmpty());
    QCOMPARE(second->unchanged.size(), 41);
    QVERIFY(second->unchanged.contains(u"invoice.paid"_s));
    QCOMPARE(snapshot(target->connection()), before);
}

void TestCatalog::importMerges()
{
    const auto conn = m_db->connection();
    CatalogService service(conn);
    QVERIFY(service.importBuiltin({u"lead-crm"_s}));
    auto leadCreated = service.list();
    QVERIFY(leadCreated);
    QCOMPARE(leadCreated->size(), 13);

    // lead.created: new description; lead.updated: same as built in; lead.archived: new.
    auto original = CatalogService::builtinCatalog(u"lead-crm"_s);
    QVERIFY(original);
    EventType updatedType = original->at(0);
    QCOMPARE(updatedType.name, u"lead.created"_s);
    updatedType.description = u"A lead was created (new wording)."_s;
    EventType sameType = original->at(1);
    QCOMPARE(sameType.name, u"lead.updated"_s);
    const QByteArray file = "{\"eventTypes\": [\n"
                            "{\"name\": \"lead.created\", \"description\": "
                            + CanonicalJson::quote(updatedType.description) + ", \"samplePayload\": " + updatedType.samplePayload
                            + "},\n"
                              "{\"name\": \"lead.updated\", \"group\": \"lead\", \"description\": "
                            + CanonicalJson::quote(sameType.description) + ", \"samplePayload\": " + sameType.samplePayload
                            + "},\n"
                              "{\"name\": \"lead.archived\", \"description\": \"A lead was archived.\", \"samplePayload\": {\"lead_id\": 7}},\n"
                              "{\"name\": \"file.uploaded\", \"description\": \"changed payload\", \"samplePayload\": {\"file_id\": 1}}\n"
                              "]}";
    auto report = service.importFile(file);
    QVERIFY2(report, qPrintable(failure(report)));
    QCOMPARE(report->added, QStringList{u"lead.archived"_s});
    QCOMPARE(report->updated, (QStringList{u"lead.created"_s, u"file.uploaded"_s}));
    QCOMPARE(report->unchanged, QStringList{u"lead.updated"_s});

    auto all = service.list();
    QVERIFY(all);
    QCOMPARE(all->size(), 14);
    QHash<QString, EventType> byName;
    for (const auto &t : *all)
        byName.insert(t.name, t);
    QCOMPARE(byName.value(u"lead.created"_s).description, updatedType.description);
    QCOMPARE(byName.value(u"lead.created"_s).samplePayload, updatedType.samplePayload);
    QCOMPARE(byName.value(u"lead.archived"_s).group, u"lead"_s);
    QCOMPARE(byName.value(u"lead.archived"_s).samplePayload, QByteArray(R"({"lead_id":7})"));
    QCOMPARE(byName.value(u"lead.archived"_s).catalog, u"custom"_s);
    QCOMPARE(byName.value(u"file.uploaded"_s).samplePayload, QByteArray(R"({"file_id":1})"));
    // Types the file does not mention are kept: import merges, never deletes.
    QVERIFY(byName.contains(u"lead.deleted"_s));
    QCOMPARE(byName.value(u"lead.deleted"_s).description, original->at(2).description);
    QVERIFY(byName.contains(EventType::testEventName()));

    // An entry without samplePayload gets {}; a changed payload alone is an update.
    auto second = service.importFile(catalogWith(R"({"name": "lead.archived", "description": "A lead was archived."})"));
    QVERIFY(second);
    QCOMPARE(second->updated, QStringList{u"lead.archived"_s});
    auto archived = service.list();
    QVERIFY(archived);
    for (const auto &t : *archived) {
        if (t.name == u"lead.archived")
            QCOMPARE(t.samplePayload, QByteArray("{}"));
    }
}

void TestCatalog::importFromFile()
{
    const auto bytes = readFile(QStringLiteral(HOOKLINE_TEST_DATA "/catalogs/shop.json"));
    QVERIFY(!bytes.isEmpty());
    auto parsed = CatalogService::parse(bytes);
    QVERIFY2(parsed, qPrintable(failure(parsed)));
    QCOMPARE(parsed->size(), 3);
    QCOMPARE(parsed->at(0).catalog, u"shop"_s); // the file's "catalog" wins over the default
    QCOMPARE(parsed->at(1).group, u"order"_s);  // derived when absent
    QCOMPARE(parsed->at(1).samplePayload, QByteArray("{}"));
    QCOMPARE(parsed->at(2).group, u"customer"_s);

    CatalogService service(m_db->connection());
    auto report = service.importFile(bytes);
    QVERIFY2(report, qPrintable(failure(report)));
    QCOMPARE(report->added, (QStringList{u"order.placed"_s, u"order.shipped"_s, u"customer.vip_status.changed"_s}));
    auto list = service.list();
    QVERIFY(list);
    QCOMPARE(list->size(), 7);
    for (const auto &t : *list) {
        if (t.name == u"order.placed") {
            // JSON.stringify order: integer-like keys ascending, then the others as written.
            QCOMPARE(t.samplePayload,
                     QByteArray(R"({"2":"two","10":"ten","z":1,"a":2,"m":{"y":true,"b":null,"list":[3,2,1]},"price":1.5,"note":"café 😀"})"));
            QCOMPARE(t.catalog, u"shop"_s);
        }
    }
}

// clang-format off
void TestCatalog::malformedRefusedWhole_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("mentions"); // a fragment the message must contain

    QTest::newRow("empty file") << QByteArray() << u"JSON"_s;
    QTest::newRow("not JSON") << QByteArray("this is not JSON") << u"line 1, column 1"_s;
    QTest::newRow("not JSON, trailing comma on line 3")
        << QByteArray("{\n  \"eventTypes\": [\n    {\"name\": \"lead.extra\",}\n  ]\n}") << u"line 3"_s;
    QTest::newRow("not JSON, unterminated")
        << QByteArray("{\"eventTypes\": [{\"name\": \"lead.extra\"}]") << u"column"_s;
    QTest::newRow("not an object, array") << QByteArray(R"([{"name": "lead.extra"}])") << u"object"_s;
    QTest::newRow("not an object, string") << QByteArray(R"("eventTypes")") << u"object"_s;
    QTest::newRow("missing eventTypes") << QByteArray(R"({"format": "hookline-catalog/1"})") << u"eventTypes"_s;
    QTest::newRow("eventTypes misspelt") << QByteArray(R"({"eventtypes": []})") << u"eventTypes"_s;
    QTest::newRow("eventTypes an object") << QByteArray(R"({"eventTypes": {"name": "lead.extra"}})") << u"array"_s;
    QTest::newRow("eventTypes a string") << QByteArray(R"({"eventTypes": "lead.extra"})") << u"array"_s;
    QTest::newRow("eventTypes null") << QByteArray(R"({"eventTypes": null})") << u"array"_s;
    QTest::newRow("entry a string") << catalogWith(R"("lead.extra")") << u"eventTypes[0]"_s;
    QTest::newRow("entry an array") << catalogWith(R"([{"name": "lead.extra"}])") << u"eventTypes[0]"_s;
    QTest::newRow("missing name") << catalogWith(R"({"description": "no name"})") << u"name"_s;
    QTest::newRow("name not a string") << catalogWith(R"({"name": 42})") << u"name"_s;
    QTest::newRow("name null") << catalogWith(R"({"name": null})") << u"name"_s;
    QTest::newRow("name upper case") << catalogWith(R"({"name": "Lead.Extra"})") << u"Lead.Extra"_s;
    QTest::newRow("name without dot") << catalogWith(R"({"name": "leadextra"})") << u"leadextra"_s;
    QTest::newRow("name trailing dot") << catalogWith(R"({"name": "lead."})") << u"lead."_s;
    QTest::newRow("name leading dot") << catalogWith(R"({"name": ".lead"})") << u".lead"_s;
    QTest::newRow("name with space") << catalogWith(R"({"name": "lead.extra thing"})") << u"lead.extra thing"_s;
    QTest::newRow("name wildcard") << catalogWith(R"({"name": "lead.*"})") << u"lead.*"_s;
    QTest::newRow("name non-ASCII") << catalogWith(R"({"name": "lead.créé"})") << u"name"_s;
    QTest::newRow("name too long") << catalogWith("{\"name\": \"lead." + QByteArray(130, 'x') + "\"}") << u"name"_s;
    QTest::newRow("wrong group") << catalogWith(R"({"name": "lead.extra", "group": "person"})") << u"group"_s;
    QTest::newRow("group not a string") << catalogWith(R"({"name": "lead.extra", "group": ["lead"]})") << u"group"_s;
    QTest::newRow("description not a string") << catalogWith(R"({"name": "lead.extra", "description": 5})") << u"description"_s;
    QTest::newRow("description too long")
        << catalogWith("{\"name\": \"lead.extra\", \"description\": \"" + QByteArray(1001, 'd') + "\"}") << u"description"_s;
    QTest::newRow("samplePayload an array") << catalogWith(R"({"name": "lead.extra", "samplePayload": [1, 2]})") << u"samplePayload"_s;
    QTest::newRow("samplePayload a string") << catalogWith(R"({"name": "lead.extra", "samplePayload": "{}"})") << u"samplePayload"_s;
    QTest::newRow("samplePayload null") << catalogWith(R"({"name": "lead.extra", "samplePayload": null})") << u"samplePayload"_s;
    QTest::newRow("samplePayload a number") << catalogWith(R"({"name": "lead.extra", "samplePayload": 3})") << u"samplePayload"_s;
    QTest::newRow("samplePayload over 64 KB")
        << catalogWith("{\"name\": \"lead.extra\", \"samplePayload\": {\"blob\": \"" + QByteArray(70000, 'b') + "\"}}")
        << u"samplePayload"_s;
    QTest::newRow("duplicate name")
        << catalogWith(R"({"name": "lead.extra"}, {"name": "lead.other"}, {"name": "lead.extra"})") << u"lead.extra"_s;
    QTest::newRow("webhook.test entry") << catalogWith(R"({"name": "webhook.test", "description": "mine now"})") << u"webhook.test"_s;
    QTest::newRow("wrong format string")
        << QByteArray(R"({"format": "hookline-catalog/2", "eventTypes": [{"name": "lead.extra"}]})") << u"hookline-catalog/1"_s;
    QTest::newRow("other product's format")
        << QByteArray(R"({"format": "svix-event-types", "eventTypes": [{"name": "lead.extra"}]})") << u"format"_s;
    QTest::newRow("format not a string")
        << QByteArray(R"({"format": 1, "eventTypes": [{"name": "lead.extra"}]})") << u"format"_s;
    QTest::newRow("catalog empty") << QByteArray(R"({"catalog": "", "eventTypes": [{"name": "lead.extra"}]})") << u"catalog"_s;
    QTest::newRow("catalog not a string") << QByteArray(R"({"catalog": 7, "eventTypes": [{"name": "lead.extra"}]})") << u"catalog"_s;
    QTest::newRow("valid entry then a bad one")
        << catalogWith(R"({"name": "lead.extra", "description": "fine"}, {"name": "lead.created", "description": "changed"}, {"name": "BAD"})")
        << u"eventTypes[2]"_s;
    QTest::newRow("valid entries then a bad payload")
        << catalogWith(R"({"name": "lead.extra"}, {"name": "lead.more", "samplePayload": [0]})") << u"eventTypes[1]"_s;
}
// clang-format on

void TestCatalog::malformedRefusedWhole()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, mentions);
    const auto conn = m_db->connection();
    CatalogService service(conn);
    QVERIFY(service.importBuiltin({u"lead-crm"_s}));
    const auto before = snapshot(conn);

    auto parsed = CatalogService::parse(file);
    QVERIFY2(!parsed, "parse accepted a malformed catalog");
    auto report = service.importFile(file);
    QVERIFY2(!report, "importFile accepted a malformed catalog");
    const auto &e = report.error();
    QCOMPARE(e.code, Error::Code::Validation);
    QCOMPARE(e.field, u"catalog"_s);
    QVERIFY2(e.message.contains(mentions), qPrintable(u"\"%1\" does not mention \"%2\""_s.arg(e.message, mentions)));
    QCOMPARE(e.message, parsed.error().message);
    // Nothing written: not the valid entries before the bad one, not an update.
    QCOMPARE(snapshot(conn), before);
}

// clang-format off
void TestCatalog::keyOrderPreserved_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("stored");
    QTest::newRow("z before a") << QByteArray(R"({"z":1,"a":2})") << QByteArray(R"({"z":1,"a":2})");
    QTest::newRow("spaced and nested") << QByteArray("{ \"z\" : { \"y\" : 1, \"b\" : [ { \"d\": 1, \"c\": 2 } ] }, \"a\" : 2 }")
                                       << QByteArray(R"({"z":{"y":1,"b":[{"d":1,"c":2}]},"a":2})");
    QTest::newRow("integer-like keys first") << QByteArray(R"({"b":1,"a":2,"1":0})") << QByteArray(R"({"1":0,"b":1,"a":2})");
    QTest::newRow("numbers as JavaScript prints them") << QByteArray(R"({"x":1.0,"y":1e21,"w":-0,"v":0.000001})")
                                                       << QByteArray(R"({"x":1,"y":1e+21,"w":0,"v":0.000001})");
    QTest::newRow("duplicate keys: last value, first place") << QByteArray(R"({"k":1,"j":2,"k":3})")
                                                             << QByteArray(R"({"k":3,"j":2})");
}
// clang-format on

void TestCatalog::keyOrderPreserved()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, stored);
    const auto conn = m_db->connection();
    CatalogService service(conn);
    const QByteArray file = catalogWith("{\"name\": \"order.placed\", \"samplePayload\": " + payload + "}");
    auto report = service.importFile(file);
    QVERIFY2(report, qPrintable(failure(report)));
    QCOMPARE(report->added, QStringList{u"order.placed"_s});

    QSqlQuery q(conn);
    QVERIFY(q.exec(u"SELECT sample_payload FROM event_types WHERE name = 'order.placed'"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString().toUtf8(), stored);

    // Through export and into another database, byte for byte.
    auto exported = service.exportCatalog();
    QVERIFY(exported);
    QVERIFY2(exported->contains(QByteArray(QByteArray("\"samplePayload\": ") + stored)), exported->constData());
    auto other = openDb(u"other.db"_s);
    QVERIFY(other);
    CatalogService copy(other->connection());
    QVERIFY(copy.importFile(*exported));
    auto types = copy.list();
    QVERIFY(types);
    bool found = false;
    for (const auto &t : *types) {
        if (t.name == u"order.placed") {
            QCOMPARE(t.samplePayload, stored);
            found = true;
        }
    }
    QVERIFY(found);
    // Importing the original again: unchanged (same canonical bytes).
    auto again = service.importFile(file);
    QVERIFY(again);
    QCOMPARE(again->unchanged, QStringList{u"order.placed"_s});
}

void TestCatalog::saveValidates()
{
    const auto conn = m_db->connection();
    CatalogService service(conn);
    QVERIFY(service.importBuiltin({u"crm"_s}));
    const auto before = snapshot(conn);
    struct Bad {
        EventType type;
        QString field;
    };
    const QList<Bad> bad{
        {{u"Bad Name"_s, {}, {}, "{}", {}}, u"name"_s},
        {{u"nodot"_s, {}, {}, "{}", {}}, u"name"_s},
        {{QString(), {}, {}, "{}", {}}, u"name"_s},
        {{u"lead.extra"_s, u"person"_s, {}, "{}", {}}, u"group"_s},
        {{u"lead.extra"_s, {}, QString(1001, u'd'), "{}", {}}, u"description"_s},
        {{u"lead.extra"_s, {}, {}, "not json", {}}, u"samplePayload"_s},
        {{u"lead.extra"_s, {}, {}, "[1]", {}}, u"samplePayload"_s},
        {{u"lead.extra"_s, {}, {}, "", {}}, u"samplePayload"_s},
        {{u"lead.extra"_s, {}, {}, "{\"blob\":\"" + QByteArray(70000, 'b') + "\"}", {}}, u"samplePayload"_s},
        {{u"webhook.test"_s, {}, u"taken over"_s, "{}", {}}, u"name"_s},
    };
    for (const auto &b : bad) {
        auto s = service.save(b.type);
        QVERIFY2(!s, qPrintable(b.type.name));
        QCOMPARE(s.error().code, Error::Code::Validation);
        QCOMPARE(s.error().field, b.field);
        QVERIFY2(s.error().message.contains(b.field), qPrintable(s.error().message));
    }
    QCOMPARE(snapshot(conn), before);
    // validate() alone, for forms that check before saving.
    QVERIFY(!CatalogService::validate({u"lead.extra"_s, u"lead"_s, {}, "[]", {}}));
    QVERIFY(CatalogService::validate({u"lead.extra"_s, u"lead"_s, {}, "{}", {}}));
}

void TestCatalog::saveCanonicalisesAndUpdates()
{
    const auto conn = m_db->connection();
    CatalogService service(conn);
    auto s = service.save({u"invoice.paid"_s, QString(), u"An invoice was paid."_s, "{ \"z\": 1,\n \"a\": [ 1.50, 2 ] }", u"custom"_s});
    QVERIFY2(s, qPrintable(failure(s)));
    auto list = service.list();
    QVERIFY(list);
    QCOMPARE(list->size(), EventType::ownEventNames().size() + 1);
    const auto found = std::find_if(list->cbegin(), list->cend(), [](const EventType &t) { return t.name == u"invoice.paid"; });
    QVERIFY(found != list->cend());
    const auto &saved = *found;
    QCOMPARE(saved.name, u"invoice.paid"_s);
    QCOMPARE(saved.group, u"invoice"_s);
    QCOMPARE(saved.samplePayload, QByteArray(R"({"z":1,"a":[1.5,2]})"));
    QCOMPARE(saved.catalog, u"custom"_s);

    s = service.save({u"invoice.paid"_s, u"invoice"_s, u"New wording."_s, "{}", u"custom"_s});
    QVERIFY(s);
    list = service.list();
    QVERIFY(list);
    QCOMPARE(list->size(), EventType::ownEventNames().size() + 1);
    const auto again = std::find_if(list->cbegin(), list->cend(), [](const EventType &t) { return t.name == u"invoice.paid"; });
    QVERIFY(again != list->cend());
    QCOMPARE(again->description, u"New wording."_s);
    QCOMPARE(again->samplePayload, QByteArray("{}"));
}

void TestCatalog::removeRules()
{
    const auto conn = m_db->connection();
    CatalogService service(conn);
    QVERIFY(service.importBuiltin({u"crm"_s}));
    const auto before = snapshot(conn);

    auto builtIn = service.remove(EventType::testEventName());
    QVERIFY(!builtIn);
    QCOMPARE(builtIn.error().code, Error::Code::Validation);
    QCOMPARE(builtIn.error().field, u"name"_s);
    QVERIFY(builtIn.error().message.contains(EventType::testEventName()));

    auto unknown = service.remove(u"lead.nothing"_s);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, Error::Code::NotFound);
    QVERIFY(unknown.error().message.contains(u"lead.nothing"_s));
    QCOMPARE(snapshot(conn), before);

    auto removed = service.remove(u"task.completed"_s);
    QVERIFY2(removed, qPrintable(failure(removed)));
    auto list = service.list();
    QVERIFY(list);
    QCOMPARE(list->size(), before.size() - 1);
    for (const auto &t : *list)
        QVERIFY(t.name != u"task.completed");
    auto twice = service.remove(u"task.completed"_s);
    QVERIFY(!twice);
    QCOMPARE(twice.error().code, Error::Code::NotFound);
}

void TestCatalog::serializeEmpty()
{
    // An empty catalog exports to a file that imports back to nothing.
    const auto text = CatalogService::serialize({});
    auto parsed = CatalogService::parse(text);
    QVERIFY2(parsed, qPrintable(failure(parsed)));
    QVERIFY(parsed->isEmpty());
    auto exported = CatalogService(m_db->connection()).exportCatalog();
    QVERIFY(exported);
    QCOMPARE(*exported, text);
    auto report = CatalogService(m_db->connection()).importFile(*exported);
    QVERIFY(report);
    QVERIFY(report->added.isEmpty() && report->updated.isEmpty() && report->unchanged.isEmpty());
}

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
