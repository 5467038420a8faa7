#include "EventService.h"

#include "service/ChangeWatch.h"

#include "model/EventType.h"
#include "store/EventStore.h"
#include "store/EventTypeStore.h"
#include "store/IdempotencyStore.h"
#include "store/Sql.h"
#include "store/TenantStore.h"
#include "store/WebhookStore.h"
#include "util/Clock.h"
#include "util/Ids.h"
#include "json/CanonicalJson.h"
#include "json/JsonSlices.h"

#include <QBuffer>
#include <QFileDevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <chrono>
#include <cstdio>

namespace hookline {

namespace {
QString sizeText(qsizetype bytes)
{
    //: A size in megabytes (MB).
    return QCoreApplication::translate("hookline::EventService", "%1 MB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 2);
}
} // namespace

EventService::EventService(QSqlDatabase db)
    : m_db(std::move(db))
{
}

EventService::~EventService() = default;

void EventService::keepCachesBetweenCalls()
{
    m_watch = std::make_unique<ChangeWatch>(m_db);
}

void EventService::refreshCaches()
{
    if (!m_watch || m_watch->changed())
        forgetCaches();
}

EventStore &EventService::store()
{
    if (!m_store)
        m_store = std::make_unique<EventStore>(m_db);
    return *m_store;
}

bool EventService::matches(QStringView pattern, QStringView type)
{
    if (pattern == u"*")
        return type != EventType::testEventName(); // a test ping goes to one webhook, on demand
    if (pattern.endsWith(u".*"))
        return type.startsWith(pattern.chopped(1));
    return pattern == type;
}

QByteArray EventService::isoTimestamp(const QDateTime &time)
{
    // What QDateTime::toString(Qt::ISODateWithMs) gives for a UTC time in
    // years 0 to 9999, without its general formatter: this runs for every
    // event ingested, and the formatter was a tenth of the writer's time.
    using namespace std::chrono;
    const qint64 ms = time.toMSecsSinceEpoch();
    if (!time.isValid() || ms < -62167219200000LL || ms >= 253402300800000LL)
        return time.toUTC().toString(Qt::ISODateWithMs).toLatin1();
    const sys_time<milliseconds> t{milliseconds(ms)};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    char text[32];
    const int n = std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()),
                                int(hms.hours().count()), int(hms.minutes().count()), int(hms.seconds().count()), int(hms.subseconds().count()));
    return QByteArray(text, n);
}

QByteArray EventService::envelope(const QString &eventId, const QString &type, const QDateTime &timestamp, const QString &tenantId,
                                  QByteArrayView data)
{
    // Built as text: the data is already canonical, and these keys are not
    // integer-like, so this is exactly JSON.stringify of the envelope.
    QByteArray out;
    out.reserve(data.size() + 128);
    out += "{\"id\":" + CanonicalJson::quote(eventId) + ",\"event\":" + CanonicalJson::quote(type) + ",\"timestamp\":\"" + isoTimestamp(timestamp)
           + "\",\"data\":";
    out += data;
    if (tenantId != u"default")
        out += ",\"tenantId\":" + CanonicalJson::quote(tenantId);
    out += '}';
    return out;
}

Result<EventService::Prepared> EventService::prepare(const QString &tenantId, const QString &type, QByteArrayView data, bool canonical)
{
    if (m_knownTypes.isEmpty()) {
        auto types = EventTypeStore(m_db).list();
        if (!types)
            return types.error();
        for (const auto &t : std::as_const(*types))
            m_knownTypes.insert(t.name);
    }
    if (!m_knownTypes.contains(type))
        return Error::validation(QStringLiteral("event"), tr("unknown event type \"%1\" (see event-types list)").arg(type));
    // A forged "webhook failing" would reach the administrators' own webhook.
    if (EventType::isOperational(type))
        return Error::validation(QStringLiteral("event"), tr("%1 is an operational event: only Hookline sends it").arg(type));
    if (!m_knownTenants.contains(tenantId)) {
        auto tenant = TenantStore(m_db).find(tenantId);
        if (!tenant)
            return tenant.error();
        if (!*tenant)
            return Error::validation(QStringLiteral("tenant"), tr("no tenant \"%1\"").arg(tenantId));
        m_knownTenants.insert(tenantId);
    }
    // Checked before parsing too, so that a huge input is not canonicalised for nothing.
    if (data.size() > 4 * kMaxBodyBytes)
        return Error{Error::Code::TooLarge, tr("the event data is %1, over the 1 MB limit").arg(sizeText(data.size())), QStringLiteral("data")};
    QByteArray text;
    if (canonical) {
        if (!data.startsWith('{'))
            return Error::validation(QStringLiteral("data"), tr("must be a JSON object"));
        text = data.toByteArray();
    } else {
        JsonParseError error;
        auto parsed = CanonicalJson::canonicalizeObject(data, &error);
        if (!parsed)
            return Error::validation(QStringLiteral("data"), tr("invalid JSON: %1").arg(error.message));
        text = std::move(*parsed);
    }
    const qsizetype bodySize = text.size() + envelopeOverhead(tenantId, type);
    if (bodySize > kMaxBodyBytes)
        return Error{Error::Code::TooLarge, tr("the event body would be %1, over the 1 MB limit").arg(sizeText(bodySize)), QStringLiteral("data")};
    return Prepared{tenantId, type, std::move(text)};
}

qsizetype EventService::envelopeOverhead(const QString &tenantId, const QString &type)
{
    // The envelope adds the id, type, timestamp and tenant around the data;
    // ids and timestamps have a fixed length, so one around empty data
    // measures it. Kept: it is the same for every event of a type.
    const QString key = tenantId + u'\n' + type;
    if (const auto it = m_envelopeOverhead.constFind(key); it != m_envelopeOverhead.cend())
        return *it;
    const qsizetype overhead = envelope(QStringLiteral("evt_0000000000000000000000"), type, Clock::now(), tenantId, "{}").size() - 2;
    m_envelopeOverhead.insert(key, overhead);
    return overhead;
}

Result<int> EventService::write(const QList<Prepared> &events)
{
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    auto deliveries = writeRows(events);
    if (!deliveries)
        return deliveries;
    if (auto s = tx.commit(); !s)
        return s.error();
    return deliveries;
}

Result<int> EventService::writeRows(const QList<Prepared> &events)
{
    EventStore &store = this->store();
    int deliveries = 0;
    const auto now = Clock::now();
    for (const auto &p : events) {
        if (!m_subscriptions.contains(p.tenantId)) {
            auto subs = store.activeSubscriptions(p.tenantId);
            if (!subs)
                return subs.error();
            m_subscriptions.insert(p.tenantId, *subs);
        }
        Event event{newId(u"evt_"), p.tenantId, p.type, now, {}};
        event.body = envelope(event.id, p.type, now, p.tenantId, p.data);
        QList<Delivery> rows;
        const auto &subs = m_subscriptions[p.tenantId];
        for (auto it = subs.cbegin(); it != subs.cend(); ++it) {
            const bool wanted = std::any_of(it.value().cbegin(), it.value().cend(), [&](const QString &pattern) { return matches(pattern, p.type); });
            if (!wanted)
                continue;
            Delivery d;
            d.id = newId(u"msg_");
            d.webhookId = it.key();
            d.nextAttemptAt = d.createdAt = now;
            rows << d;
        }
        if (auto s = store.insert(event, rows); !s)
            return s.error();
        deliveries += int(rows.size());
        m_lastEventId = event.id;
        m_lastDeliveryIds.clear();
        for (const auto &d : std::as_const(rows))
            m_lastDeliveryIds << d.id;
    }
    return deliveries;
}

void EventService::forgetCaches()
{
    // Webhooks, types and tenants change between calls: caches live for one call.
    m_knownTypes.clear();
    m_knownTenants.clear();
    m_subscriptions.clear();
    m_envelopeOverhead.clear();
}

Result<EventService::Emitted> EventService::emitEvent(const QString &tenantId, const QString &type, QByteArrayView data)
{
    forgetCaches();
    auto prepared = prepare(tenantId, type, data);
    if (!prepared)
        return prepared.error();
    auto deliveries = write({*prepared});
    if (!deliveries)
        return deliveries.error();
    return Emitted{m_lastEventId, *deliveries, m_lastDeliveryIds};
}

namespace {

QByteArray keptAnswer(const QList<EventService::Emitted> &events)
{
    QJsonArray a;
    for (const auto &e : events)
        a.append(QJsonObject{{QStringLiteral("id"), e.eventId}, {QStringLiteral("deliveries"), e.deliveries}});
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

QList<EventService::Emitted> fromKeptAnswer(const QByteArray &answer)
{
    QList<EventService::Emitted> out;
    for (const auto &v : QJsonDocument::fromJson(answer).array()) {
        const auto o = v.toObject();
        EventService::Emitted e;
        e.eventId = o.value(QStringLiteral("id")).toString();
        e.deliveries = o.value(QStringLiteral("deliveries")).toInt();
        e.replayed = true;
        out << e;
    }
    return out;
}

// Old keys are forgotten now and then, not on every request.
std::atomic<qint64> g_lastForgetMs{0};

} // namespace

Result<QList<EventService::Prepared>> EventService::prepareRequest(const Request &request)
{
    const auto &events = request.events;
    if (events.isEmpty())
        return Error::validation(QStringLiteral("events"), tr("no event to record"));
    if (events.size() > kMaxEventsPerRequest)
        return Error::validation(QStringLiteral("events"), tr("%1 events in one request; at most %2").arg(events.size()).arg(kMaxEventsPerRequest));
    QList<Prepared> prepared;
    prepared.reserve(events.size());
    for (qsizetype i = 0; i < events.size(); ++i) {
        auto p = prepare(request.tenantId, events.at(i).type, events.at(i).data, events.at(i).canonical);
        if (!p) {
            if (events.size() == 1)
                return p.error();
            Error e = p.error();
            e.field = QStringLiteral("events[%1].%2").arg(i).arg(e.field);
            e.message = QStringLiteral("events[%1]: %2").arg(i).arg(e.message);
            return e;
        }
        prepared << std::move(*p);
    }
    return prepared;
}

Result<EventService::Recorded> EventService::writeRequest(const Request &request, const QList<Prepared> &prepared, const QDateTime &now)
{
    const auto since = now.addSecs(-kIdempotencyWindowSeconds);
    IdempotencyStore keys(m_db);
    const QString requestKey = request.requestKey.isEmpty() ? QString() : QStringLiteral("request:") + request.requestKey;
    if (!requestKey.isEmpty()) {
        auto kept = keys.find(request.tenantId, requestKey, since);
        if (!kept)
            return kept.error();
        if (*kept) {
            if ((*kept)->requestHash != request.requestHash)
                return Error{Error::Code::Conflict,
                             tr("the idempotency key \"%1\" was used for another request in the last 24 hours").arg(request.requestKey),
                             QStringLiteral("Idempotency-Key")};
            return Recorded{fromKeptAnswer((*kept)->answer), true};
        }
    }
    Recorded out;
    for (qsizetype i = 0; i < prepared.size(); ++i) {
        const QString &own = request.events.at(i).key;
        const QString eventKey = own.isEmpty() ? QString() : QStringLiteral("event:") + own;
        if (!eventKey.isEmpty()) {
            auto kept = keys.find(request.tenantId, eventKey, since);
            if (!kept)
                return kept.error();
            if (*kept) {
                out.events << fromKeptAnswer((*kept)->answer).value(0);
                continue;
            }
        }
        auto n = writeRows({prepared.at(i)});
        if (!n)
            return n.error();
        Emitted e{m_lastEventId, *n, m_lastDeliveryIds, false};
        if (!eventKey.isEmpty()) {
            if (auto s = keys.keep(request.tenantId, eventKey, {QByteArray(), keptAnswer({e})}, now); !s)
                return s.error();
        }
        out.events << std::move(e);
    }
    if (!requestKey.isEmpty()) {
        if (auto s = keys.keep(request.tenantId, requestKey, {request.requestHash, keptAnswer(out.events)}, now); !s)
            return s.error();
    }
    return out;
}

QList<Result<EventService::Recorded>> EventService::recordMany(const QList<Request> &requests)
{
    refreshCaches();
    // Everything is checked before anything is written; a request refused
    // here is answered on its own and leaves the others be.
    QList<std::optional<Result<Recorded>>> results(requests.size());
    QList<QList<Prepared>> prepared(requests.size());
    for (qsizetype r = 0; r < requests.size(); ++r) {
        auto p = prepareRequest(requests.at(r));
        if (!p)
            results[r] = Result<Recorded>(p.error());
        else
            prepared[r] = std::move(*p);
    }
    const auto all = [&](const Error &error) {
        // The transaction rolled back: nothing of any request was written.
        QList<Result<Recorded>> out;
        for (const auto &r : std::as_const(results))
            out << (r && !r->ok() ? *r : Result<Recorded>(error));
        return out;
    };
    const auto now = Clock::now();
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return all(s.error());
    for (qsizetype r = 0; r < requests.size(); ++r) {
        if (results.at(r))
            continue;
        auto written = writeRequest(requests.at(r), prepared.at(r), now);
        // An idempotency key reused for another request is that request's
        // mistake; it wrote nothing. Anything else is the database's.
        if (!written && written.error().code != Error::Code::Conflict)
            return all(written.error());
        results[r] = std::move(written);
    }
    const qint64 nowMs = now.toMSecsSinceEpoch();
    if (nowMs - g_lastForgetMs.load() > 60000) {
        g_lastForgetMs = nowMs;
        if (auto s = IdempotencyStore(m_db).forgetBefore(now.addSecs(-kIdempotencyWindowSeconds)); !s)
            return all(s.error());
    }
    if (auto s = tx.commit(); !s)
        return all(s.error());
    QList<Result<Recorded>> out;
    out.reserve(results.size());
    for (auto &r : results)
        out << std::move(*r);
    return out;
}

Result<EventService::Emitted> EventService::emitTo(const QString &webhookId, const QString &type, QByteArrayView data)
{
    forgetCaches();
    auto webhook = WebhookStore(m_db).find(webhookId);
    if (!webhook)
        return webhook.error();
    if (!*webhook)
        return Error::notFound(tr("no webhook with id \"%1\"").arg(webhookId));
    auto prepared = prepare((*webhook)->tenantId, type, data);
    if (!prepared)
        return prepared.error();
    // One webhook, whatever it subscribes to or whether it is active.
    m_subscriptions.insert(prepared->tenantId, {{webhookId, {QStringLiteral("*"), type}}});
    auto deliveries = write({*prepared});
    m_subscriptions.remove(prepared->tenantId);
    if (!deliveries)
        return deliveries.error();
    return Emitted{m_lastEventId, *deliveries, m_lastDeliveryIds};
}

Result<EventService::BatchResult> EventService::emitBatch(QByteArrayView text, int chunkSize)
{
    QBuffer buffer;
    buffer.setData(text.data(), text.size());
    buffer.open(QIODevice::ReadOnly);
    return emitBatch(buffer, chunkSize);
}

Result<EventService::BatchResult> EventService::emitBatch(QIODevice &in, int chunkSize)
{
    // A line holds at most one event of kMaxBodyBytes, its type and tenant:
    // anything longer is refused before it is read whole.
    constexpr qint64 kMaxLine = 4 * kMaxBodyBytes;
    forgetCaches();
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    BatchResult result;
    QList<Prepared> chunk;
    const auto flush = [&]() -> Status {
        if (chunk.isEmpty())
            return Ok{};
        auto written = writeRows(chunk);
        if (!written)
            return written.error();
        result.events += int(chunk.size());
        result.deliveries += *written;
        chunk.clear();
        return Ok{};
    };
    QByteArray buffer(kMaxLine + 2, Qt::Uninitialized);
    int lineNumber = 0;
    while (!in.atEnd()) {
        ++lineNumber;
        const auto at = [&](const QString &why) { return Error::validation(QStringLiteral("batch"), tr("line %1: %2").arg(lineNumber).arg(why)); };
        // Into one buffer kept for every line: a fresh one of the maximum size
        // per line cost a map and unmap of memory each time.
        const qint64 n = in.readLine(buffer.data(), buffer.size());
        if (n < 0)
            break;
        const QByteArrayView raw(buffer.constData(), n);
        if (n > kMaxLine && !raw.endsWith('\n'))
            return at(tr("longer than %1 MB").arg(kMaxLine / (1024 * 1024))); // the transaction rolls back: nothing is written
        const auto line = raw.trimmed();
        if (line.isEmpty())
            continue;
        JsonParseError error;
        const auto canonical = CanonicalJson::canonicalizeObject(line, &error);
        if (!canonical)
            return at(tr("invalid JSON: %1").arg(error.message));
        const auto fields = JsonSlices::members(*canonical);
        const auto eventField = JsonSlices::member(*fields, u"event");
        const auto type = eventField ? JsonSlices::string(*eventField) : std::nullopt;
        if (!type)
            return at(tr("\"event\" must be an event type name"));
        const auto data = JsonSlices::member(*fields, u"data").value_or(QByteArrayLiteral("{}"));
        QString tenant = QStringLiteral("default");
        if (const auto t = JsonSlices::member(*fields, u"tenant")) {
            const auto s = JsonSlices::string(*t);
            if (!s)
                return at(tr("\"tenant\" must be a string"));
            tenant = *s;
        }
        for (const auto &[key, value] : *fields) {
            if (key != u"event" && key != u"data" && key != u"tenant")
                return at(tr("unknown field \"%1\" (expected event, data, tenant)").arg(key));
        }
        auto prepared = prepare(tenant, *type, data);
        if (!prepared)
            return at(prepared.error().message);
        chunk << std::move(*prepared);
        if (chunk.size() >= chunkSize) {
            if (auto s = flush(); !s)
                return s.error();
        }
    }
    if (const auto *file = qobject_cast<QFileDevice *>(&in); file && file->error() != QFileDevice::NoError)
        return Error{Error::Code::Io, tr("reading the batch: %1").arg(file->errorString()), {}};
    if (auto s = flush(); !s)
        return s.error();
    if (result.events == 0)
        return Error::validation(QStringLiteral("batch"), tr("the file holds no event"));
    if (auto s = tx.commit(); !s)
        return s.error();
    return result;
}

Result<QString> EventService::emitTestPing(const QString &webhookId)
{
    const QByteArray data = "{\"test\":true,\"message\":\"This is a test webhook delivery\",\"timestamp\":"
                            + CanonicalJson::quote(Clock::now().toString(Qt::ISODateWithMs)) + '}';
    auto emitted = emitTo(webhookId, EventType::testEventName(), data);
    if (!emitted)
        return emitted.error();
    return emitted->deliveryIds.value(0);
}

} // namespace hookline
