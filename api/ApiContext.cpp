#include "ApiContext.h"

#include "engine/DeliveryEngine.h"

namespace hookline::api {

EventService &ApiContext::events()
{
    if (!ingestService) {
        ingestService = std::make_unique<EventService>(db());
        ingestService->keepCachesBetweenCalls();
    }
    return *ingestService;
}

IngestBatcher &ApiContext::batcher()
{
    if (!ingestBatcher)
        ingestBatcher = std::make_unique<IngestBatcher>(events());
    return *ingestBatcher;
}

void ApiContext::changedThroughThisConnection()
{
    if (ingestService)
        ingestService->forgetCaches();
    ++generation;
}

void ApiContext::wakeEngine() const
{
    if (engine)
        engine->wake();
}

} // namespace hookline::api
