#include "EventTypeStore.h"

#include "store/Sql.h"
#include "util/Clock.h"

namespace hookline {

namespace {
const QString kColumns = QStringLiteral("name, group_name, description, sample_payload, catalog");

EventType fromRow(const QSqlQuery &q)
{
    EventType t;
    t.name = q.value(0).toString();
    t.group = q.value(1).toString();
    t.description = q.value(2).toString();
    t.samplePayload = q.value(3).toString().toUtf8();
    t.catalog = q.value(4).toString();
    return t;
}
} // namespace

Result<QList<EventType>> EventTypeStore::list() const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT %1 FROM event_types ORDER BY name").arg(kColumns));
    if (auto s = sql::exec(q, tr("listing event types")); !s)
        return s.error();
    QList<EventType> out;
    while (q.next())
        out << fromRow(q);
    return out;
}

Result<std::optional<EventType>> EventTypeStore::find(const QString &name) const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT %1 FROM event_types WHERE name = ?").arg(kColumns));
    q.addBindValue(name);
    if (auto s = sql::exec(q, tr("reading an event type")); !s)
        return s.error();
    if (!q.next())
        return std::optional<EventType>();
    return std::optional<EventType>(fromRow(q));
}

Status EventTypeStore::upsert(const EventType &type)
{
    auto q = sql::prepare(m_db,
                          QStringLiteral("INSERT INTO event_types (name, group_name, description, sample_payload, catalog, updated_at)"
                                         " VALUES (?, ?, ?, ?, ?, ?)"
                                         " ON CONFLICT (name) DO UPDATE SET group_name = excluded.group_name, description = excluded.description,"
                                         " sample_payload = excluded.sample_payload, catalog = excluded.catalog, updated_at = excluded.updated_at"));
    q.addBindValue(type.name);
    q.addBindValue(type.group);
    q.addBindValue(sql::text(type.description));
    q.addBindValue(QString::fromUtf8(type.samplePayload));
    q.addBindValue(type.catalog);
    q.addBindValue(Clock::nowMs());
    return sql::exec(q, tr("saving an event type"));
}

Status EventTypeStore::remove(const QString &name)
{
    auto q = sql::prepare(m_db, QStringLiteral("DELETE FROM event_types WHERE name = ? AND builtin = 0"));
    q.addBindValue(name);
    return sql::exec(q, tr("deleting an event type"));
}

} // namespace hookline
