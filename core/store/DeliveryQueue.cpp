#include "DeliveryQueue.h"

#include "store/DirectStatement.h"
#include "store/Sql.h"
#include "util/Clock.h"

#include <QHash>
#include <QSet>

namespace hookline {

namespace {
DeliveryJob jobFromRow(const DirectStatement &q)
{
    DeliveryJob j;
    j.deliveryId = q.text(0);
    j.webhookId = q.text(1);
    j.eventId = q.text(2);
    j.eventType = q.text(3);
    j.tenantId = q.text(4);
    j.attempts = int(q.integer(5));
    j.retryBase = int(q.integer(6));
    return j;
}

// A leased delivery given back (its lease run out or taken back, a clean
// stop): due again in its place in line, since a claim leaves
// next_attempt_at as it was. Binds :now.
const QString kBackInLine
    = QStringLiteral("UPDATE deliveries SET status = CASE WHEN attempts = 0 THEN 'pending' ELSE 'retrying' END,"
                     " lease_until = NULL, lease_owner = NULL, next_attempt_at = COALESCE(next_attempt_at, :now), updated_at = :now"
                     " WHERE status = 'delivering' AND ");
} // namespace

QSqlQuery &DeliveryQueue::statement(const QString &text)
{
    auto it = m_statements.find(text);
    if (it == m_statements.end())
        it = m_statements.insert(text, sql::prepare(m_db, text));
    return *it;
}

DirectStatement &DeliveryQueue::direct(const QString &text)
{
    auto it = m_direct.find(text);
    if (it == m_direct.end())
        it = m_direct.insert(text, std::make_shared<DirectStatement>(m_db, text));
    return **it;
}

Result<int> DeliveryQueue::recoverExpiredLeases(const QDateTime &now)
{
    auto &q = statement(kBackInLine + QStringLiteral("lease_until < :now"));
    q.bindValue(QStringLiteral(":now"), sql::toMs(now));
    if (auto s = sql::exec(q, tr("recovering expired leases")); !s)
        return s.error();
    return q.numRowsAffected();
}

Result<QStringList> DeliveryQueue::leaseOwners()
{
    auto &q = statement(QStringLiteral("SELECT DISTINCT lease_owner FROM deliveries WHERE status = 'delivering' AND lease_owner IS NOT NULL"));
    if (auto s = sql::exec(q, tr("reading who holds leases")); !s)
        return s.error();
    QStringList owners;
    while (q.next())
        owners << q.value(0).toString();
    q.finish();
    return owners;
}

Result<int> DeliveryQueue::takeBackLeases(const QString &owner, const QDateTime &now)
{
    auto &q = statement(kBackInLine + QStringLiteral("lease_owner = :owner"));
    q.bindValue(QStringLiteral(":now"), sql::toMs(now));
    q.bindValue(QStringLiteral(":owner"), owner);
    if (auto s = sql::exec(q, tr("taking back a stopped process's leases")); !s)
        return s.error();
    return q.numRowsAffected();
}

Result<int> DeliveryQueue::takeBackAllLeases(const QDateTime &now)
{
    auto &q = statement(kBackInLine + QStringLiteral("1 = 1"));
    q.bindValue(QStringLiteral(":now"), sql::toMs(now));
    if (auto s = sql::exec(q, tr("putting claimed deliveries back in line")); !s)
        return s.error();
    return q.numRowsAffected();
}

Result<QList<DeliveryJob>> DeliveryQueue::claim(int limit, const QDateTime &now, const QDateTime &leaseUntil, const QStringList &skip,
                                                const MayTake &mayTake)
{
    if (limit <= 0)
        return QList<DeliveryJob>();
    // SQLite: one writer at a time, and its planner needs telling which index.
    // PostgreSQL: several engines (other processes, other machines) claim at
    // once; each skips the rows another is claiming instead of waiting.
    const bool postgres = sql::isPostgres(m_db);
    // SQLite also reads each row's rowid: the claim below finds the rows by
    // it, without a second search of the id index for each.
    const QString text
        = QStringLiteral(
              "SELECT id, webhook_id, event_id, event_type, tenant_id, attempts, retry_base%1 FROM deliveries%2 WHERE status IN ('pending','retrying')"
              " AND next_attempt_at <= ?%3 ORDER BY next_attempt_at LIMIT ?%4")
              .arg(postgres ? QString() : QStringLiteral(", rowid"), postgres ? QString() : QStringLiteral(" INDEXED BY deliveries_due"),
                   skip.isEmpty() ? QString() : QStringLiteral(" AND webhook_id NOT IN (%1)").arg(sql::placeholders(skip.size())),
                   postgres ? QStringLiteral(" FOR UPDATE SKIP LOCKED") : QString());
    // The common statement is kept prepared; one with a list of webhooks to
    // skip changes with the list.
    std::optional<DirectStatement> scratch;
    if (!skip.isEmpty())
        scratch.emplace(m_db, text);
    DirectStatement &due = skip.isEmpty() ? direct(text) : *scratch;
    due.bind(sql::toMs(now));
    for (const auto &id : skip)
        due.bind(id);
    // Read more than is wanted when some webhooks may stop short: what one
    // leaves, the next takes.
    due.bind(mayTake ? limit * 2 : limit);
    if (auto s = due.exec(tr("reading due deliveries")); !s)
        return s.error();
    struct Due {
        DeliveryJob job;
        qint64 rowId = 0; // SQLite's
    };
    QStringList webhooks;               // in order of their first due delivery
    QHash<QString, QList<Due>> waiting; // per webhook, its due deliveries in order
    while (due.next()) {
        Due row{jobFromRow(due), postgres ? 0 : due.integer(7)};
        auto it = waiting.find(row.job.webhookId);
        if (it == waiting.end()) {
            webhooks << row.job.webhookId;
            it = waiting.insert(row.job.webhookId, {});
        }
        it->append(std::move(row));
    }
    due.finish();
    QList<DeliveryJob> chosen;
    QList<qint64> chosenRows;
    for (qsizetype round = 0; chosen.size() < limit && !webhooks.isEmpty(); ++round) {
        for (auto it = webhooks.begin(); it != webhooks.end() && chosen.size() < limit;) {
            auto &rows = waiting[*it];
            if (round < rows.size() && (!mayTake || mayTake(*it))) {
                chosen << std::move(rows[round].job);
                chosenRows << rows[round].rowId;
                ++it;
            } else {
                it = webhooks.erase(it); // no more due, or no more room
            }
        }
    }
    if (chosen.isEmpty())
        return QList<DeliveryJob>();
    // The rows were read in this transaction (and on PostgreSQL locked):
    // their status needs no second look, and the jobs are what was read.
    // (Checked anyway, it let SQLite pick a status index over the key and
    // cost 30 times as much.)
    // The list is padded to a power of two with its last id (a repeat changes
    // nothing): a handful of statements prepared once, instead of one parsed
    // for every claim.
    qsizetype width = 8;
    while (width < chosen.size())
        width *= 2;
    auto &take = direct(QStringLiteral("UPDATE deliveries SET status = 'delivering', lease_until = ?, lease_owner = ?, updated_at = ?"
                                       " WHERE %1 IN (%2)")
                            .arg(postgres ? QStringLiteral("id") : QStringLiteral("rowid"), sql::placeholders(width)));
    take.bind(sql::toMs(leaseUntil));
    take.bindText(m_leaseOwner);
    take.bind(sql::toMs(now));
    for (qsizetype i = 0; i < width; ++i) {
        const auto last = std::min(i, chosen.size() - 1);
        if (postgres)
            take.bind(chosen.at(last).deliveryId);
        else
            take.bind(chosenRows.at(last));
    }
    if (auto s = take.exec(tr("claiming due deliveries")); !s)
        return s.error();
    // In the order chosen: the workers send them round-robin too.
    return loadBodies(std::move(chosen));
}

Result<std::optional<DeliveryJob>> DeliveryQueue::claimOne(const QString &deliveryId, const QDateTime &leaseUntil)
{
    auto &q = direct(QStringLiteral("UPDATE deliveries SET status = 'delivering', lease_until = ?, lease_owner = ?, updated_at = ?"
                                    " WHERE id = ? AND status <> 'delivering'"
                                    " RETURNING id, webhook_id, event_id, event_type, tenant_id, attempts, retry_base"));
    q.bind(sql::toMs(leaseUntil));
    q.bindText(m_leaseOwner);
    q.bind(Clock::nowMs());
    q.bind(deliveryId);
    if (auto s = q.exec(tr("claiming a delivery")); !s)
        return s.error();
    QList<DeliveryJob> jobs;
    while (q.next())
        jobs << jobFromRow(q);
    q.finish();
    auto loaded = loadBodies(std::move(jobs));
    if (!loaded)
        return loaded.error();
    if (loaded->isEmpty())
        return std::optional<DeliveryJob>();
    return std::optional<DeliveryJob>(loaded->first());
}

Result<QList<DeliveryJob>> DeliveryQueue::loadBodies(QList<DeliveryJob> jobs)
{
    if (jobs.isEmpty())
        return jobs;
    QHash<QString, QByteArray> bodies;
    QStringList ids;
    for (const auto &j : std::as_const(jobs)) {
        if (!ids.contains(j.eventId))
            ids << j.eventId;
    }
    auto &q = direct(QStringLiteral("SELECT id, body FROM events WHERE id IN (%1)").arg(sql::placeholders(ids.size())));
    for (const auto &id : std::as_const(ids))
        q.bind(id);
    if (auto s = q.exec(tr("reading event bodies")); !s)
        return s.error();
    while (q.next())
        bodies.insert(q.text(0), q.bytes(1));
    q.finish();
    for (auto &j : jobs)
        j.body = bodies.value(j.eventId);
    return jobs;
}

Result<QStringList> DeliveryQueue::record(const QList<AttemptOutcome> &outcomes, const QDateTime &now)
{
    auto &attempt = direct(QStringLiteral("INSERT INTO attempts (delivery_id, number, started_at, duration_ms, request_headers, request_body,"
                                          " response_status, response_headers, response_body, error, remote_address, timings, decision)"
                                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    auto &delivery = direct(
        QStringLiteral("UPDATE deliveries SET status = ?, attempts = attempts + ?, next_attempt_at = ?, lease_until = NULL, lease_owner = NULL,"
                       " updated_at = ?, last_status_code = ?, last_error = ?, last_duration_ms = ? WHERE id = ?"));
    QStringList deactivated;
    QSet<QString> healthy; // webhooks whose failure count this batch already reset
    for (const auto &o : outcomes) {
        const auto &a = o.attempt;
        if (o.attempted) {
            attempt.bind(o.deliveryId);
            attempt.bind(a.number);
            attempt.bind(sql::toMs(a.startedAt));
            attempt.bind(a.durationMs);
            attempt.bindUtf8(a.requestHeaders.isEmpty() ? QByteArrayLiteral("[]") : a.requestHeaders);
            attempt.bindBlob(a.requestBody);
            attempt.bind(std::optional<qint64>(a.responseStatus));
            attempt.bindUtf8(a.responseHeaders.isEmpty() ? QByteArrayLiteral("[]") : a.responseHeaders);
            attempt.bindBlob(a.responseBody);
            attempt.bindText(a.error);
            attempt.bindText(a.remoteAddress);
            attempt.bindUtf8(a.timings);
            attempt.bindText(a.decision);
            if (auto s = attempt.exec(tr("recording an attempt")); !s)
                return s.error();
        }
        delivery.bind(deliveryStatusName(o.status));
        delivery.bind(o.attempted ? 1 : 0);
        delivery.bind(o.status == DeliveryStatus::Retrying || o.status == DeliveryStatus::Pending ? o.nextAttemptAt : QDateTime());
        delivery.bind(sql::toMs(now));
        delivery.bind(std::optional<qint64>(a.responseStatus));
        delivery.bindText(a.error);
        delivery.bind(o.attempted ? std::optional<qint64>(a.durationMs) : std::nullopt);
        delivery.bind(o.deliveryId);
        if (auto s = delivery.exec(tr("recording a delivery's state")); !s)
            return s.error();

        using Effect = AttemptOutcome::WebhookEffect;
        if (o.effect == Effect::Succeeded && !healthy.contains(o.webhookId)) {
            healthy.insert(o.webhookId);
            auto &q = statement(QStringLiteral("UPDATE webhooks SET consecutive_failures = 0 WHERE id = ? AND consecutive_failures <> 0"));
            q.addBindValue(o.webhookId);
            if (auto s = sql::exec(q, tr("counting failures")); !s)
                return s.error();
        } else if (o.effect == Effect::FailedFinally || o.effect == Effect::Gone) {
            healthy.remove(o.webhookId);
            auto &count = statement(QStringLiteral("UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 WHERE id = ?"));
            count.addBindValue(o.webhookId);
            if (auto s = sql::exec(count, tr("counting failures")); !s)
                return s.error();
            // 410 Gone deactivates at once (Standard Webhooks); otherwise after
            // auto_disable_after deliveries in a row ended failed.
            auto &disable = statement(QStringLiteral(
                "UPDATE webhooks SET active = 0, disabled_reason = :reason, disabled_at = :now, updated_at = :now"
                " WHERE id = :id AND active = 1 AND (:gone = 1 OR (auto_disable_after > 0 AND consecutive_failures >= auto_disable_after))"));
            disable.bindValue(QStringLiteral(":reason"), o.reason);
            disable.bindValue(QStringLiteral(":now"), sql::toMs(now));
            disable.bindValue(QStringLiteral(":id"), o.webhookId);
            disable.bindValue(QStringLiteral(":gone"), o.effect == Effect::Gone ? 1 : 0);
            if (auto s = sql::exec(disable, tr("deactivating a webhook")); !s)
                return s.error();
            if (disable.numRowsAffected() > 0)
                deactivated << o.webhookId;
        }
    }
    return deactivated;
}

Status DeliveryQueue::handBack(const QStringList &deliveryIds, const QDateTime &now)
{
    auto &q = statement(kBackInLine + QStringLiteral("id = :id"));
    for (const auto &id : deliveryIds) {
        q.bindValue(QStringLiteral(":now"), sql::toMs(now));
        q.bindValue(QStringLiteral(":id"), id);
        if (auto s = sql::exec(q, tr("handing deliveries back")); !s)
            return s;
    }
    return deliveryIds.isEmpty() ? Status(Ok{}) : sql::notifyDue(m_db);
}

Result<std::optional<QDateTime>> DeliveryQueue::nextDueTime()
{
    auto &q = statement(QStringLiteral("SELECT MIN(next_attempt_at) FROM deliveries WHERE status IN ('pending','retrying')"));
    if (auto s = sql::exec(q, tr("reading the next due time")); !s)
        return s.error();
    std::optional<QDateTime> out;
    if (q.next() && !q.value(0).isNull())
        out = sql::fromMs(q.value(0).toLongLong());
    q.finish();
    return out;
}

Result<int> DeliveryQueue::unfinishedCount()
{
    auto &q = statement(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status IN ('pending','delivering','retrying')"));
    if (auto s = sql::exec(q, tr("counting unfinished deliveries")); !s)
        return s.error();
    const int n = q.next() ? q.value(0).toInt() : 0;
    q.finish();
    return n;
}

Result<bool> DeliveryQueue::anyUnfinished()
{
    auto &q = statement(QStringLiteral("SELECT EXISTS (SELECT 1 FROM deliveries WHERE status IN ('pending','delivering','retrying'))"));
    if (auto s = sql::exec(q, tr("looking for unfinished deliveries")); !s)
        return s.error();
    const bool any = q.next() && q.value(0).toInt() != 0;
    q.finish();
    return any;
}

Result<int> DeliveryQueue::replay(const QStringList &deliveryIds, const QDateTime &now)
{
    auto q = sql::prepare(
        m_db, QStringLiteral("UPDATE deliveries SET status = CASE WHEN attempts = 0 THEN 'pending' ELSE 'retrying' END, retry_base = attempts,"
                             " next_attempt_at = ?, lease_until = NULL, lease_owner = NULL, updated_at = ? WHERE id = ? AND status <> 'delivering'"));
    int n = 0;
    for (const auto &id : deliveryIds) {
        q.addBindValue(sql::toMs(now));
        q.addBindValue(sql::toMs(now));
        q.addBindValue(id);
        if (auto s = sql::exec(q, tr("queueing a replay")); !s)
            return s.error();
        n += q.numRowsAffected();
    }
    if (n > 0) {
        if (auto s = sql::notifyDue(m_db); !s)
            return s.error();
    }
    return n;
}

Result<QStringList> DeliveryQueue::findForReplay(const QString &webhookId, std::optional<DeliveryStatus> status, const QDateTime &since)
{
    QString text = QStringLiteral("SELECT id FROM deliveries WHERE webhook_id = ? AND status IN ('succeeded','failed')");
    if (status)
        text += QStringLiteral(" AND status = ?");
    if (since.isValid())
        text += QStringLiteral(" AND created_at >= ?");
    text += QStringLiteral(" ORDER BY created_at");
    auto q = sql::prepare(m_db, text);
    q.addBindValue(webhookId);
    if (status)
        q.addBindValue(deliveryStatusName(*status));
    if (since.isValid())
        q.addBindValue(sql::toMs(since));
    if (auto s = sql::exec(q, tr("finding deliveries to replay")); !s)
        return s.error();
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    return ids;
}

Result<DeliveryQueue::Pruned> DeliveryQueue::pruneWebhook(const QString &webhookId, int keep, int batch)
{
    // How many it has first: counted in the (webhook_id, created_at) index
    // alone. The cut-off below needs each row's id, which only the table
    // holds, so it reads every row it passes, up to `keep` of them: for a
    // webhook under its retention (most, most of the time) that was all of
    // its rows, spread over every page of the table, at each measure.
    auto &count = statement(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE webhook_id = ?"));
    count.addBindValue(webhookId);
    if (auto s = sql::exec(count, tr("counting a webhook's deliveries")); !s)
        return s.error();
    const qint64 total = count.next() ? count.value(0).toLongLong() : 0;
    count.finish();
    if (total < keep)
        return Pruned{0, int(keep - total)}; // how many fewer tells the keeper when to look again

    // The keep-th newest delivery, by creation time and then id (the order of
    // the history pages): everything before it may go. A batch emit gives
    // thousands the same millisecond, so the id breaks the tie.
    auto &cutoff
        = statement(QStringLiteral("SELECT created_at, id FROM deliveries WHERE webhook_id = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?"));
    cutoff.addBindValue(webhookId);
    cutoff.addBindValue(keep - 1);
    if (auto s = sql::exec(cutoff, tr("finding the retention cut-off")); !s)
        return s.error();
    const bool beyond = cutoff.next();
    const qint64 oldestKept = beyond ? cutoff.value(0).toLongLong() : 0;
    const QString oldestKeptId = beyond ? cutoff.value(1).toString() : QString();
    cutoff.finish();
    if (!beyond)
        return Pruned{}; // fewer after all (PostgreSQL: removed by another transaction since the count); measured again next round
    auto &victims
        = statement(QStringLiteral("SELECT id, event_id FROM deliveries WHERE webhook_id = ? AND created_at <= ? AND (created_at < ? OR id < ?)"
                                   " AND status IN ('succeeded','failed') LIMIT ?"));
    victims.addBindValue(webhookId);
    victims.addBindValue(oldestKept);
    victims.addBindValue(oldestKept);
    victims.addBindValue(oldestKeptId);
    victims.addBindValue(batch);
    if (auto s = sql::exec(victims, tr("finding old deliveries")); !s)
        return s.error();
    QStringList ids;
    QStringList events;
    while (victims.next()) {
        ids << victims.value(0).toString();
        events << victims.value(1).toString();
    }
    victims.finish();
    if (ids.isEmpty())
        return Pruned{};
    // SQLite: nobody else writes inside this transaction. PostgreSQL: a replay
    // in another one may have made a victim pending meanwhile; it stays.
    // (SQLite's planner takes the status index for that test, at 30 times
    // the cost: it is left out where it cannot matter.)
    auto del = sql::prepare(
        m_db, QStringLiteral("DELETE FROM deliveries WHERE id IN (%1)%2")
                  .arg(sql::placeholders(ids.size()), sql::isPostgres(m_db) ? QStringLiteral(" AND status IN ('succeeded','failed')") : QString()));
    for (const auto &id : std::as_const(ids))
        del.addBindValue(id);
    if (auto s = sql::exec(del, tr("deleting old deliveries")); !s)
        return s.error();
    const int removed = del.numRowsAffected();
    events.removeDuplicates();
    auto orphans = sql::prepare(
        m_db, QStringLiteral("DELETE FROM events WHERE id IN (%1) AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id)")
                  .arg(sql::placeholders(events.size())));
    for (const auto &id : std::as_const(events))
        orphans.addBindValue(id);
    if (auto s = sql::exec(orphans, tr("deleting events without deliveries")); !s)
        return s.error();
    return Pruned{removed, 0};
}

Result<std::pair<int, int>> DeliveryQueue::pageCounts()
{
    if (sql::isPostgres(m_db))
        return std::pair<int, int>(0, 0); // its autovacuum reuses the space
    int counts[2] = {0, 0};
    const QString pragmas[2] = {QStringLiteral("PRAGMA freelist_count"), QStringLiteral("PRAGMA page_count")};
    for (int i = 0; i < 2; ++i) {
        auto &q = statement(pragmas[i]);
        if (auto s = sql::exec(q, tr("reading the file's page counts")); !s)
            return s.error();
        counts[i] = q.next() ? q.value(0).toInt() : 0;
        q.finish();
    }
    return std::pair<int, int>(counts[0], counts[1]);
}

Result<qint64> DeliveryQueue::fileBytes()
{
    if (sql::isPostgres(m_db))
        return qint64(0);
    auto counts = pageCounts();
    if (!counts)
        return counts.error();
    auto &q = statement(QStringLiteral("PRAGMA page_size"));
    if (auto s = sql::exec(q, tr("reading the file's page size")); !s)
        return s.error();
    const qint64 pageSize = q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return pageSize * counts->second;
}

Status DeliveryQueue::vacuum()
{
    if (sql::isPostgres(m_db))
        return Ok{};
    m_statements.clear(); // VACUUM fails while a statement of this connection is open
    if (auto s = sql::exec(m_db, QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"), tr("turning incremental vacuum on")); !s)
        return s;
    return sql::exec(m_db, QStringLiteral("VACUUM"), tr("rewriting the database file"));
}

Result<int> DeliveryQueue::releaseFreePages(int pages)
{
    if (sql::isPostgres(m_db) || pages <= 0)
        return 0;
    auto &mode = statement(QStringLiteral("PRAGMA auto_vacuum"));
    if (auto s = sql::exec(mode, tr("reading the vacuum mode")); !s)
        return s.error();
    const bool incremental = mode.next() && mode.value(0).toInt() == 2;
    mode.finish();
    if (!incremental)
        return 0; // freed pages are still reused for new rows; only the file keeps its size
    const auto before = pageCounts();
    if (!before)
        return before.error();
    // SQLite frees one page per step of this pragma, and Qt steps a statement
    // without columns once: one execution per page.
    auto &q = statement(QStringLiteral("PRAGMA incremental_vacuum(1)"));
    for (int i = 0; i < std::min(pages, before->first); ++i) {
        if (auto s = sql::exec(q, tr("giving free pages back")); !s)
            return s.error();
        q.finish();
    }
    const auto after = pageCounts();
    if (!after)
        return after.error();
    return before->second - after->second;
}

} // namespace hookline
