#include "CliContext.h"
#include "Commands.h"
#include "model/ModelJson.h"

#include "service/DeliveryService.h"
#include "service/EventService.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

namespace hookline::cli {

int emitCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("type"), QStringLiteral("Event type, e.g. lead.created."));
    p.addOption({QStringLiteral("data"), QStringLiteral("Event data: a JSON object, @FILE or @- for standard input."), QStringLiteral("JSON")});
    p.addOption({QStringLiteral("tenant"), QStringLiteral("Tenant (default: default)."), QStringLiteral("TENANT")});
    p.addOption(
        {QStringLiteral("batch"), QStringLiteral("JSON Lines file of {\"event\", \"data\", \"tenant\"}, one event a line."), QStringLiteral("FILE")});
    if (!ctx.parse(p, args, QStringLiteral("emit TYPE --data JSON|@FILE [--tenant T]  |  emit --batch FILE")))
        return Usage;
    const auto positional = p.positionalArguments();
    if (p.isSet(QStringLiteral("batch"))) {
        if (!positional.isEmpty() || p.isSet(QStringLiteral("data")))
            return ctx.usage(QStringLiteral("--batch takes no TYPE and no --data"));
        // Read as it goes (a file of any size in bounded memory); "-" is
        // standard input.
        const auto name = p.value(QStringLiteral("batch"));
        QFile file;
        const bool opened = name == u"-" ? file.open(stdin, QIODevice::ReadOnly) : (file.setFileName(name), file.open(QIODevice::ReadOnly));
        if (!opened)
            return ctx.fail(Error{Error::Code::Io, QStringLiteral("cannot read %1: %2").arg(name, file.errorString()), {}});
        auto db = ctx.database();
        if (!db.isValid())
            return Failure;
        auto result = EventService(db).emitBatch(file);
        if (!result)
            return ctx.fail(result.error());
        ctx.printJson(QJsonObject{{QStringLiteral("events"), result->events}, {QStringLiteral("deliveries"), result->deliveries}});
        return Success;
    }
    if (positional.size() != 1)
        return ctx.usage(QStringLiteral("give one event type"));
    if (!p.isSet(QStringLiteral("data")))
        return ctx.usage(QStringLiteral("--data is required"));
    auto data = textOrFile(p.value(QStringLiteral("data")));
    if (!data)
        return ctx.fail(data.error());
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    const auto tenant = p.isSet(QStringLiteral("tenant")) ? p.value(QStringLiteral("tenant")) : QStringLiteral("default");
    auto emitted = EventService(db).emitEvent(tenant, positional.first(), *data);
    if (!emitted)
        return ctx.fail(emitted.error());
    ctx.printJson(QJsonObject{{QStringLiteral("id"), emitted->eventId}, {QStringLiteral("deliveries"), emitted->deliveries}});
    return Success;
}

int deliveriesCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("webhook"), QStringLiteral("Only this webhook's deliveries."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("status"), QStringLiteral("pending, delivering, retrying, succeeded or failed."), QStringLiteral("STATUS")});
    p.addOption({QStringLiteral("event"), QStringLiteral("Only this event type."), QStringLiteral("TYPE")});
    p.addOption({QStringLiteral("limit"), QStringLiteral("At most N (default 50)."), QStringLiteral("N")});
    p.addOption({QStringLiteral("after"), QStringLiteral("Only deliveries older than this one: the next page after the last id printed."),
                 QStringLiteral("ID")});
    p.addOption({QStringLiteral("attempts"), QStringLiteral("Include every attempt of each delivery.")});
    if (!ctx.parse(p, args, QStringLiteral("deliveries [--webhook ID] [--status S] [--event TYPE] [--limit N] [--after ID] [--attempts] [--json]")))
        return Usage;
    DeliveryFilter filter;
    filter.webhookId = p.value(QStringLiteral("webhook"));
    filter.eventType = p.value(QStringLiteral("event"));
    filter.after = p.value(QStringLiteral("after"));
    if (p.isSet(QStringLiteral("status"))) {
        filter.status = deliveryStatusFromName(p.value(QStringLiteral("status")));
        if (!filter.status)
            return ctx.fail(Error::validation(
                QStringLiteral("--status"),
                QStringLiteral("\"%1\" is not one of %2").arg(p.value(QStringLiteral("status")), deliveryStatusNames().join(QStringLiteral(", ")))));
    }
    if (p.isSet(QStringLiteral("limit"))) {
        auto limit = intOption(p, QStringLiteral("limit"), 1, 1000000);
        if (!limit)
            return ctx.fail(limit.error());
        filter.limit = *limit;
    }
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    DeliveryService deliveries(db);
    auto rows = deliveries.list(filter);
    if (!rows)
        return ctx.fail(rows.error());
    const bool withAttempts = p.isSet(QStringLiteral("attempts"));
    if (ctx.jsonOutput()) {
        QJsonArray out;
        for (const auto &d : std::as_const(*rows)) {
            auto o = toJson(d);
            if (withAttempts) {
                auto attempts = deliveries.attempts(d.id);
                if (!attempts)
                    return ctx.fail(attempts.error());
                QJsonArray list;
                for (const auto &a : std::as_const(*attempts))
                    list.append(toJson(a));
                o.insert(QStringLiteral("attemptLog"), list);
            }
            out.append(o);
        }
        ctx.printJson(out);
        return Success;
    }
    QList<QStringList> table{{QStringLiteral("ID"), QStringLiteral("STATUS"), QStringLiteral("EVENT"), QStringLiteral("WEBHOOK"),
                              QStringLiteral("ATTEMPTS"), QStringLiteral("CODE"), QStringLiteral("CREATED"), QStringLiteral("ERROR")}};
    for (const auto &d : std::as_const(*rows)) {
        table << QStringList{d.id,
                             deliveryStatusName(d.status),
                             d.eventType,
                             d.webhookId,
                             QString::number(d.attempts),
                             d.lastStatusCode ? QString::number(*d.lastStatusCode) : QStringLiteral("-"),
                             isoTime(d.createdAt),
                             d.lastError};
        if (!withAttempts)
            continue;
        auto attempts = deliveries.attempts(d.id);
        if (!attempts)
            return ctx.fail(attempts.error());
        for (const auto &a : std::as_const(*attempts)) {
            table << QStringList{QStringLiteral("  #%1").arg(a.number),
                                 a.responseStatus ? QString::number(*a.responseStatus) : QStringLiteral("-"),
                                 QStringLiteral("%1 ms").arg(a.durationMs),
                                 QString(),
                                 QString(),
                                 QString(),
                                 isoTime(a.startedAt),
                                 a.error};
        }
    }
    ctx.print(rows->isEmpty() ? QStringLiteral("no deliveries") : formatTable(table));
    return Success;
}

} // namespace hookline::cli
