#include "RouteHelpers.h"
#include "Router.h"
#include "Routes.h"
#include "engine/DeliveryEngine.h"
#include "service/DeliveryService.h"

#include <QFile>

namespace hookline::api {

namespace {

QString engineState(const ApiContext &ctx)
{
    if (!ctx.engine)
        return QStringLiteral("off");
    if (!ctx.engine->isRunning())
        return QStringLiteral("stopped");
    return ctx.engine->isPaused() ? QStringLiteral("paused") : QStringLiteral("running");
}

ApiReply health(ApiContext &ctx, const ApiCall &)
{
    auto figures = DeliveryService(ctx.db()).queueFigures();
    QJsonObject o{{QStringLiteral("engine"), engineState(ctx)}, {QStringLiteral("database"), figures.ok()}};
    if (figures) {
        o.insert(QStringLiteral("queueDepth"), double(figures->unfinished));
        o.insert(QStringLiteral("oldestDueAgeSeconds"), figures->oldestDueAgeSeconds);
    }
    const bool healthy = figures.ok() && (!ctx.engine || ctx.engine->isRunning());
    o.insert(QStringLiteral("status"), healthy ? QStringLiteral("ok") : QStringLiteral("degraded"));
    return ApiReply::json(healthy ? 200 : 503, o);
}

ApiReply metrics(ApiContext &ctx, const ApiCall &)
{
    auto figures = DeliveryService(ctx.db()).queueFigures();
    if (!figures)
        return ApiReply::fromError(figures.error());
    QByteArray out;
    out += "# HELP hookline_deliveries Deliveries in the database, by status.\n# TYPE hookline_deliveries gauge\n";
    for (const auto status :
         {DeliveryStatus::Pending, DeliveryStatus::Delivering, DeliveryStatus::Retrying, DeliveryStatus::Succeeded, DeliveryStatus::Failed}) {
        qint64 n = 0;
        for (const auto &[s, count] : std::as_const(figures->byStatus)) {
            if (s == status)
                n = count;
        }
        out += "hookline_deliveries{status=\"" + deliveryStatusName(status).toLatin1() + "\"} " + QByteArray::number(n) + '\n';
    }
    out += "# HELP hookline_queue_depth Deliveries not finished yet (pending, delivering, retrying).\n# TYPE hookline_queue_depth gauge\n"
           "hookline_queue_depth "
           + QByteArray::number(figures->unfinished) + '\n';
    out += "# HELP hookline_oldest_due_age_seconds How long the oldest due delivery has waited past its time.\n"
           "# TYPE hookline_oldest_due_age_seconds gauge\n"
           "hookline_oldest_due_age_seconds "
           + QByteArray::number(figures->oldestDueAgeSeconds, 'f', 3) + '\n';
    out += "# HELP hookline_engine_running Whether this process's delivery engine runs (1) or not (0).\n# TYPE hookline_engine_running gauge\n"
           "hookline_engine_running "
           + QByteArray(engineState(ctx) == u"running" ? "1" : "0") + '\n';
    out += ctx.deliveries.text();
    const auto &i = ctx.ingest;
    out += "# HELP hookline_ingest_requests_total POST /events requests accepted (202).\n# TYPE hookline_ingest_requests_total counter\n"
           "hookline_ingest_requests_total "
           + QByteArray::number(i.requests) + '\n';
    out += "# HELP hookline_ingest_events_total Events recorded through the API.\n# TYPE hookline_ingest_events_total counter\n"
           "hookline_ingest_events_total "
           + QByteArray::number(i.events) + '\n';
    out += "# HELP hookline_ingest_deliveries_total Deliveries those events made.\n# TYPE hookline_ingest_deliveries_total counter\n"
           "hookline_ingest_deliveries_total "
           + QByteArray::number(i.deliveries) + '\n';
    out += "# HELP hookline_ingest_refused_total POST /events requests refused (4xx).\n# TYPE hookline_ingest_refused_total counter\n"
           "hookline_ingest_refused_total "
           + QByteArray::number(i.refused) + '\n';
    out += "# HELP hookline_ingest_replayed_total POST /events answered again for an idempotency key.\n# TYPE hookline_ingest_replayed_total counter\n"
           "hookline_ingest_replayed_total "
           + QByteArray::number(i.replayed) + '\n';
    return ApiReply::text(200, out, "text/plain; version=0.0.4; charset=utf-8");
}

ApiReply openApi(const ApiCall &)
{
    QFile f(QStringLiteral(":/api/openapi.json"));
    if (!f.open(QIODevice::ReadOnly))
        return ApiReply::fromError(Error{Error::Code::Internal, QStringLiteral("the OpenAPI document is missing from the build"), {}});
    return ApiReply::text(200, f.readAll(), "application/json");
}

} // namespace

void addOperationRoutes(Router &router, ApiContext &ctx)
{
    router.add(
        "GET", QStringLiteral("/api/v1/health"), [&ctx](ApiCall &call) { return health(ctx, call); }, Router::Access::Open);
    router.add(
        "GET", QStringLiteral("/api/v1/metrics"), [&ctx](ApiCall &call) { return metrics(ctx, call); }, Router::Access::MetricsRule);
    router.add(
        "GET", QStringLiteral("/api/v1/openapi.json"), [](ApiCall &call) { return openApi(call); }, Router::Access::Open);
}

} // namespace hookline::api
