#include "ApiContext.h"

#include "engine/DeliveryEngine.h"

namespace hookline::api {

IngestBatcher &ApiContext::batcher()
{
    if (!ingestBatcher)
        ingestBatcher = std::make_unique<IngestBatcher>(installation);
    return *ingestBatcher;
}

void ApiContext::changedThroughThisConnection()
{
    ++generation;
}

void ApiContext::wakeEngine() const
{
    if (engine)
        engine->wake();
}

} // namespace hookline::api
