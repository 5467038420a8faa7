#include "CliContext.h"
#include "Commands.h"
#include "model/ModelJson.h"

#include "service/AuditLog.h"
#include "service/WebhookService.h"
#include "service/WebhookValidator.h"
#include "signing/Secret.h"

#include <QJsonArray>

namespace hookline::cli {

namespace {

const QString kAddSynopsis
    = QStringLiteral("webhook add --url URL --events a,b [--name N] [--description D] [--scheme S] [--secret S] [--header K:V]... "
                     "[--max-retries N] [--retry-delay SECONDS] [--backoff exponential|fixed] [--schedule S1,S2,...] [--jitter F] "
                     "[--auto-disable-after N] [--retention N] [--max-in-flight N] [--transform JS|@FILE] [--inactive] [--tenant T]");

void addWebhookOptions(QCommandLineParser &p, bool update)
{
    const auto value = [&](const char *name, const char *help, const char *valueName) {
        p.addOption({QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(valueName)});
    };
    value("url", "Receiver URL (https://; http:// only when allowInsecureUrls).", "URL");
    value("events", "Event types: names, group.* or *, comma-separated.", "LIST");
    value("name", "Display name (default: the URL's host).", "NAME");
    value("description", "Free text.", "TEXT");
    p.addOption({QStringLiteral("scheme"),
                 QStringLiteral("Signing scheme: %1 (sign --help describes them).").arg(schemeNames().join(QStringLiteral(", "))),
                 QStringLiteral("SCHEME")});
    value("header", "Custom header NAME:VALUE (repeatable; on update, replaces them all).", "K:V");
    value("max-retries", "Retries after the first attempt (default 3).", "N");
    value("retry-delay", "First retry delay in seconds, fractions allowed (default 5).", "SECONDS");
    value("backoff", "exponential (delay x 2^n) or fixed.", "STRATEGY");
    value("schedule", "Explicit retry delays in seconds, e.g. 60,300,1800,7200 (\"none\" clears).", "LIST");
    value("jitter", "Random spread of each delay, a fraction from 0 to 1.", "F");
    value("auto-disable-after", "Deactivate after this many deliveries failed in a row (0 = never; default 5).", "N");
    value("retention", "Newest deliveries kept for this webhook (\"default\" = the setting).", "N");
    value("max-in-flight", "Requests the engine may have in flight to this webhook at once (\"default\" = the maxInFlightPerWebhook setting).", "N");
    value("transform", "JavaScript transformation body, or @FILE.", "JS");
    value("tenant", "Tenant (default: default).", "TENANT");
    p.addOption({QStringLiteral("inactive"), QStringLiteral("Create or set inactive.")});
    if (update)
        p.addOption({QStringLiteral("active"), QStringLiteral("Set active (also clears an automatic deactivation).")});
    else
        value("secret", "Secret (default: a new whsec_ secret).", "SECRET");
}

Result<QList<double>> parseSchedule(const QString &text)
{
    QList<double> out;
    if (text == u"none")
        return out;
    for (const auto &part : text.split(u',')) {
        bool ok = false;
        const double d = part.trimmed().toDouble(&ok);
        if (!ok)
            return Error::validation(QStringLiteral("--schedule"), QStringLiteral("\"%1\" is not a number of seconds").arg(part));
        out << d;
    }
    return out;
}

Status applyOptions(const QCommandLineParser &p, Webhook &w, bool update)
{
    const auto set = [&](const char *name) { return p.isSet(QString::fromLatin1(name)); };
    const auto val = [&](const char *name) { return p.value(QString::fromLatin1(name)); };
    if (set("url"))
        w.url = val("url").trimmed();
    if (set("events")) {
        w.events.clear();
        for (const auto &e : val("events").split(u',', Qt::SkipEmptyParts))
            w.events << e.trimmed();
    }
    if (set("name"))
        w.name = val("name");
    if (set("description"))
        w.description = val("description");
    if (set("scheme")) {
        const auto scheme = schemeFromName(val("scheme"));
        if (!scheme)
            return Error::validation(QStringLiteral("scheme"),
                                     QStringLiteral("\"%1\" is not one of %2").arg(val("scheme"), schemeNames().join(QStringLiteral(", "))));
        w.scheme = *scheme;
    }
    if (!update && set("secret"))
        w.secret = val("secret");
    if (set("header")) {
        w.headers.clear();
        for (const auto &h : p.values(QStringLiteral("header"))) {
            const auto colon = h.indexOf(u':');
            if (colon <= 0)
                return Error::validation(QStringLiteral("headers"), QStringLiteral("\"%1\" is not NAME:VALUE").arg(h));
            w.headers << CustomHeader{h.left(colon).trimmed(), h.mid(colon + 1).trimmed()};
        }
    }
    if (set("schedule")) {
        auto schedule = parseSchedule(val("schedule"));
        if (!schedule)
            return schedule.error();
        w.retry.schedule = *schedule;
        if (!set("max-retries") && !schedule->isEmpty())
            w.retry.maxRetries = int(schedule->size());
    }
    if (set("max-retries")) {
        auto n = intOption(p, QStringLiteral("max-retries"), 0, RetryPolicy::kMaxRetries);
        if (!n)
            return n.error();
        w.retry.maxRetries = *n;
    }
    if (set("retry-delay")) {
        auto d = doubleOption(p, QStringLiteral("retry-delay"), RetryPolicy::kMinDelaySeconds, RetryPolicy::kMaxDelaySeconds);
        if (!d)
            return d.error();
        w.retry.retryDelaySeconds = *d;
    }
    if (set("backoff")) {
        const auto b = backoffFromName(val("backoff"));
        if (!b)
            return Error::validation(QStringLiteral("backoff"), QStringLiteral("\"%1\" is not exponential or fixed").arg(val("backoff")));
        w.retry.backoff = *b;
    }
    if (set("jitter")) {
        auto j = doubleOption(p, QStringLiteral("jitter"), 0, 1);
        if (!j)
            return j.error();
        w.retry.jitter = *j;
    }
    if (set("auto-disable-after")) {
        auto n = intOption(p, QStringLiteral("auto-disable-after"), 0, RetryPolicy::kMaxAutoDisableAfter);
        if (!n)
            return n.error();
        w.retry.autoDisableAfter = *n;
    }
    if (set("retention")) {
        if (val("retention") == u"default") {
            w.retention.reset();
        } else {
            auto n = intOption(p, QStringLiteral("retention"), 1, 10000000);
            if (!n)
                return n.error();
            w.retention = *n;
        }
    }
    if (set("max-in-flight")) {
        if (val("max-in-flight") == u"default") {
            w.maxInFlight.reset();
        } else {
            auto n = intOption(p, QStringLiteral("max-in-flight"), 1, WebhookValidator::kMaxInFlight);
            if (!n)
                return n.error();
            w.maxInFlight = *n;
        }
    }
    if (set("transform")) {
        auto script = textOrFile(val("transform"));
        if (!script)
            return script.error();
        w.transform = QString::fromUtf8(*script);
    }
    if (set("tenant"))
        w.tenantId = val("tenant");
    if (set("inactive") && update && set("active"))
        return Error::validation(QString(), QStringLiteral("give --active or --inactive, not both"));
    if (set("inactive"))
        w.active = false;
    if (update && set("active"))
        w.active = true;
    return Ok{};
}

int add(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    addWebhookOptions(p, false);
    if (!ctx.parse(p, args, kAddSynopsis))
        return Usage;
    if (!p.positionalArguments().isEmpty())
        return ctx.usage(QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().first()));
    if (!p.isSet(QStringLiteral("url")))
        return ctx.usage(QStringLiteral("--url is required"));
    if (!p.isSet(QStringLiteral("events")))
        return ctx.usage(QStringLiteral("--events is required"));
    Webhook w;
    if (auto s = applyOptions(p, w, false); !s)
        return ctx.fail(s.error());
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    auto created = WebhookService(db).create(w);
    if (!created)
        return ctx.fail(created.error());
    // The secret is shown in full once, on creation, as in every seed.
    ctx.printJson(toJson(*created, SecretView::Revealed));
    return Success;
}

int update(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    addWebhookOptions(p, true);
    const auto id = ctx.parseWebhookId(p, args, QStringLiteral("webhook update ID [add's options] [--active|--inactive]"));
    if (!id)
        return Usage;
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    WebhookService service(db);
    auto w = service.get(*id);
    if (!w)
        return ctx.fail(w.error());
    if (auto s = applyOptions(p, *w, true); !s)
        return ctx.fail(s.error());
    auto updated = service.update(*w);
    if (!updated)
        return ctx.fail(updated.error());
    if (ctx.jsonOutput())
        ctx.printJson(toJson(*updated, SecretView::Masked));
    else
        ctx.print(QStringLiteral("updated %1").arg(updated->id));
    return Success;
}

int list(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("tenant"), QStringLiteral("Only this tenant's webhooks."), QStringLiteral("TENANT")});
    if (!ctx.parse(p, args, QStringLiteral("webhook list [--tenant T] [--json]")))
        return Usage;
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    auto all = WebhookService(db).list(p.value(QStringLiteral("tenant")));
    if (!all)
        return ctx.fail(all.error());
    if (ctx.jsonOutput()) {
        QJsonArray out;
        for (const auto &w : std::as_const(*all))
            out.append(toJson(w, SecretView::Masked));
        ctx.printJson(out);
        return Success;
    }
    QList<QStringList> rows{{QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("STATUS"), QStringLiteral("SCHEME"),
                             QStringLiteral("TENANT"), QStringLiteral("EVENTS"), QStringLiteral("URL")}};
    for (const auto &w : std::as_const(*all)) {
        const auto status
            = w.active ? QStringLiteral("active") : (w.disabledReason.isEmpty() ? QStringLiteral("inactive") : QStringLiteral("auto-disabled"));
        rows << QStringList{w.id, w.name, status, schemeName(w.scheme), w.tenantId, w.events.join(u','), w.url};
    }
    ctx.print(all->isEmpty() ? QStringLiteral("no webhooks") : formatTable(rows));
    return Success;
}

int show(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("reveal-secret"), QStringLiteral("Print the secrets in full.")});
    const auto id = ctx.parseWebhookId(p, args, QStringLiteral("webhook show ID [--reveal-secret] [--json]"));
    if (!id)
        return Usage;
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    auto w = WebhookService(db).get(*id);
    if (!w)
        return ctx.fail(w.error());
    if (p.isSet(QStringLiteral("reveal-secret"))) {
        if (auto s = AuditLog(db).recordSecretAccess(*id, false); !s)
            return ctx.fail(s.error()); // not shown when it cannot be recorded
    }
    const auto json = toJson(*w, p.isSet(QStringLiteral("reveal-secret")) ? SecretView::Revealed : SecretView::Masked);
    if (ctx.jsonOutput()) {
        ctx.printJson(json);
        return Success;
    }
    QString text;
    const auto line = [&](const QString &k, const QString &v) { text += QString(k + u':').leftJustified(22) + v + u'\n'; };
    line(QStringLiteral("id"), w->id);
    line(QStringLiteral("name"), w->name);
    line(QStringLiteral("url"), w->url);
    line(QStringLiteral("tenant"), w->tenantId);
    line(QStringLiteral("status"), w->active ? QStringLiteral("active") : QStringLiteral("inactive"));
    if (!w->disabledReason.isEmpty())
        line(QStringLiteral("deactivated"), QStringLiteral("%1 at %2").arg(w->disabledReason, isoTime(w->disabledAt)));
    line(QStringLiteral("events"), w->events.join(QStringLiteral(", ")));
    line(QStringLiteral("scheme"), schemeName(w->scheme));
    line(QStringLiteral("secret"), json.value(QStringLiteral("secret")).toString());
    const bool reveal = p.isSet(QStringLiteral("reveal-secret"));
    for (const auto &s : std::as_const(w->secrets)) {
        if (s.expiresAt)
            line(QStringLiteral("previous secret"),
                 QStringLiteral("%1 signs until %2").arg(reveal ? s.secret : Secret::mask(s.secret), isoTime(*s.expiresAt)));
    }
    for (const auto &h : std::as_const(w->headers))
        line(QStringLiteral("header"), h.name + QStringLiteral(": ") + h.value);
    const auto &r = w->retry;
    if (r.schedule.isEmpty())
        line(QStringLiteral("retries"),
             QStringLiteral("%1, %2 from %3 s, jitter %4").arg(r.maxRetries).arg(backoffName(r.backoff)).arg(r.retryDelaySeconds).arg(r.jitter));
    else
        line(QStringLiteral("retries"),
             QStringLiteral("schedule %1 s, jitter %2")
                 .arg(json[QStringLiteral("retryPolicy")][QStringLiteral("schedule")].toVariant().toStringList().join(u','))
                 .arg(r.jitter));
    line(QStringLiteral("auto-disable after"), r.autoDisableAfter ? QString::number(r.autoDisableAfter) : QStringLiteral("never"));
    line(QStringLiteral("retention"), w->retention ? QString::number(*w->retention) : QStringLiteral("installation default"));
    line(QStringLiteral("max in flight"), w->maxInFlight ? QString::number(*w->maxInFlight) : QStringLiteral("installation default"));
    if (!w->transform.isEmpty())
        line(QStringLiteral("transform"), QStringLiteral("%1 characters of JavaScript").arg(w->transform.size()));
    line(QStringLiteral("created"), isoTime(w->createdAt));
    ctx.print(text);
    return Success;
}

int remove(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    const auto parsed = ctx.parseWebhookId(p, args, QStringLiteral("webhook delete ID"));
    if (!parsed)
        return Usage;
    const QString id = *parsed;
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    if (auto s = WebhookService(db).remove(id); !s)
        return ctx.fail(s.error());
    if (ctx.jsonOutput())
        ctx.printJson(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("deleted"), true}});
    else
        ctx.print(QStringLiteral("deleted %1").arg(id));
    return Success;
}

int rotate(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("grace"), QStringLiteral("Seconds the old secret keeps signing (default: the rotationGraceSeconds setting, 24 h)."),
                 QStringLiteral("SECONDS")});
    const auto parsed = ctx.parseWebhookId(p, args, QStringLiteral("webhook rotate-secret ID [--grace SECONDS]"));
    if (!parsed)
        return Usage;
    const QString id = *parsed;
    std::optional<int> grace;
    if (p.isSet(QStringLiteral("grace"))) {
        auto g = intOption(p, QStringLiteral("grace"), 0, 30 * 24 * 3600);
        if (!g)
            return ctx.fail(g.error());
        grace = *g;
    }
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    auto rotation = WebhookService(db).rotateSecret(id, grace);
    if (!rotation)
        return ctx.fail(rotation.error());
    if (rotation->retiredEarly > 0)
        ctx.note(QStringLiteral("%1 older secret%2 stopped signing now: at most %3 previous secrets sign beside the current one")
                     .arg(rotation->retiredEarly)
                     .arg(rotation->retiredEarly == 1 ? QString() : QStringLiteral("s"))
                     .arg(Webhook::kMaxPreviousSecrets));
    ctx.printJson(QJsonObject{{QStringLiteral("id"), id},
                              {QStringLiteral("secret"), rotation->secret},
                              {QStringLiteral("previousSecretExpiresAt"), isoTime(rotation->previousExpiresAt)},
                              {QStringLiteral("retiredEarly"), rotation->retiredEarly}});
    return Success;
}

} // namespace

int webhookCommand(CliContext &ctx, const QStringList &args)
{
    const QString sub = args.value(0);
    const QStringList rest = args.mid(1);
    if (sub == u"add")
        return add(ctx, rest);
    if (sub == u"list")
        return list(ctx, rest);
    if (sub == u"show")
        return show(ctx, rest);
    if (sub == u"update")
        return update(ctx, rest);
    if (sub == u"delete")
        return remove(ctx, rest);
    if (sub == u"rotate-secret")
        return rotate(ctx, rest);
    if (sub == u"test")
        return webhookTestCommand(ctx, rest);
    return ctx.usage(sub.isEmpty()
                         ? QStringLiteral("webhook needs a sub-command: add, list, show, update, delete, rotate-secret, test")
                         : QStringLiteral("unknown webhook sub-command \"%1\" (add, list, show, update, delete, rotate-secret, test)").arg(sub));
}

} // namespace hookline::cli
