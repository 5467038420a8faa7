#include "AlertWatch.h"

#include "model/ModelJson.h"
#include "service/EventService.h"
#include "store/AlertStore.h"
#include "store/EventStore.h"
#include "util/Clock.h"
#include "util/Ids.h"
#include "util/Log.h"
#include "json/CanonicalJson.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace hookline {

namespace {
constexpr qint64 kFailingRereadMs = 5000; // another process may open or close incidents
constexpr qint64 kPruneIntervalMs = 3600 * 1000;

QString problemOf(const AttemptOutcome &o)
{
    if (o.attempt.responseStatus)
        return QStringLiteral("HTTP %1").arg(*o.attempt.responseStatus);
    return o.attempt.error.isEmpty() ? QStringLiteral("no answer") : o.attempt.error;
}
} // namespace

Status AlertWatch::refreshFailing()
{
    const auto now = Clock::monotonicMs();
    if (m_failingReadMs && now - *m_failingReadMs < kFailingRereadMs)
        return Ok{};
    auto failing = AlertStore(m_db).failingWebhooks();
    if (!failing)
        return failing.error();
    m_failing = QSet<QString>(failing->cbegin(), failing->cend());
    m_failingReadMs = now;
    return Ok{};
}

void AlertWatch::forget()
{
    m_failingReadMs.reset();
}

Result<Alerts> AlertWatch::check(const QList<AttemptOutcome> &outcomes, const QStringList &deactivated, const QDateTime &now)
{
    if (auto s = refreshFailing(); !s)
        return s.error();
    // Each webhook's last attempt in this batch says where it stands.
    QHash<QString, Seen> seen;
    for (const auto &o : outcomes) {
        if (o.webhookId.isEmpty() || !o.attempted)
            continue;
        auto &s = seen[o.webhookId];
        s.lastDeliveryId = o.deliveryId;
        s.lastSucceeded = o.effect == AttemptOutcome::WebhookEffect::Succeeded;
        if (!s.lastSucceeded)
            s.lastProblem = problemOf(o);
        s.gone = s.gone || o.effect == AttemptOutcome::WebhookEffect::Gone;
    }
    QStringList mayFail;
    QStringList mayRecover;
    for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
        if (deactivated.contains(it.key()))
            continue;
        if (it->lastSucceeded && m_failing.contains(it.key()))
            mayRecover << it.key();
        else if (!it->lastSucceeded && !m_failing.contains(it.key()) && (m_rules.failuresInRow > 0 || m_rules.successRatePercent > 0))
            mayFail << it.key();
    }
    if (deactivated.isEmpty() && mayFail.isEmpty() && mayRecover.isEmpty())
        return Alerts{};

    AlertStore store(m_db);
    // The admin webhook is read with them: its operational events need its tenant and state.
    auto health = store.health(deactivated + mayFail + mayRecover
                               + (m_rules.eventsWebhookId.isEmpty() ? QStringList() : QStringList{m_rules.eventsWebhookId}));
    if (!health)
        return health.error();
    Alerts raised;
    const auto alertFor = [&](const QString &id, Alert::Kind kind, const QString &detail, QJsonObject facts) {
        const auto &h = health->value(id);
        Alert a;
        a.webhookId = id;
        a.webhookName = h.name;
        a.tenantId = h.tenantId;
        a.kind = kind;
        a.detail = detail;
        a.facts = std::move(facts);
        a.deliveryId = seen.value(id).lastDeliveryId;
        a.createdAt = now;
        raised.append(a);
    };
    for (const auto &id : deactivated) {
        if (!health->contains(id))
            continue; // deleted meanwhile
        const auto &h = health->value(id);
        const auto &s = seen.value(id);
        const bool gone = s.gone;
        alertFor(id, gone ? Alert::Kind::Gone : Alert::Kind::Disabled,
                 h.disabledReason.isEmpty() ? QStringLiteral("deactivated after its failures") : h.disabledReason,
                 gone ? QJsonObject{{QStringLiteral("rule"), QStringLiteral("gone")}}
                      : QJsonObject{{QStringLiteral("rule"), QStringLiteral("autoDisable")},
                                    {QStringLiteral("count"), h.consecutiveFailures},
                                    {QStringLiteral("last"), s.lastProblem}});
    }
    for (const auto &id : std::as_const(mayFail)) {
        const auto h = health->value(id);
        if (h.id.isEmpty() || !h.active)
            continue;
        if (h.failingSince.isValid()) { // another process opened it
            m_failing.insert(id);
            continue;
        }
        const auto &s = seen.value(id);
        if (m_rules.failuresInRow > 0 && h.consecutiveFailures >= m_rules.failuresInRow) {
            alertFor(id, Alert::Kind::Failing,
                     QStringLiteral("%1 deliveries in a row failed (the last: %2)").arg(h.consecutiveFailures).arg(s.lastProblem),
                     {{QStringLiteral("rule"), QStringLiteral("inRow")},
                      {QStringLiteral("count"), h.consecutiveFailures},
                      {QStringLiteral("last"), s.lastProblem}});
            continue;
        }
        auto rate = rateProblem(id, now);
        if (!rate)
            return rate.error();
        if (*rate) {
            auto facts = (*rate)->facts;
            facts.insert(QStringLiteral("last"), s.lastProblem);
            alertFor(id, Alert::Kind::Failing, (*rate)->text + QStringLiteral(" (the last: %1)").arg(s.lastProblem), facts);
        }
    }
    for (const auto &id : std::as_const(mayRecover)) {
        const auto h = health->value(id);
        if (!h.failingSince.isValid()) { // closed meanwhile (re-enabled, another process)
            m_failing.remove(id);
            continue;
        }
        alertFor(id, Alert::Kind::Recovered,
                 QStringLiteral("delivered again after failing since %1").arg(QString::fromLatin1(EventService::isoTimestamp(h.failingSince))),
                 {{QStringLiteral("rule"), QStringLiteral("recovered")}, {QStringLiteral("since"), double(h.failingSince.toMSecsSinceEpoch())}});
    }

    for (auto &a : raised) {
        if (auto s = store.raise(a); !s)
            return s.error();
        if (a.kind == Alert::Kind::Failing)
            m_failing.insert(a.webhookId);
        else
            m_failing.remove(a.webhookId);
        m_rateCheckedMs.remove(a.webhookId);
        if (auto s = emitOperationalEvent(a, health->value(m_rules.eventsWebhookId), now); !s)
            return s.error();
        // Names and ids only: details may quote a receiver's error text.
        qCWarning(lcEngine).noquote() << "alert" << a.id << alertKindName(a.kind) << "for webhook" << a.webhookId;
    }
    return raised;
}

Result<std::optional<AlertWatch::RateProblem>> AlertWatch::rateProblem(const QString &webhookId, const QDateTime &now)
{
    const int threshold = m_rules.successRatePercent;
    if (threshold <= 0)
        return std::optional<RateProblem>();
    const auto mono = Clock::monotonicMs();
    if (const auto last = m_rateCheckedMs.constFind(webhookId); last != m_rateCheckedMs.cend() && mono - *last < kRateCheckIntervalMs)
        return std::optional<RateProblem>();
    if (m_rateCheckedMs.size() >= m_rateSweepAt) {
        m_rateCheckedMs.removeIf([mono](const QHash<QString, qint64>::iterator &it) { return mono - it.value() >= kRateCheckIntervalMs; });
        m_rateSweepAt = std::max(m_rateSweepMin, 2 * m_rateCheckedMs.size());
    }
    m_rateCheckedMs.insert(webhookId, mono);
    AlertStore store(m_db);
    auto since = now.addMSecs(-kRateWindowMs);
    auto closed = store.lastClosed(webhookId);
    if (!closed)
        return closed.error();
    if (*closed) {
        if ((*closed)->msecsTo(now) < kQuietAfterCloseMs)
            return std::optional<RateProblem>();
        since = std::max(since, **closed);
    }
    auto counts = store.attemptsSince(webhookId, since);
    if (!counts)
        return counts.error();
    if (counts->total < kMinAttemptsForRate || qint64(counts->succeeded) * 100 >= qint64(threshold) * counts->total)
        return std::optional<RateProblem>();
    const auto minutes = (since.msecsTo(now) + 59'999) / 60'000;
    RateProblem problem;
    problem.text = QStringLiteral("%1 of %2 attempts in the last %3 min succeeded (%4 %), under the %5 % threshold")
                       .arg(counts->succeeded)
                       .arg(counts->total)
                       .arg(minutes)
                       .arg(counts->succeeded * 100 / counts->total)
                       .arg(threshold);
    problem.facts = {{QStringLiteral("rule"), QStringLiteral("rate")},
                     {QStringLiteral("succeeded"), counts->succeeded},
                     {QStringLiteral("total"), counts->total},
                     {QStringLiteral("minutes"), minutes},
                     {QStringLiteral("threshold"), threshold}};
    return std::optional<RateProblem>(problem);
}

Status AlertWatch::emitOperationalEvent(const Alert &alert, const AlertStore::Health &h, const QDateTime &now)
{
    const auto &target = m_rules.eventsWebhookId;
    const auto type = alertEventType(alert.kind);
    // The loop guard: nothing is said to the admin webhook about itself, so
    // its own failures can never feed it more deliveries to fail.
    if (target.isEmpty() || type.isEmpty() || target == alert.webhookId)
        return Ok{};
    if (h.id.isEmpty() || !h.active) {
        qCWarning(lcEngine).noquote() << "operational event" << type << "not sent: the admin webhook" << target << "is missing or inactive";
        return Ok{};
    }
    QJsonObject a{{QStringLiteral("id"), alert.id},
                  {QStringLiteral("kind"), alertKindName(alert.kind)},
                  {QStringLiteral("detail"), alert.detail},
                  {QStringLiteral("at"), isoTime(alert.createdAt)}};
    if (!alert.deliveryId.isEmpty())
        a.insert(QStringLiteral("deliveryId"), alert.deliveryId);
    const QJsonObject data{{QStringLiteral("alert"), a},
                           {QStringLiteral("webhook"), QJsonObject{{QStringLiteral("id"), alert.webhookId},
                                                                   {QStringLiteral("name"), alert.webhookName},
                                                                   {QStringLiteral("tenantId"), alert.tenantId}}}};
    const auto canonical = CanonicalJson::canonicalizeObject(QJsonDocument(data).toJson(QJsonDocument::Compact));
    if (!canonical)
        return Error::database(tr("could not write the operational event's data"));
    // Only to the admin webhook, never through the subscriptions: a webhook
    // subscribed to "*" does not receive them.
    Event event{newId(u"evt_"), h.tenantId, type, now, {}};
    event.body = EventService::envelope(event.id, type, now, h.tenantId, *canonical);
    Delivery d;
    d.id = newId(u"msg_");
    d.eventId = event.id;
    d.webhookId = target;
    d.eventType = type;
    d.tenantId = h.tenantId;
    d.status = DeliveryStatus::Pending;
    d.nextAttemptAt = now;
    d.createdAt = now;
    return EventStore(m_db).insert(event, {d});
}

Result<int> AlertWatch::prune(const QDateTime &now)
{
    const auto mono = Clock::monotonicMs();
    if (m_prunedMs && mono - *m_prunedMs < kPruneIntervalMs)
        return 0;
    m_prunedMs = mono;
    return AlertStore(m_db).prune(now.addMSecs(-kKeepMs));
}

} // namespace hookline
