#include "CatalogService.h"

#include "service/AuditLog.h"
#include "store/EventTypeStore.h"
#include "store/Sql.h"
#include "json/CanonicalJson.h"
#include "json/JsonSlices.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace hookline {

namespace {
const QString kFormat = QStringLiteral("hookline-catalog/1");

Error malformed(const QString &why)
{
    return Error::validation(QStringLiteral("catalog"), why);
}
} // namespace

Status CatalogService::validate(const EventType &t)
{
    if (!EventType::isValidName(t.name))
        return Error::validation(QStringLiteral("name"),
                                 tr("\"%1\" is not a valid event type name (lowercase words separated by dots, like lead.created)").arg(t.name));
    if (t.group != EventType::groupOf(t.name))
        return Error::validation(QStringLiteral("group"),
                                 tr("\"%1\" must be \"%2\", the part of %3 before the first dot").arg(t.group, EventType::groupOf(t.name), t.name));
    if (t.description.size() > 1000)
        return Error::validation(QStringLiteral("description"), tr("of %1 is longer than 1000 characters").arg(t.name));
    JsonParseError error;
    if (!CanonicalJson::canonicalizeObject(t.samplePayload, &error))
        return Error::validation(QStringLiteral("samplePayload"), tr("of %1: %2").arg(t.name, error.message));
    if (t.samplePayload.size() > 64 * 1024)
        return Error::validation(QStringLiteral("samplePayload"), tr("of %1 is larger than 64 KB").arg(t.name));
    return Ok{};
}

Result<QList<EventType>> CatalogService::parse(QByteArrayView json, const QString &defaultCatalog)
{
    JsonParseError error;
    const auto canonical = CanonicalJson::canonicalizeObject(json, &error);
    if (!canonical)
        return malformed(tr("not valid JSON: %1").arg(error.message));
    const auto top = JsonSlices::members(*canonical);
    if (!top)
        return malformed(tr("expected a JSON object"));
    if (const auto format = JsonSlices::member(*top, u"format")) {
        if (JsonSlices::string(*format) != kFormat)
            return malformed(tr("unknown format %1 (expected \"%2\")").arg(QString::fromUtf8(*format), kFormat));
    }
    QString catalog = defaultCatalog;
    if (const auto name = JsonSlices::member(*top, u"catalog")) {
        const auto text = JsonSlices::string(*name);
        if (!text || text->isEmpty())
            return malformed(tr("\"catalog\" must be a non-empty string"));
        catalog = *text;
    }
    const auto list = JsonSlices::member(*top, u"eventTypes");
    if (!list)
        return malformed(tr("missing the \"eventTypes\" array"));
    const auto entries = JsonSlices::elements(*list);
    if (!entries)
        return malformed(tr("\"eventTypes\" must be an array"));

    QList<EventType> out;
    QStringList names;
    for (qsizetype i = 0; i < entries->size(); ++i) {
        const auto where = QStringLiteral("eventTypes[%1]").arg(i);
        const auto fields = JsonSlices::members(entries->at(i));
        if (!fields)
            return malformed(tr("%1 must be an object").arg(where));
        EventType t;
        t.catalog = catalog;
        const auto name = JsonSlices::member(*fields, u"name");
        const auto nameText = name ? JsonSlices::string(*name) : std::nullopt;
        if (!nameText)
            return malformed(tr("%1 has no \"name\" string").arg(where));
        t.name = *nameText;
        t.group = EventType::groupOf(t.name);
        if (const auto group = JsonSlices::member(*fields, u"group")) {
            const auto g = JsonSlices::string(*group);
            if (!g)
                return malformed(tr("%1 (%2): \"group\" must be a string").arg(where, t.name));
            t.group = *g;
        }
        // An exported type remembers the catalog it came from.
        if (const auto origin = JsonSlices::member(*fields, u"catalog")) {
            const auto c = JsonSlices::string(*origin);
            if (!c || c->isEmpty())
                return malformed(tr("%1 (%2): \"catalog\" must be a non-empty string").arg(where, t.name));
            t.catalog = *c;
        }
        if (const auto description = JsonSlices::member(*fields, u"description")) {
            const auto d = JsonSlices::string(*description);
            if (!d)
                return malformed(tr("%1 (%2): \"description\" must be a string").arg(where, t.name));
            t.description = *d;
        }
        t.samplePayload = JsonSlices::member(*fields, u"samplePayload").value_or(QByteArrayLiteral("{}"));
        if (!t.samplePayload.startsWith('{'))
            return malformed(tr("%1 (%2): \"samplePayload\" must be an object").arg(where, t.name));
        if (auto s = validate(t); !s)
            return malformed(QStringLiteral("%1: %2").arg(where, s.error().message));
        if (names.contains(t.name))
            return malformed(tr("%1: %2 is listed twice").arg(where, t.name));
        if (EventType::isOwn(t.name))
            return malformed(tr("%1: %2 is built into Hookline and cannot be imported").arg(where, t.name));
        names << t.name;
        out << t;
    }
    return out;
}

QByteArray CatalogService::serialize(const QList<EventType> &types, const QString &catalog)
{
    // Written by hand rather than through QJsonDocument, which would sort the
    // keys of every sample payload: an export must import back unchanged.
    QByteArray out
        = "{\n  \"format\": " + CanonicalJson::quote(kFormat) + ",\n  \"catalog\": " + CanonicalJson::quote(catalog) + ",\n  \"eventTypes\": [";
    for (qsizetype i = 0; i < types.size(); ++i) {
        const auto &t = types.at(i);
        out += (i ? ",\n    {" : "\n    {");
        out += "\"name\": " + CanonicalJson::quote(t.name) + ", \"group\": " + CanonicalJson::quote(t.group)
               + ", \"catalog\": " + CanonicalJson::quote(t.catalog.isEmpty() ? catalog : t.catalog)
               + ", \"description\": " + CanonicalJson::quote(t.description) + ", \"samplePayload\": " + t.samplePayload + "}";
    }
    out += types.isEmpty() ? "]\n}\n" : "\n  ]\n}\n";
    return out;
}

QStringList CatalogService::builtinCatalogs()
{
    QStringList names;
    for (const auto &info : QDir(QStringLiteral(":/catalogs")).entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        names << info.completeBaseName();
    return names;
}

Result<QList<EventType>> CatalogService::builtinCatalog(const QString &name)
{
    QFile file(QStringLiteral(":/catalogs/%1.json").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return Error::validation(QStringLiteral("catalog"),
                                 tr("no built-in catalog \"%1\" (known: %2)").arg(name, builtinCatalogs().join(QStringLiteral(", "))));
    return parse(file.readAll(), name);
}

Result<CatalogService::ImportReport> CatalogService::import(const QList<EventType> &types)
{
    return importTypes(types, true);
}

Result<CatalogService::ImportReport> CatalogService::importTypes(const QList<EventType> &types, bool audited)
{
    EventTypeStore store(m_db);
    ImportReport report;
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    for (const auto &t : types) {
        auto existing = store.find(t.name);
        if (!existing)
            return existing.error();
        if (*existing && (*existing)->group == t.group && (*existing)->description == t.description
            && (*existing)->samplePayload == t.samplePayload) {
            report.unchanged << t.name;
            continue;
        }
        (*existing ? report.updated : report.added) << t.name;
        if (auto s = store.upsert(t); !s)
            return s.error();
    }
    if (audited && (!report.added.isEmpty() || !report.updated.isEmpty())) {
        if (auto s = AuditLog(m_db).record(QStringLiteral("event-types.imported"), QStringLiteral("event-types"), QStringLiteral("catalog"),
                                           QJsonObject{{QStringLiteral("added"), QJsonArray::fromStringList(report.added)},
                                                       {QStringLiteral("updated"), QJsonArray::fromStringList(report.updated)}});
            !s)
            return s.error();
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return report;
}

Result<CatalogService::ImportReport> CatalogService::importFile(QByteArrayView json)
{
    auto types = parse(json);
    if (!types)
        return types.error();
    return import(*types);
}

Result<CatalogService::ImportReport> CatalogService::importBuiltin(const QStringList &names)
{
    auto types = builtinTypes(names);
    if (!types)
        return types.error();
    return import(*types);
}

Result<QList<EventType>> CatalogService::builtinTypes(const QStringList &names)
{
    QList<EventType> all;
    for (const auto &name : names) {
        auto types = builtinCatalog(name);
        if (!types)
            return types.error();
        // Seeds share some names (appointment.updated): the first catalog keeps them.
        for (const auto &t : std::as_const(*types)) {
            const bool seen = std::any_of(all.cbegin(), all.cend(), [&](const EventType &e) { return e.name == t.name; });
            if (!seen)
                all << t;
        }
    }
    return all;
}

Status CatalogService::initializeNewDatabase(const QStringList &names)
{
    auto types = builtinTypes(names);
    if (!types)
        return types.error();
    // A new database's built-in catalogs are not an administrator's import.
    auto report = importTypes(*types, false);
    if (!report)
        return report.error();
    return Ok{};
}

Result<QByteArray> CatalogService::exportCatalog() const
{
    auto types = list();
    if (!types)
        return types.error();
    QList<EventType> exported;
    for (const auto &t : std::as_const(*types)) {
        if (!EventType::isOwn(t.name))
            exported << t;
    }
    return serialize(exported);
}

Result<QList<EventType>> CatalogService::list() const
{
    return EventTypeStore(m_db).list();
}

Status CatalogService::save(const EventType &type)
{
    EventType t = type;
    JsonParseError error;
    const auto canonical = CanonicalJson::canonicalizeObject(t.samplePayload, &error);
    if (!canonical)
        return Error::validation(QStringLiteral("samplePayload"), error.message);
    t.samplePayload = *canonical;
    if (t.group.isEmpty())
        t.group = EventType::groupOf(t.name);
    if (auto s = validate(t); !s)
        return s;
    if (EventType::isOwn(t.name))
        return Error::validation(QStringLiteral("name"), tr("%1 is built into Hookline").arg(t.name));
    return EventTypeStore(m_db).upsert(t);
}

Status CatalogService::remove(const QString &name)
{
    if (EventType::isOwn(name))
        return Error::validation(QStringLiteral("name"), tr("%1 is built into Hookline and cannot be deleted").arg(name));
    auto existing = EventTypeStore(m_db).find(name);
    if (!existing)
        return existing.error();
    if (!*existing)
        return Error::notFound(tr("no event type \"%1\"").arg(name));
    return EventTypeStore(m_db).remove(name);
}

} // namespace hookline
