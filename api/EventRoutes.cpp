#include "RouteHelpers.h"
#include "Router.h"
#include "Routes.h"
#include "model/ModelJson.h"
#include "service/CatalogService.h"
#include "service/EventService.h"
#include "json/CanonicalJson.h"
#include "json/JsonSlices.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace hookline::api {

namespace {

// One event of the body: {"event": TYPE, "data": {…}, "id": KEY?}. Read from
// canonical text, so that `data` keeps its key order byte for byte.
std::optional<ApiReply> readEvent(const QList<JsonSlices::Member> &members, const QString &at, EventService::Incoming &out, bool topLevel)
{
    for (const auto &[key, value] : members) {
        const QString field = at.isEmpty() ? key : at + u'.' + key;
        if (key == u"event") {
            const auto type = JsonSlices::string(value);
            if (!type)
                return ApiReply::invalid(field, QStringLiteral("must be an event type name"));
            out.type = *type;
        } else if (key == u"data") {
            if (!value.startsWith('{'))
                return ApiReply::invalid(field, QStringLiteral("must be a JSON object"));
            out.data = value;
            out.canonical = true; // a member of the canonical body
        } else if (key == u"id") {
            const auto id = JsonSlices::string(value);
            if (!id || id->isEmpty() || id->size() > 255)
                return ApiReply::invalid(field, QStringLiteral("must be a string of 1 to 255 characters"));
            out.key = *id;
        } else if (!(topLevel && (key == u"tenantId" || key == u"tenant"))) {
            return ApiReply::invalid(field, QStringLiteral("unknown field (expected event, data, id)"));
        }
    }
    if (out.type.isEmpty())
        return ApiReply::invalid(at.isEmpty() ? QStringLiteral("event") : at + QStringLiteral(".event"), QStringLiteral("is required"));
    if (out.data.isNull()) {
        out.data = "{}";
        out.canonical = true;
    }
    return std::nullopt;
}

ApiReply answer(ApiContext &ctx, const Result<EventService::Recorded> &recorded, const QStringList &types, bool batch)
{
    if (!recorded) {
        ++ctx.ingest.refused;
        return ApiReply::fromError(recorded.error());
    }
    QJsonArray answers;
    int deliveries = 0;
    for (qsizetype i = 0; i < recorded->events.size(); ++i) {
        const auto &e = recorded->events.at(i);
        deliveries += e.deliveries;
        if (batch)
            answers.append(QJsonObject{
                {QStringLiteral("id"), e.eventId}, {QStringLiteral("event"), types.value(i)}, {QStringLiteral("deliveries"), e.deliveries}});
    }
    ++ctx.ingest.requests;
    if (recorded->replayed) {
        ++ctx.ingest.replayed;
    } else {
        ctx.ingest.events += recorded->events.size();
        ctx.ingest.deliveries += deliveries;
        if (deliveries > 0)
            ctx.wakeEngine();
    }
    ApiReply reply;
    if (batch) {
        reply = ApiReply::json(202, QJsonObject{{QStringLiteral("events"), answers}, {QStringLiteral("deliveries"), deliveries}});
    } else {
        // The common case, written as text: the same bytes QJsonDocument
        // would give ({"deliveries","event","id"}, keys sorted), without the tree.
        const auto &e = recorded->events.constFirst();
        reply = ApiReply::text(202,
                               "{\"deliveries\":" + QByteArray::number(e.deliveries) + ",\"event\":" + CanonicalJson::quote(types.value(0))
                                   + ",\"id\":" + CanonicalJson::quote(e.eventId) + '}',
                               "application/json");
    }
    if (recorded->replayed)
        reply.withHeader("Idempotent-Replayed", "true");
    return reply;
}

ApiReply ingest(ApiContext &ctx, const ApiCall &call)
{
    const auto refuse = [&ctx](ApiReply reply) {
        ++ctx.ingest.refused;
        return reply;
    };
    if (auto refusal = call.checkJsonType())
        return refuse(*refusal);
    // One parse, to canonical text: the data keeps its key order byte for byte.
    JsonParseError error;
    const auto canonical = CanonicalJson::canonicalizeObject(call.body, &error);
    if (!canonical) {
        if (call.body.trimmed().isEmpty())
            return refuse(
                ApiReply::error(400, QStringLiteral("invalid_json"), QStringLiteral("the request has no body; a JSON object was expected")));
        return refuse(ApiReply::error(400, QStringLiteral("invalid_json"), QStringLiteral("malformed JSON: %1").arg(error.message)));
    }
    const auto members = *JsonSlices::members(*canonical);

    QString tenant;
    if (const auto t = JsonSlices::member(members, u"tenantId").value_or(JsonSlices::member(members, u"tenant").value_or(QByteArray()));
        !t.isEmpty()) {
        const auto name = JsonSlices::string(t);
        if (!name)
            return refuse(ApiReply::invalid(QStringLiteral("tenantId"), QStringLiteral("must be a string")));
        tenant = *name;
    }
    auto acting = actingTenant(ctx, call, tenant);
    if (auto *r = std::get_if<ApiReply>(&acting))
        return refuse(*r);

    QList<EventService::Incoming> events;
    const auto batch = JsonSlices::member(members, u"events");
    if (batch) {
        for (const auto &[key, value] : members) {
            if (key != u"events" && key != u"tenantId" && key != u"tenant")
                return refuse(ApiReply::invalid(key, QStringLiteral("unknown field beside \"events\"")));
        }
        const auto items = JsonSlices::elements(*batch);
        if (!batch->startsWith('[') || !items)
            return refuse(ApiReply::invalid(QStringLiteral("events"), QStringLiteral("must be an array of events")));
        if (items->isEmpty())
            return refuse(ApiReply::invalid(QStringLiteral("events"), QStringLiteral("holds no event")));
        if (items->size() > EventService::kMaxEventsPerRequest)
            return refuse(ApiReply::invalid(
                QStringLiteral("events"),
                QStringLiteral("holds %1 events; at most %2 per request").arg(items->size()).arg(EventService::kMaxEventsPerRequest)));
        for (qsizetype i = 0; i < items->size(); ++i) {
            const QString at = QStringLiteral("events[%1]").arg(i);
            const auto fields = items->at(i).startsWith('{') ? JsonSlices::members(items->at(i)) : std::nullopt;
            if (!fields)
                return refuse(ApiReply::invalid(at, QStringLiteral("must be an object {\"event\", \"data\"}")));
            EventService::Incoming e;
            if (auto r = readEvent(*fields, at, e, false))
                return refuse(*r);
            events << e;
        }
    } else {
        EventService::Incoming e;
        if (auto r = readEvent(members, {}, e, true))
            return refuse(*r);
        events << e;
    }

    const QString key = QString::fromUtf8(call.header("idempotency-key")).trimmed();
    if (key.size() > 255)
        return refuse(ApiReply::invalid(QStringLiteral("Idempotency-Key"), QStringLiteral("must be at most 255 characters")));
    // What a reused key is compared with; without a key nothing is (and a
    // SHA-256 of every body was a tenth of the server thread's work).
    const QByteArray hash = key.isEmpty() ? QByteArray() : QCryptographicHash::hash(*canonical, QCryptographicHash::Sha256).toHex();
    QStringList types;
    for (const auto &e : std::as_const(events))
        types << e.type;
    // Answered after the group commit that holds these events (IngestBatcher).
    ctx.batcher().submit({std::get<QString>(acting), std::move(events), key, hash},
                         [&ctx, respond = call.respond, types, batch = batch.has_value()](Result<EventService::Recorded> recorded) {
                             respond(answer(ctx, recorded, types, batch));
                         });
    return ApiReply::later();
}

ApiReply eventTypes(ApiContext &ctx, const ApiCall &)
{
    auto types = CatalogService(ctx.db()).list();
    if (!types)
        return ApiReply::fromError(types.error());
    QJsonArray out;
    for (const auto &t : std::as_const(*types))
        out.append(toJson(t));
    return ApiReply::json(200, QJsonObject{{QStringLiteral("eventTypes"), out}});
}

ApiReply addEventType(ApiContext &ctx, const ApiCall &call)
{
    QJsonObject body;
    if (auto refusal = call.readObject(body))
        return *refusal;
    EventType t;
    t.catalog = QStringLiteral("custom");
    t.samplePayload = "{}";
    for (auto it = body.begin(); it != body.end(); ++it) {
        const QString key = it.key();
        const auto v = it.value();
        if ((key == u"name" || key == u"group" || key == u"description") && v.isString())
            (key == u"name" ? t.name : key == u"group" ? t.group : t.description) = v.toString();
        else if (key == u"samplePayload" && v.isObject())
            t.samplePayload = QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
        else
            return ApiReply::invalid(
                key, QStringLiteral("unknown field or wrong type (expected name, group, description: strings; samplePayload: object)"));
    }
    if (t.name.isEmpty())
        return ApiReply::invalid(QStringLiteral("name"), QStringLiteral("is required"));
    CatalogService catalog(ctx.db());
    auto existing = catalog.list();
    if (!existing)
        return ApiReply::fromError(existing.error());
    for (const auto &e : std::as_const(*existing)) {
        if (e.name == t.name)
            return ApiReply::error(409, QStringLiteral("conflict"), QStringLiteral("the event type \"%1\" exists already").arg(t.name),
                                   QStringLiteral("name"));
    }
    if (auto s = catalog.save(t); !s)
        return ApiReply::fromError(s.error());
    auto saved = catalog.list();
    if (!saved)
        return ApiReply::fromError(saved.error());
    for (const auto &e : std::as_const(*saved)) {
        if (e.name == t.name)
            return ApiReply::json(201, toJson(e));
    }
    return ApiReply::fromError(Error{Error::Code::Internal, QStringLiteral("the saved event type was not found"), {}});
}

} // namespace

void addEventRoutes(Router &router, ApiContext &ctx)
{
    router.add("POST", QStringLiteral("/api/v1/events"), [&ctx](ApiCall &call) { return ingest(ctx, call); });
    router.add("GET", QStringLiteral("/api/v1/event-types"), [&ctx](ApiCall &call) { return eventTypes(ctx, call); });
    // The catalog is the installation's, shared by every tenant: an admin key changes it.
    router.add(
        "POST", QStringLiteral("/api/v1/event-types"), [&ctx](ApiCall &call) { return addEventType(ctx, call); }, Router::Access::Admin);
}

} // namespace hookline::api
