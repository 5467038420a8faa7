#include "service/AuditLog.h"

#include "model/Webhook.h"
#include "service/Settings.h"
#include "signing/Scheme.h"
#include "store/AuditStore.h"
#include "store/Sql.h"
#include "util/Clock.h"

#include <QJsonArray>
#include <QMutex>

#include <pwd.h>
#include <unistd.h>

namespace hookline {

namespace {
QMutex g_channelMutex;
QString g_channel = QStringLiteral("core");
thread_local QString t_actor; // set by ActingAs

QString osUser()
{
    // The account the process runs as, not $USER (which anyone can set).
    if (const auto *pw = ::getpwuid(::geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("uid %1").arg(::geteuid());
}

QJsonValue json(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

// The audited fields of a webhook, by name: everything an administrator sets
// except the secret.
QJsonObject fields(const Webhook &w)
{
    QJsonArray headers;
    for (const auto &h : w.headers)
        headers << QStringLiteral("%1: %2").arg(h.name, h.value);
    return QJsonObject{
        {QStringLiteral("name"), w.name},
        {QStringLiteral("url"), w.url},
        {QStringLiteral("description"), w.description},
        {QStringLiteral("tenant"), w.tenantId},
        {QStringLiteral("scheme"), schemeName(w.scheme)},
        {QStringLiteral("active"), w.active},
        {QStringLiteral("events"), json(w.events)},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("maxRetries"), w.retry.maxRetries},
        {QStringLiteral("retryDelaySeconds"), w.retry.retryDelaySeconds},
        {QStringLiteral("schedule"),
         [&w] {
             QJsonArray a;
             for (double d : w.retry.schedule)
                 a << d;
             return a;
         }()},
        {QStringLiteral("jitter"), w.retry.jitter},
        {QStringLiteral("autoDisableAfter"), w.retry.autoDisableAfter},
        {QStringLiteral("retention"), w.retention ? QJsonValue(*w.retention) : QJsonValue()},
        {QStringLiteral("maxInFlight"), w.maxInFlight ? QJsonValue(*w.maxInFlight) : QJsonValue()},
        {QStringLiteral("transform"), w.transform},
    };
}
} // namespace

void AuditLog::setChannel(const QString &channel)
{
    QMutexLocker lock(&g_channelMutex);
    g_channel = channel;
}

AuditLog::ActingAs::ActingAs(const QString &actor)
    : m_previous(t_actor)
{
    t_actor = actor;
}

AuditLog::ActingAs::~ActingAs()
{
    t_actor = m_previous;
}

QString AuditLog::actor()
{
    if (!t_actor.isEmpty())
        return t_actor;
    QMutexLocker lock(&g_channelMutex);
    return QStringLiteral("%1 (%2)").arg(osUser(), g_channel);
}

Status AuditLog::record(const QString &action, const QString &objectType, const QString &objectId, const QJsonObject &changes)
{
    AuditStore store(m_db);
    if (auto s = store.append({0, Clock::now(), actor(), action, objectType, objectId, changes}); !s)
        return s;
    // The delivery history's retention, per object.
    return store.prune(objectType, objectId, Settings(m_db).retention());
}

Result<QList<AuditEntry>> AuditLog::list(const AuditFilter &filter) const
{
    return AuditStore(m_db).list(filter);
}

QJsonObject AuditLog::change(const QJsonValue &before, const QJsonValue &after)
{
    return QJsonObject{{QStringLiteral("old"), before}, {QStringLiteral("new"), after}};
}

QJsonObject AuditLog::changes(const Webhook &before, const Webhook &after)
{
    const auto a = fields(before);
    const auto b = fields(after);
    QJsonObject out;
    for (auto it = b.begin(); it != b.end(); ++it) {
        if (a.value(it.key()) != it.value())
            out.insert(it.key(), change(a.value(it.key()), it.value()));
    }
    return out;
}

QJsonObject AuditLog::created(const Webhook &webhook)
{
    QJsonObject out;
    const auto f = fields(webhook);
    for (auto it = f.begin(); it != f.end(); ++it)
        out.insert(it.key(), QJsonObject{{QStringLiteral("new"), it.value()}});
    return out;
}

Status AuditLog::recordSecretAccess(const QString &webhookId, bool copied)
{
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s;
    if (auto s = record(copied ? QStringLiteral("secret.copied") : QStringLiteral("secret.revealed"), QStringLiteral("webhook"), webhookId); !s)
        return s;
    return tx.commit();
}

} // namespace hookline
