#include "CliContext.h"
#include "Commands.h"

#include "model/ModelJson.h"
#include "service/AlertService.h"

#include <QJsonArray>
#include <QJsonObject>

namespace hookline::cli {

int alertsCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("since"), QStringLiteral("Only alerts at or after this time: ISO 8601, or an age such as 2h or 7d."),
                 QStringLiteral("WHEN")});
    p.addOption({QStringLiteral("webhook"), QStringLiteral("Only this webhook's alerts."), QStringLiteral("ID")});
    p.addOption(
        {QStringLiteral("open"), QStringLiteral("Only what is wrong now: each webhook still failing or deactivated, with the alert that said so.")});
    p.addOption({QStringLiteral("limit"), QStringLiteral("At most this many, newest first (default 100)."), QStringLiteral("N")});
    if (!ctx.parse(p, args, QStringLiteral("alerts [--since WHEN] [--webhook ID] [--open] [--limit N]"),
                   QStringLiteral("What the engine noticed about webhooks' health: failing (deliveries in a row failed, or the success\n"
                                  "rate of the last hour fell under alertSuccessRatePercent), disabled (after auto_disable_after\n"
                                  "failures), gone (a 410), recovered, re-enabled. One alert per incident, not per delivery.\n"
                                  "The thresholds are settings: alertFailuresInRow, alertSuccessRatePercent, alertEventsWebhook.")))
        return Usage;
    if (!p.positionalArguments().isEmpty())
        return ctx.usage(QStringLiteral("alerts takes no arguments"));
    AlertFilter filter;
    filter.webhookId = p.value(QStringLiteral("webhook"));
    filter.openOnly = p.isSet(QStringLiteral("open"));
    const auto since = sinceOption(p);
    if (!since)
        return ctx.fail(since.error());
    filter.since = *since;
    if (p.isSet(QStringLiteral("limit"))) {
        auto n = intOption(p, QStringLiteral("limit"), 1, AlertService::kMaxLimit);
        if (!n)
            return ctx.fail(n.error());
        filter.limit = *n;
    }
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    auto alerts = AlertService(db).list(filter);
    if (!alerts)
        return ctx.fail(alerts.error());
    if (ctx.jsonOutput()) {
        QJsonArray out;
        for (const auto &a : std::as_const(*alerts)) {
            QJsonObject o{{QStringLiteral("id"), a.id},
                          {QStringLiteral("at"), isoTime(a.createdAt)},
                          {QStringLiteral("kind"), alertKindName(a.kind)},
                          {QStringLiteral("webhookId"), a.webhookId},
                          {QStringLiteral("webhookName"), a.webhookName},
                          {QStringLiteral("tenantId"), a.tenantId},
                          {QStringLiteral("detail"), a.detail}};
            if (!a.deliveryId.isEmpty())
                o.insert(QStringLiteral("deliveryId"), a.deliveryId);
            out << o;
        }
        ctx.printJson(out);
        return Success;
    }
    if (alerts->isEmpty()) {
        ctx.print(filter.openOnly ? QStringLiteral("No webhook is failing or deactivated.") : QStringLiteral("No alerts."));
        return Success;
    }
    QList<QStringList> rows{
        {QStringLiteral("AT"), QStringLiteral("KIND"), QStringLiteral("WEBHOOK"), QStringLiteral("NAME"), QStringLiteral("DETAIL")}};
    for (const auto &a : std::as_const(*alerts))
        rows << QStringList{isoTime(a.createdAt), alertKindName(a.kind), a.webhookId, a.webhookName, a.detail};
    ctx.print(formatTable(rows));
    return Success;
}

} // namespace hookline::cli
