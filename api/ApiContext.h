#pragma once

#include "DeliveryMetrics.h"
#include "IngestBatcher.h"
#include "service/EventService.h"
#include "service/Installation.h"

#include <QSqlDatabase>
#include <QString>
#include <memory>

namespace hookline {
class DeliveryEngine;
}

namespace hookline::api {

// Counted by the handlers, read by /metrics. The server runs on one thread.
struct IngestCounters final {
    qint64 requests = 0;   // POST /events answered 202
    qint64 events = 0;     // events accepted
    qint64 deliveries = 0; // deliveries they made
    qint64 refused = 0;    // POST /events answered 4xx
    qint64 replayed = 0;   // answered again for an idempotency key
};

// What every handler shares: the installation (through the server thread's
// own connection) and the engine when it runs in the same process.
struct ApiContext final {
    std::shared_ptr<Installation> installation;
    DeliveryEngine *engine = nullptr; // null with --no-engine
    bool loopbackOnly = true;         // /metrics needs no key only then
    IngestCounters ingest;
    DeliveryMetrics deliveries; // fed by the engine's updates
    std::unique_ptr<IngestBatcher> ingestBatcher;
    quint64 generation = 0; // bumped by changedThroughThisConnection()

    QSqlDatabase db() const { return installation->connection(); }
    // The ingest path: group commits on a writer thread (IngestBatcher).
    IngestBatcher &batcher();
    // A request changed webhooks, keys, tenants or the catalog through this
    // thread's connection: the keys remembered are read again. (The writer
    // thread's caches see the change through SQLite's data_version.)
    void changedThroughThisConnection();
    // New deliveries were written: the engine in this process looks now.
    void wakeEngine() const;
};

} // namespace hookline::api
