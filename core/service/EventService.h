#pragma once

#include "model/Event.h"
#include "util/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QStringList>

#include <memory>

class QIODevice;

namespace hookline {

class ChangeWatch;
class EventStore;

// The one path every event takes (CLI emit, REST ingest, send-event dialog):
// validate, build the canonical envelope, match subscriptions, and write the
// event with all its deliveries in one transaction.
class EventService final {
    Q_DECLARE_TR_FUNCTIONS(hookline::EventService)
public:
    explicit EventService(QSqlDatabase db);
    ~EventService();
    Q_DISABLE_COPY_MOVE(EventService)

    // For a long-lived instance with a connection of its own (the REST
    // API's writer thread): the catalog, tenants and subscriptions read for
    // one call serve the next ones too, until the database says another
    // connection changed something (ChangeWatch). Without it every call reads
    // them afresh.
    void keepCachesBetweenCalls();

    struct Emitted {
        QString eventId;
        int deliveries = 0;
        QStringList deliveryIds;
        bool replayed = false; // recorded by an earlier request with the same idempotency key
    };
    struct BatchResult {
        int events = 0;
        int deliveries = 0;
    };

    // `data` is JSON text of an object.
    Result<Emitted> emitEvent(const QString &tenantId, const QString &type, QByteArrayView data);
    // Events of one tenant as the REST API receives them: `data` is a JSON
    // object's text; `key` (may be empty) is the event's own id, an
    // idempotency key for that event alone.
    struct Incoming {
        QString type;
        QByteArray data;
        QString key;
        // `data` is canonical already (a member of a body the caller
        // canonicalised): checked to be an object, not parsed again.
        bool canonical = false;
    };
    struct Recorded {
        QList<Emitted> events; // in the order given
        bool replayed = false; // the whole request was answered before
    };
    // Records requests of events and all their deliveries in one transaction
    // (the REST API's group commit), one answer per request, in order: an
    // answer means its events are committed. A request refused on its own
    // (bad input, a reused key) changes nothing and leaves the others be; a
    // database error fails them all, and none is written. With a
    // `requestKey` (an Idempotency-Key), the same key within
    // kIdempotencyWindowSeconds answers the first answer again and records
    // nothing; reused for a request with another `requestHash` it is refused
    // (Conflict). An event whose `key` was seen in the window is answered as
    // it was then, not recorded again.
    struct Request {
        QString tenantId;
        QList<Incoming> events;
        QString requestKey;
        QByteArray requestHash;
    };
    QList<Result<Recorded>> recordMany(const QList<Request> &requests);
    static constexpr int kIdempotencyWindowSeconds = 24 * 3600;
    static constexpr int kMaxEventsPerRequest = 1000;

    // JSON Lines, one {"event": TYPE, "data": {…}, "tenant": T} a line, read
    // as it comes: memory holds `chunkSize` events at a time whatever the
    // size of the file, and the whole file lands in one transaction or not at
    // all (an error names its line, and nothing is written).
    Result<BatchResult> emitBatch(QIODevice &jsonLines, int chunkSize = 1000);
    Result<BatchResult> emitBatch(QByteArrayView jsonLines, int chunkSize = 1000);
    // A delivery to one webhook only, whatever it subscribes to (test pings).
    Result<Emitted> emitTo(const QString &webhookId, const QString &type, QByteArrayView data);
    // A webhook.test ping to one webhook (sent even if it subscribes to nothing
    // else, and never to the others); returns its delivery id.
    Result<QString> emitTestPing(const QString &webhookId);

    // The default envelope: {"id","event","timestamp","data"} plus "tenantId"
    // when the tenant is not "default". `data` must be canonical.
    // "2026-12-01T17:47:25.123Z", as QDateTime::toString(Qt::ISODateWithMs) writes a UTC time.
    static QByteArray isoTimestamp(const QDateTime &time);
    static QByteArray envelope(const QString &eventId, const QString &type, const QDateTime &timestamp, const QString &tenantId,
                               QByteArrayView canonicalData);

    static bool matches(QStringView pattern, QStringView type);

    static constexpr qsizetype kMaxBodyBytes = 1024 * 1024;

private:
    struct Prepared {
        QString tenantId;
        QString type;
        QByteArray data; // canonical
    };
    Result<Prepared> prepare(const QString &tenantId, const QString &type, QByteArrayView data, bool canonical = false);
    // What the envelope adds around an event's data of this type and tenant.
    qsizetype envelopeOverhead(const QString &tenantId, const QString &type);
    Result<int> write(const QList<Prepared> &events);     // in a transaction of its own
    Result<int> writeRows(const QList<Prepared> &events); // in the caller's
    void forgetCaches();
    void refreshCaches();
    EventStore &store();
    Result<QList<Prepared>> prepareRequest(const Request &request);
    Result<Recorded> writeRequest(const Request &request, const QList<Prepared> &prepared, const QDateTime &now);

    QSqlDatabase m_db;
    std::unique_ptr<ChangeWatch> m_watch; // set by keepCachesBetweenCalls()
    std::unique_ptr<EventStore> m_store;  // its prepared statements live as long as this service
    QSet<QString> m_knownTypes;
    QSet<QString> m_knownTenants;
    QHash<QString, qsizetype> m_envelopeOverhead;                // by tenant + '\n' + type
    QHash<QString, QHash<QString, QStringList>> m_subscriptions; // tenant -> webhook -> patterns
    QString m_lastEventId;
    QStringList m_lastDeliveryIds;
};

} // namespace hookline
