#include "ApiContext.h"

#include "engine/DeliveryEngine.h"

namespace hookline::api {

void ApiContext::wakeEngine() const
{
    if (engine)
        engine->wake();
}

} // namespace hookline::api
