#pragma once

namespace hookline::api {

class Router;
struct ApiContext;

// Each adds one resource's routes; the handlers call services, never the store.
void addWebhookRoutes(Router &router, ApiContext &context);
void addDeliveryRoutes(Router &router, ApiContext &context);
void addEventRoutes(Router &router, ApiContext &context);
void addOperationRoutes(Router &router, ApiContext &context);
void addAdminRoutes(Router &router, ApiContext &context);

} // namespace hookline::api
