#include "WebhookService.h"

#include "model/Plan.h"
#include "service/AuditLog.h"
#include "service/Settings.h"
#include "service/TenantService.h"
#include "signing/Secret.h"
#include "store/AlertStore.h"
#include "store/EventTypeStore.h"
#include "store/Sql.h"
#include "store/TenantStore.h"
#include "store/WebhookStore.h"
#include "util/Clock.h"
#include "util/Ids.h"

#include <QJsonObject>
#include <QUrl>

namespace hookline {

Result<WebhookValidator::Context> WebhookService::validationContext() const
{
    auto types = EventTypeStore(m_db).list();
    if (!types)
        return types.error();
    WebhookValidator::Context ctx;
    for (const auto &t : *types) {
        ctx.eventTypes.insert(t.name);
        ctx.groups.insert(t.group);
    }
    const Settings settings(m_db);
    ctx.headerPrefix = settings.headerPrefix();
    ctx.allowInsecureUrls = settings.allowInsecureUrls();
    ctx.allowPrivateAddresses = settings.allowPrivateAddresses();
    return ctx;
}

Status WebhookService::checkQuota(const QString &tenantId) const
{
    auto tenant = TenantStore(m_db).find(tenantId);
    if (!tenant)
        return tenant.error();
    if (!*tenant)
        return Error::validation(QStringLiteral("tenant"), tr("no tenant \"%1\"").arg(tenantId));
    auto plan = TenantService(m_db).planOf(**tenant);
    if (!plan)
        return plan.error();
    if (!plan->webhookQuota)
        return Ok{}; // unlimited
    auto count = WebhookStore(m_db).countForTenant(tenantId);
    if (!count)
        return count.error();
    const int quota = *plan->webhookQuota;
    if (*count >= quota) {
        // Two sources keep the English exact ("1 webhook", "0 webhooks"); %n
        // lets each language choose its own plural form.
        const auto text = quota == 1 ? tr("tenant \"%1\" is on the %2 plan, which allows %n webhook, and has %3", nullptr, quota)
                                     : tr("tenant \"%1\" is on the %2 plan, which allows %n webhooks, and has %3", nullptr, quota);
        return Error{Error::Code::Quota, text.arg(tenantId, plan->name).arg(*count), QStringLiteral("tenant")};
    }
    return Ok{};
}

Result<Webhook> WebhookService::create(Webhook w)
{
    auto ctx = validationContext();
    if (!ctx)
        return ctx.error();
    if (w.secret.isEmpty())
        w.secret = Secret::generate();
    if (w.name.trimmed().isEmpty())
        w.name = QUrl(w.url).host();
    if (auto s = WebhookValidator(*ctx).validate(w); !s)
        return s.error();

    const auto now = Clock::now();
    w.id = newId(u"wh_");
    w.createdAt = w.updatedAt = now;
    w.secrets = {WebhookSecret{w.secret, now, std::nullopt}};

    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    if (auto s = checkQuota(w.tenantId); !s)
        return s.error();
    if (auto s = WebhookStore(m_db).insert(w); !s)
        return s.error();
    if (auto s = AuditLog(m_db).record(QStringLiteral("webhook.created"), QStringLiteral("webhook"), w.id, AuditLog::created(w)); !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return get(w.id);
}

Result<Webhook> WebhookService::update(Webhook w)
{
    auto existing = get(w.id);
    if (!existing)
        return existing.error();
    auto ctx = validationContext();
    if (!ctx)
        return ctx.error();
    w.secret = existing->secret;
    w.secrets = existing->secrets;
    w.createdAt = existing->createdAt;
    if (w.name.trimmed().isEmpty())
        w.name = QUrl(w.url).host();
    if (auto s = WebhookValidator(*ctx).validate(w); !s)
        return s.error();
    // Turning a webhook back on is the administrator's answer to an automatic
    // deactivation: start counting failures afresh.
    if (w.active && !existing->active) {
        w.consecutiveFailures = 0;
        w.disabledReason.clear();
        w.disabledAt = {};
    }
    w.updatedAt = Clock::now();

    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    if (w.tenantId != existing->tenantId) {
        if (auto s = checkQuota(w.tenantId); !s)
            return s.error();
    }
    if (auto s = WebhookStore(m_db).update(w); !s)
        return s.error();
    // Turned back on after the engine deactivated it: that incident closes.
    if (w.active && !existing->active && (!existing->disabledReason.isEmpty() || existing->failingSince.isValid())) {
        Alert reenabled;
        reenabled.webhookId = w.id;
        reenabled.tenantId = w.tenantId;
        reenabled.kind = Alert::Kind::Reenabled;
        reenabled.detail = QStringLiteral("turned back on by %1").arg(AuditLog::actor());
        reenabled.facts = {{QStringLiteral("rule"), QStringLiteral("reenabled")}, {QStringLiteral("by"), AuditLog::actor()}};
        reenabled.createdAt = w.updatedAt;
        if (auto s = AlertStore(m_db).raise(reenabled); !s)
            return s.error();
    }
    // Turning it on or off is an action of its own in the log; the other
    // fields that changed, with their old and new values.
    auto changed = AuditLog::changes(*existing, w);
    AuditLog audit(m_db);
    if (changed.contains(QStringLiteral("active"))) {
        changed.remove(QStringLiteral("active"));
        if (auto s
            = audit.record(w.active ? QStringLiteral("webhook.activated") : QStringLiteral("webhook.deactivated"), QStringLiteral("webhook"), w.id);
            !s)
            return s.error();
    }
    if (!changed.isEmpty()) {
        if (auto s = audit.record(QStringLiteral("webhook.updated"), QStringLiteral("webhook"), w.id, changed); !s)
            return s.error();
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return get(w.id);
}

Result<Webhook> WebhookService::inspectorCopy(const QString &id, const QString &inspectorBase)
{
    auto original = get(id);
    if (!original)
        return original.error();
    const QString url = inspectorBase + QStringLiteral("/inspect/") + id;
    auto all = WebhookStore(m_db).list(original->tenantId);
    if (!all)
        return all.error();
    for (const auto &w : std::as_const(*all)) {
        if (w.url == url && w.isInspectorCopy())
            return get(w.id);
    }
    Webhook copy = *original;
    copy.id.clear();
    copy.name = tr("%1 (inspector)").arg(original->name);
    copy.description = tr("A copy of %1 pointed at the request inspector; the original is untouched.").arg(id);
    copy.url = url;
    copy.inspectorUrl = url;
    copy.active = false;
    copy.consecutiveFailures = 0;
    copy.disabledReason.clear();
    copy.disabledAt = {};
    copy.failingSince = {};
    copy.secrets.clear(); // the current secret only: create() keeps it
    return create(copy);
}

Status WebhookService::remove(const QString &id)
{
    auto existing = get(id);
    if (!existing)
        return existing.error();
    const QString existingName = existing->name;
    const QString existingUrl = existing->url;
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s;
    if (auto s = WebhookStore(m_db).remove(id); !s)
        return s;
    if (auto s = AuditLog(m_db).record(QStringLiteral("webhook.deleted"), QStringLiteral("webhook"), id,
                                       QJsonObject{{QStringLiteral("name"), QJsonObject{{QStringLiteral("old"), existingName}}},
                                                   {QStringLiteral("url"), QJsonObject{{QStringLiteral("old"), existingUrl}}}});
        !s)
        return s;
    return tx.commit();
}

Result<WebhookService::Rotation> WebhookService::rotateSecret(const QString &id, std::optional<int> graceSeconds)
{
    auto existing = get(id);
    if (!existing)
        return existing.error();
    const int grace = graceSeconds.value_or(Settings(m_db).rotationGraceSeconds());
    if (grace < 0 || grace > 30 * 24 * 3600)
        return Error::validation(QStringLiteral("grace"), tr("must be between 0 and 2592000 seconds (30 days)"));
    const auto now = Clock::now();
    Rotation rotation{Secret::generate(), now.addSecs(grace)};
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    auto retired = WebhookStore(m_db).rotateSecret(id, rotation.secret, now, rotation.previousExpiresAt);
    if (!retired)
        return retired.error();
    rotation.retiredEarly = *retired;
    if (auto s = AuditLog(m_db).record(QStringLiteral("secret.rotated"), QStringLiteral("webhook"), id,
                                       QJsonObject{{QStringLiteral("graceSeconds"), grace}, {QStringLiteral("retiredEarly"), rotation.retiredEarly}});
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return rotation;
}

Result<Webhook> WebhookService::get(const QString &id) const
{
    auto found = WebhookStore(m_db).find(id);
    if (!found)
        return found.error();
    if (!*found)
        return Error::notFound(tr("no webhook with id \"%1\"").arg(id));
    return std::move(**found);
}

Result<QList<Webhook>> WebhookService::list(const QString &tenantId) const
{
    return WebhookStore(m_db).list(tenantId);
}

} // namespace hookline
