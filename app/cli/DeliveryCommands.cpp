#include "CliContext.h"
#include "Commands.h"
#include "StopSignals.h"
#include "model/ModelJson.h"

#include "engine/DeliveryEngine.h"
#include "service/DeliveryService.h"
#include "service/EventService.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>

namespace hookline::cli {

int deliverCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("until-idle"), QStringLiteral("Return once nothing is pending, delivering or retrying.")});
    addEngineOptions(p);
    if (!ctx.parse(p, args, QStringLiteral("deliver [--until-idle] [--workers N] [--concurrency N]")))
        return Usage;
    auto options = engineOptions(p);
    if (!options)
        return ctx.fail(options.error());
    auto installation = ctx.installation();
    if (!installation)
        return Failure;
    const bool untilIdle = p.isSet(QStringLiteral("until-idle"));
    installation->checkpointInBackground(); // never inside the engine's commits

    DeliveryEngine engine(installation->database(), *options);
    StopSignals signals_;
    QElapsedTimer clock;
    clock.start();
    int succeeded = 0;
    int failed = 0;
    int attempts = 0; // every outcome recorded in this run, retries included
    QObject::connect(&engine, &DeliveryEngine::deliveriesUpdated, [&](const DeliveryUpdates &updates) {
        for (const auto &u : updates) {
            ++attempts;
            switch (u.status) {
            case DeliveryStatus::Succeeded: ++succeeded; break;
            case DeliveryStatus::Failed: ++failed; break;
            default: break;
            }
        }
    });
    QObject::connect(&engine, &DeliveryEngine::failure, [&](const QString &message) {
        ctx.fail(message); // reported; the worker retries the write
    });
    QObject::connect(&engine, &DeliveryEngine::webhookDeactivated,
                     [&](const QString &id) { ctx.fail(QStringLiteral("webhook %1 was deactivated (see webhook show %1)").arg(id)); });
    QObject::connect(&engine, &DeliveryEngine::stopped, qApp, &QCoreApplication::quit);
    // SIGTERM and SIGINT ask for a clean stop: what is claimed goes back to
    // the queue, and the exit code is 0, as a service manager expects.
    QObject::connect(&signals_, &StopSignals::stopRequested, &engine, [&](int) { engine.stop(); });
    QTimer idleCheck;
    if (untilIdle) {
        // Every 250 ms, and at once then every 20 ms once the engine says it
        // is idle: an EXISTS, not a count of a queue that may hold millions.
        const auto check = [&] {
            auto any = DeliveryService(installation->connection()).anyUnfinished();
            if (any && !*any)
                engine.stop();
        };
        QObject::connect(&engine, &DeliveryEngine::idle, &idleCheck, [&] {
            idleCheck.start(20);
            check();
        });
        QObject::connect(&idleCheck, &QTimer::timeout, check);
        idleCheck.setSingleShot(false);
        idleCheck.start(250);
    }
    engine.start();
    QCoreApplication::exec();
    idleCheck.stop();
    const double seconds = clock.elapsed() / 1000.0;
    // What is left is read from the queue, not added up from this run: a
    // delivery retried and then delivered is no longer "to retry".
    DeliveryService deliveries(installation->connection());
    DeliveryFilter retrying;
    retrying.status = DeliveryStatus::Retrying;
    const auto toRetry = deliveries.count(retrying);
    const auto unfinished = deliveries.unfinishedCount();
    if (!toRetry || !unfinished)
        return ctx.fail(!toRetry ? toRetry.error() : unfinished.error());
    const QJsonObject summary{{QStringLiteral("succeeded"), succeeded},
                              {QStringLiteral("failed"), failed},
                              {QStringLiteral("retryScheduled"), *toRetry},
                              {QStringLiteral("unfinished"), *unfinished},
                              {QStringLiteral("attempts"), attempts},
                              {QStringLiteral("seconds"), seconds},
                              {QStringLiteral("perSecond"), seconds > 0 ? attempts / seconds : 0.0}};
    if (ctx.jsonOutput())
        ctx.printJson(summary);
    else
        ctx.print(QStringLiteral("%1 succeeded, %2 failed, in %3 s (%4 attempts); left in the queue: %5, of which %6 waiting to retry")
                      .arg(succeeded)
                      .arg(failed)
                      .arg(seconds, 0, 'f', 2)
                      .arg(attempts)
                      .arg(*unfinished)
                      .arg(*toRetry));
    return Success;
}

int webhookTestCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    const auto webhookId = ctx.parseWebhookId(p, args, QStringLiteral("webhook test ID"));
    if (!webhookId)
        return Usage;
    auto installation = ctx.installation();
    if (!installation)
        return Failure;
    auto ping = EventService(installation->connection()).emitTestPing(*webhookId);
    if (!ping)
        return ctx.fail(ping.error());
    const QString id = *ping;

    EngineOptions options;
    options.workers = 1;
    options.claimDueDeliveries = false; // only this ping, not the rest of the queue
    DeliveryEngine engine(installation->database(), options);
    QObject::connect(&engine, &DeliveryEngine::deliveriesUpdated, &engine, [&](const DeliveryUpdates &updates) {
        if (std::any_of(updates.cbegin(), updates.cend(), [&](const DeliveryUpdate &u) { return u.deliveryId == id; }))
            engine.stop();
    });
    // Refused (another process is sending it): its failure is printed, and
    // the result below says it was not sent.
    QObject::connect(&engine, &DeliveryEngine::deliveryRefused, &engine, [&](const QString &refused) {
        if (refused == id)
            engine.stop();
    });
    QObject::connect(&engine, &DeliveryEngine::stopped, qApp, &QCoreApplication::quit);
    engine.start();
    engine.deliverNow(id);
    QCoreApplication::exec();

    DeliveryService deliveries(installation->connection());
    auto delivery = deliveries.get(id);
    auto attempts = deliveries.attempts(id);
    if (!delivery || !attempts || attempts->isEmpty())
        return ctx.fail(QStringLiteral("the test ping %1 was not sent").arg(id));
    const auto &attempt = attempts->constLast();
    auto json = toJson(attempt);
    json.insert(QStringLiteral("deliveryId"), id);
    json.insert(QStringLiteral("status"), deliveryStatusName(delivery->status));
    if (ctx.jsonOutput()) {
        ctx.printJson(json);
    } else {
        ctx.print(QStringLiteral("%1 %2 in %3 ms%4\n%5")
                      .arg(deliveryStatusName(delivery->status),
                           attempt.responseStatus ? QStringLiteral("HTTP %1").arg(*attempt.responseStatus) : QStringLiteral("no response"))
                      .arg(attempt.durationMs)
                      .arg(attempt.error.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(attempt.error),
                           QString::fromUtf8(attempt.responseBody.left(500))));
    }
    return delivery->status == DeliveryStatus::Succeeded ? Success : Failure;
}

int replayCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("delivery"), QStringLiteral("Delivery id."));
    p.addOption({QStringLiteral("webhook"), QStringLiteral("Replay this webhook's finished deliveries."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("status"), QStringLiteral("Only deliveries that ended so (failed or succeeded)."), QStringLiteral("STATUS")});
    p.addOption({QStringLiteral("since"), QStringLiteral("Only deliveries created at or after this time: ISO 8601, or an age such as 2h or 7d."),
                 QStringLiteral("WHEN")});
    if (!ctx.parse(p, args, QStringLiteral("replay DELIVERY_ID | replay --webhook ID [--status failed] [--since ISO_TIME]")))
        return Usage;
    const auto positional = p.positionalArguments();
    const bool byWebhook = p.isSet(QStringLiteral("webhook"));
    if (byWebhook == !positional.isEmpty() || positional.size() > 1)
        return ctx.usage(QStringLiteral("give one delivery id, or --webhook"));
    std::optional<DeliveryStatus> status;
    if (p.isSet(QStringLiteral("status"))) {
        status = deliveryStatusFromName(p.value(QStringLiteral("status")));
        if (!status || !isFinal(*status))
            return ctx.fail(Error::validation(QStringLiteral("--status"),
                                              QStringLiteral("expected failed or succeeded, got \"%1\"").arg(p.value(QStringLiteral("status")))));
    }
    const auto since = sinceOption(p);
    if (!since)
        return ctx.fail(since.error());
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    DeliveryService deliveries(db);
    QStringList ids;
    if (byWebhook) {
        auto queued = deliveries.replay({p.value(QStringLiteral("webhook")), status, *since});
        if (!queued)
            return ctx.fail(queued.error());
        ids = *queued;
    } else {
        if (auto s = deliveries.retryNow(positional.first()); !s)
            return ctx.fail(s.error());
        ids << positional.first();
    }
    ctx.printJson(QJsonObject{{QStringLiteral("replayed"), int(ids.size())}, {QStringLiteral("ids"), QJsonArray::fromStringList(ids)}});
    return Success;
}

int pruneCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("webhook"), QStringLiteral("Only this webhook."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("vacuum"), QStringLiteral("Rewrite the whole database file afterwards (SQLite; takes a while, and turns "
                                                          "incremental vacuum on for a file made by an older Hookline).")});
    if (!ctx.parse(p, args, QStringLiteral("prune [--webhook ID] [--vacuum]")))
        return Usage;
    if (!p.positionalArguments().isEmpty())
        return ctx.usage(QStringLiteral("prune takes no arguments"));
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    auto report = DeliveryService(db).prune(p.value(QStringLiteral("webhook")), p.isSet(QStringLiteral("vacuum")));
    if (!report)
        return ctx.fail(report.error());
    if (ctx.jsonOutput()) {
        ctx.printJson(QJsonObject{{QStringLiteral("removed"), report->removed},
                                  {QStringLiteral("webhooks"), report->webhooks},
                                  {QStringLiteral("bytesBefore"), report->bytesBefore},
                                  {QStringLiteral("bytesAfter"), report->bytesAfter}});
    } else {
        const auto mb = [](qint64 bytes) { return QString::number(double(bytes) / (1024 * 1024), 'f', 1); };
        QString text = QStringLiteral("removed %1 deliveries beyond retention (%2 webhooks)").arg(report->removed).arg(report->webhooks);
        if (report->bytesBefore > 0)
            text += QStringLiteral("; database file %1 MB -> %2 MB").arg(mb(report->bytesBefore), mb(report->bytesAfter));
        ctx.print(text);
    }
    return Success;
}

} // namespace hookline::cli
