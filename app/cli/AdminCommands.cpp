#include "CliContext.h"
#include "Commands.h"
#include "model/ModelJson.h"

#include "service/ApiKeyService.h"
#include "service/AuditLog.h"
#include "service/Installation.h"
#include "service/PlanService.h"
#include "service/Settings.h"
#include "service/TenantService.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <tuple>

using namespace Qt::StringLiterals;

namespace hookline::cli {

int settingsCommand(CliContext &ctx, const QStringList &args)
{
    const QString sub = args.value(0);
    QCommandLineParser p;
    if (!ctx.parse(p, args.mid(1), QStringLiteral("settings get KEY | set KEY VALUE | reset KEY | list")))
        return Usage;
    const auto positional = p.positionalArguments();
    const int wanted = sub == u"set" ? 2 : (sub == u"list" ? 0 : 1);
    if (sub != u"get" && sub != u"set" && sub != u"list" && sub != u"reset")
        return ctx.usage(QStringLiteral("settings needs a sub-command: get, set, reset, list"));
    if (positional.size() != wanted)
        return ctx.usage(QStringLiteral("settings %1 takes %2 argument%3").arg(sub).arg(wanted).arg(wanted == 1 ? QString() : QStringLiteral("s")));
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    Settings settings(db);
    if (sub == u"list") {
        QJsonObject json;
        QList<QStringList> rows{{QStringLiteral("KEY"), QStringLiteral("VALUE"), QStringLiteral("DESCRIPTION")}};
        for (const auto &info : Settings::known()) {
            auto v = settings.value(info.key);
            if (!v)
                return ctx.fail(v.error());
            json.insert(info.key, *v);
            rows << QStringList{info.key, *v, info.description};
        }
        // Not a setting, but where the secrets' key is belongs beside them.
        if (const auto installation = ctx.installation()) {
            const auto key = installation->keyInfo();
            json.insert(QStringLiteral("masterKey"), QJsonObject{{QStringLiteral("source"), key.source},
                                                                 {QStringLiteral("where"), key.where},
                                                                 {QStringLiteral("fingerprint"), key.fingerprint}});
            rows << QStringList{QStringLiteral("(master key)"), key.where,
                                QStringLiteral("the key webhook secrets are encrypted with: %1, fingerprint %2 (hookline-cli secrets rekey)")
                                    .arg(key.source, key.fingerprint)};
        }
        if (ctx.jsonOutput())
            ctx.printJson(json);
        else
            ctx.print(formatTable(rows));
        return Success;
    }
    const auto key = positional.first();
    if (sub == u"set") {
        if (auto s = settings.setValue(key, positional.at(1)); !s)
            return ctx.fail(s.error());
    } else if (sub == u"reset") {
        if (auto s = settings.reset(key); !s)
            return ctx.fail(s.error());
    }
    auto v = settings.value(key);
    if (!v)
        return ctx.fail(v.error());
    if (ctx.jsonOutput())
        ctx.printJson(QJsonObject{{key, *v}});
    else
        ctx.print(*v);
    return Success;
}

int secretsCommand(CliContext &ctx, const QStringList &args)
{
    const QString sub = args.value(0);
    QCommandLineParser p;
    p.addOption(
        {QStringLiteral("print-new-key"), QStringLiteral("With the key in HOOKLINE_MASTER_KEY: print the new key (base64) for you to put there.")});
    if (!ctx.parse(p, args.mid(1), QStringLiteral("secrets status | rekey [--print-new-key]"),
                   QStringLiteral("Webhook secrets are stored encrypted (AES-256-GCM) under a master key kept outside the database:\n"
                                  "HOOKLINE_MASTER_KEY (base64 of 32 bytes), else the system keychain (the window), else a key\n"
                                  "file beside the database (FILE.key, mode 0600). rekey re-encrypts every secret under a new key\n"
                                  "in one transaction, then replaces the key; restart engines that are running.")))
        return Usage;
    if ((sub != u"status" && sub != u"rekey") || !p.positionalArguments().isEmpty())
        return ctx.usage(QStringLiteral("secrets needs a sub-command: status, rekey"));
    const auto installation = ctx.installation();
    if (!installation)
        return Failure;
    auto show = [&ctx](const Installation::KeyInfo &key, const QString &what) {
        if (ctx.jsonOutput())
            ctx.printJson(QJsonObject{
                {QStringLiteral("source"), key.source}, {QStringLiteral("where"), key.where}, {QStringLiteral("fingerprint"), key.fingerprint}});
        else
            ctx.print(QStringLiteral("%1: %2 (%3), fingerprint %4").arg(what, key.where, key.source, key.fingerprint));
    };
    if (sub == u"status") {
        show(installation->keyInfo(), QStringLiteral("master key"));
        return Success;
    }
    QByteArray newKey;
    auto done = installation->rekey(p.isSet(QStringLiteral("print-new-key")) ? &newKey : nullptr);
    if (!done)
        return ctx.fail(done.error());
    if (!newKey.isEmpty()) {
        ctx.note(QStringLiteral("set HOOKLINE_MASTER_KEY to the key below before the next start; the old key no longer opens the secrets"));
        ctx.print(QString::fromLatin1(newKey));
        return Success;
    }
    show(*done, QStringLiteral("new master key"));
    return Success;
}

int auditCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("since"), QStringLiteral("Only changes at or after this time: ISO 8601, or an age such as 2h or 7d."),
                 QStringLiteral("WHEN")});
    p.addOption({QStringLiteral("object"), QStringLiteral("Only changes to this object (a webhook id, a setting, a tenant, a delivery id)."),
                 QStringLiteral("ID")});
    p.addOption({QStringLiteral("limit"), QStringLiteral("At most this many, newest first (default 100)."), QStringLiteral("N")});
    if (!ctx.parse(p, args, QStringLiteral("audit [--since WHEN] [--object ID] [--limit N]"),
                   QStringLiteral("Every administrative change: who (the OS user and the front end), when, to what, old and new values.\n"
                                  "Secrets are never in it: a rotation, a reveal or a copy is recorded, not the secret.")))
        return Usage;
    if (!p.positionalArguments().isEmpty())
        return ctx.usage(QStringLiteral("audit takes no arguments"));
    AuditFilter filter;
    filter.objectId = p.value(QStringLiteral("object"));
    const auto since = sinceOption(p);
    if (!since)
        return ctx.fail(since.error());
    filter.since = *since;
    if (p.isSet(QStringLiteral("limit"))) {
        auto n = intOption(p, QStringLiteral("limit"), 1, 100000);
        if (!n)
            return ctx.fail(n.error());
        filter.limit = *n;
    }
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    auto entries = AuditLog(db).list(filter);
    if (!entries)
        return ctx.fail(entries.error());
    if (ctx.jsonOutput()) {
        QJsonArray out;
        for (const auto &e : std::as_const(*entries))
            out << QJsonObject{{QStringLiteral("at"), isoTime(e.at)},    {QStringLiteral("actor"), e.actor},
                               {QStringLiteral("action"), e.action},     {QStringLiteral("objectType"), e.objectType},
                               {QStringLiteral("objectId"), e.objectId}, {QStringLiteral("changes"), e.changes}};
        ctx.printJson(out);
        return Success;
    }
    QList<QStringList> rows{
        {QStringLiteral("AT"), QStringLiteral("ACTOR"), QStringLiteral("ACTION"), QStringLiteral("OBJECT"), QStringLiteral("CHANGES")}};
    for (const auto &e : std::as_const(*entries))
        rows << QStringList{isoTime(e.at), e.actor, e.action, e.objectId, QString::fromUtf8(QJsonDocument(e.changes).toJson(QJsonDocument::Compact))};
    ctx.print(formatTable(rows));
    return Success;
}

int apiKeyCommand(CliContext &ctx, const QStringList &args)
{
    const QString sub = args.value(0);
    QCommandLineParser p;
    p.addOption({QStringLiteral("tenant"), QStringLiteral("The tenant the key acts for."), QStringLiteral("TENANT")});
    p.addOption({QStringLiteral("name"), QStringLiteral("What the key is for, to recognise it later."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("admin"), QStringLiteral("A key for every tenant (no --tenant).")});
    if (!ctx.parse(p, args.mid(1), QStringLiteral("apikey create --tenant T [--name N] | create --admin [--name N] | list | revoke ID"),
                   QStringLiteral("Keys of the REST API. A key is shown once, when it is made; only its SHA-256 is stored.")))
        return Usage;
    const auto positional = p.positionalArguments();
    if (sub != u"create" && sub != u"list" && sub != u"revoke")
        return ctx.usage(QStringLiteral("apikey needs a sub-command: create, list, revoke"));
    if (positional.size() != (sub == u"revoke" ? 1 : 0))
        return ctx.usage(sub == u"revoke" ? QStringLiteral("apikey revoke takes the key's id")
                                          : QStringLiteral("apikey %1 takes no arguments").arg(sub));
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    ApiKeyService keys(db);
    const auto toJson = [](const ApiKey &k) {
        return QJsonObject{{QStringLiteral("id"), k.id},
                           {QStringLiteral("tenant"), k.admin ? QJsonValue() : QJsonValue(k.tenantId)},
                           {QStringLiteral("admin"), k.admin},
                           {QStringLiteral("name"), k.name},
                           {QStringLiteral("hint"), k.hint},
                           {QStringLiteral("createdAt"), isoTime(k.createdAt)},
                           {QStringLiteral("revokedAt"), k.revokedAt ? QJsonValue(isoTime(*k.revokedAt)) : QJsonValue()}};
    };
    if (sub == u"create") {
        auto made = keys.create(p.value(QStringLiteral("tenant")), p.value(QStringLiteral("name")), p.isSet(QStringLiteral("admin")));
        if (!made)
            return ctx.fail(made.error());
        // The only time the key is shown.
        ctx.printJson(QJsonObject{{QStringLiteral("id"), made->key.id},
                                  {QStringLiteral("key"), made->text},
                                  {QStringLiteral("tenant"), made->key.admin ? QJsonValue() : QJsonValue(made->key.tenantId)},
                                  {QStringLiteral("admin"), made->key.admin}});
        return Success;
    }
    if (sub == u"revoke") {
        if (auto s = keys.revoke(positional.first()); !s)
            return ctx.fail(s.error());
        ctx.print(QStringLiteral("revoked %1").arg(positional.first()));
        return Success;
    }
    auto all = keys.list();
    if (!all)
        return ctx.fail(all.error());
    if (ctx.jsonOutput()) {
        QJsonArray out;
        for (const auto &k : std::as_const(*all))
            out << toJson(k);
        ctx.printJson(out);
        return Success;
    }
    QList<QStringList> rows{{QStringLiteral("ID"), QStringLiteral("TENANT"), QStringLiteral("NAME"), QStringLiteral("KEY"), QStringLiteral("CREATED"),
                             QStringLiteral("REVOKED")}};
    for (const auto &k : std::as_const(*all))
        rows << QStringList{k.id,
                            k.admin ? QStringLiteral("(admin)") : k.tenantId,
                            k.name,
                            k.hint,
                            isoTime(k.createdAt),
                            k.revokedAt ? isoTime(*k.revokedAt) : QString()};
    ctx.print(formatTable(rows));
    return Success;
}

namespace {

QString limitText(const std::optional<int> &limit)
{
    return limit ? QString::number(*limit) : QStringLiteral("unlimited");
}

// A tenant with its plan's limits, when the plan is known (null: unlimited).
QJsonObject tenantJson(const Tenant &tenant, const Plan *plan)
{
    QJsonObject o = toJson(tenant);
    if (plan) {
        const auto limits = toJson(*plan);
        o.insert(QStringLiteral("webhookQuota"), limits.value(QStringLiteral("webhookQuota")));
        o.insert(QStringLiteral("requestsPerMinute"), limits.value(QStringLiteral("requestsPerMinute")));
    }
    return o;
}

// "unlimited" or a whole number in [min, max].
Result<std::optional<int>> limitOption(const QCommandLineParser &p, const QString &name, int min, int max)
{
    const QString text = p.value(name).trimmed();
    if (text.compare(u"unlimited", Qt::CaseInsensitive) == 0)
        return std::optional<int>();
    bool ok = false;
    const int n = text.toInt(&ok);
    if (!ok || n < min || n > max)
        return Error::validation(u"--"_s + name, QStringLiteral("\"%1\" is not a number from %2 to %3, or unlimited").arg(text).arg(min).arg(max));
    return std::optional<int>(n);
}

} // namespace

int tenantCommand(CliContext &ctx, const QStringList &args)
{
    const QString sub = args.value(0);
    QCommandLineParser p;
    p.addOption({QStringLiteral("plan"), QStringLiteral("A plan's name (hookline-cli plan list); default UNLIMITED."), QStringLiteral("PLAN")});
    if (!ctx.parse(p, args.mid(1), QStringLiteral("tenant add ID [--plan PLAN] | set-plan ID --plan PLAN | list")))
        return Usage;
    const auto positional = p.positionalArguments();
    if (sub != u"list" && sub != u"add" && sub != u"set-plan")
        return ctx.usage(QStringLiteral("tenant needs a sub-command: add, set-plan, list"));
    if (sub != u"list") {
        // Arguments first: a mistyped command must not create a database.
        if (positional.size() != 1)
            return ctx.usage(QStringLiteral("give one tenant id"));
        if (sub == u"set-plan" && !p.isSet(QStringLiteral("plan")))
            return ctx.usage(QStringLiteral("--plan is required"));
        if (p.isSet(QStringLiteral("plan"))) {
            if (auto s = PlanService::validateName(p.value(QStringLiteral("plan")), QStringLiteral("--plan")); !s)
                return ctx.fail(s.error());
        }
    }
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    TenantService tenants(db);
    if (sub == u"list") {
        auto all = tenants.list();
        if (!all)
            return ctx.fail(all.error());
        auto plans = PlanService(db).list();
        if (!plans)
            return ctx.fail(plans.error());
        QJsonArray json;
        QList<QStringList> rows{{QStringLiteral("ID"), QStringLiteral("PLAN"), QStringLiteral("WEBHOOK QUOTA"), QStringLiteral("REQUESTS/MIN")}};
        for (const auto &t : std::as_const(*all)) {
            const auto found = std::find_if(plans->cbegin(), plans->cend(), [&t](const Plan &p) { return p.name == t.plan; });
            const Plan *plan = found != plans->cend() ? &*found : nullptr;
            json.append(tenantJson(t, plan));
            rows << QStringList{t.id, t.plan, plan ? limitText(plan->webhookQuota) : QStringLiteral("?"),
                                plan ? limitText(plan->requestsPerMinute) : QStringLiteral("?")};
        }
        if (ctx.jsonOutput())
            ctx.printJson(json);
        else
            ctx.print(formatTable(rows));
        return Success;
    }
    const QString plan = p.isSet(QStringLiteral("plan")) ? p.value(QStringLiteral("plan")) : Plan::unlimitedName();
    auto tenant = sub == u"add" ? tenants.create(positional.first(), plan) : tenants.setPlan(positional.first(), plan);
    if (!tenant)
        return ctx.fail(tenant.error());
    auto limits = tenants.planOf(tenant->id);
    if (!limits)
        return ctx.fail(limits.error());
    ctx.printJson(tenantJson(*tenant, &*limits));
    return Success;
}

int planCommand(CliContext &ctx, const QStringList &args)
{
    const QString sub = args.value(0);
    QCommandLineParser p;
    p.addOption({QStringLiteral("webhooks"), QStringLiteral("Webhooks a tenant on this plan may have, or \"unlimited\"."), QStringLiteral("N")});
    p.addOption({QStringLiteral("requests-per-minute"), QStringLiteral("API requests a minute per key, or \"unlimited\"."), QStringLiteral("N")});
    if (!ctx.parse(
            p, args.mid(1),
            QStringLiteral("plan list | add NAME --webhooks N --requests-per-minute N | update NAME [--webhooks N] [--requests-per-minute N]")))
        return Usage;
    const auto positional = p.positionalArguments();
    if (sub != u"list" && sub != u"add" && sub != u"update")
        return ctx.usage(QStringLiteral("plan needs a sub-command: list, add, update"));
    if (sub != u"list" && positional.size() != 1)
        return ctx.usage(QStringLiteral("give one plan name"));
    if (sub == u"add" && (!p.isSet(QStringLiteral("webhooks")) || !p.isSet(QStringLiteral("requests-per-minute"))))
        return ctx.usage(QStringLiteral("a new plan needs --webhooks and --requests-per-minute (a number or \"unlimited\")"));
    Plan plan;
    if (sub != u"list") {
        plan.name = positional.first();
        if (auto s = PlanService::validateName(plan.name); !s)
            return ctx.fail(s.error());
        for (const auto &[option, target, min, max] :
             {std::tuple{u"webhooks"_s, &plan.webhookQuota, 0, Plan::kMaxQuota},
              std::tuple{u"requests-per-minute"_s, &plan.requestsPerMinute, 1, Plan::kMaxRequestsPerMinute}}) {
            if (!p.isSet(option))
                continue;
            auto v = limitOption(p, option, min, max);
            if (!v)
                return ctx.fail(v.error());
            *target = *v;
        }
    }
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    PlanService plans(db);
    if (sub == u"list") {
        auto all = plans.list();
        if (!all)
            return ctx.fail(all.error());
        QJsonArray json;
        QList<QStringList> rows{
            {QStringLiteral("PLAN"), QStringLiteral("WEBHOOK QUOTA"), QStringLiteral("REQUESTS/MIN"), QStringLiteral("BUILT IN")}};
        for (const auto &pl : std::as_const(*all)) {
            json.append(toJson(pl));
            rows << QStringList{pl.name, limitText(pl.webhookQuota), limitText(pl.requestsPerMinute), pl.builtin ? QStringLiteral("yes") : QString()};
        }
        if (ctx.jsonOutput())
            ctx.printJson(json);
        else
            ctx.print(formatTable(rows));
        return Success;
    }
    if (sub == u"update") {
        auto existing = plans.get(plan.name);
        if (!existing)
            return ctx.fail(existing.error());
        if (!p.isSet(QStringLiteral("webhooks")))
            plan.webhookQuota = existing->webhookQuota;
        if (!p.isSet(QStringLiteral("requests-per-minute")))
            plan.requestsPerMinute = existing->requestsPerMinute;
    }
    auto saved = sub == u"add" ? plans.add(plan) : plans.update(plan);
    if (!saved)
        return ctx.fail(saved.error());
    ctx.printJson(toJson(*saved));
    return Success;
}

} // namespace hookline::cli
