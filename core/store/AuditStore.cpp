#include "store/AuditStore.h"

#include "store/Sql.h"

#include <QJsonDocument>

namespace hookline {

Status AuditStore::append(const AuditEntry &e)
{
    auto q = sql::prepare(m_db, QStringLiteral("INSERT INTO audit_log (at, actor, action, object_type, object_id, changes)"
                                               " VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(sql::toMs(e.at));
    q.addBindValue(e.actor);
    q.addBindValue(e.action);
    q.addBindValue(e.objectType);
    q.addBindValue(e.objectId);
    q.addBindValue(QString::fromUtf8(QJsonDocument(e.changes).toJson(QJsonDocument::Compact)));
    return sql::exec(q, tr("recording the change in the audit log"));
}

Result<QList<AuditEntry>> AuditStore::list(const AuditFilter &filter) const
{
    QString statement = QStringLiteral("SELECT id, at, actor, action, object_type, object_id, changes FROM audit_log WHERE 1 = 1");
    QVariantList values;
    if (filter.since.isValid()) {
        statement += QStringLiteral(" AND at >= ?");
        values << sql::toMs(filter.since);
    }
    if (!filter.objectId.isEmpty()) {
        statement += QStringLiteral(" AND object_id = ?");
        values << filter.objectId;
    }
    statement += QStringLiteral(" ORDER BY at DESC, id DESC LIMIT ?");
    values << std::max(1, filter.limit);
    auto q = sql::prepare(m_db, statement);
    for (const auto &v : std::as_const(values))
        q.addBindValue(v);
    if (auto s = sql::exec(q, tr("reading the audit log")); !s)
        return s.error();
    QList<AuditEntry> out;
    while (q.next()) {
        AuditEntry e;
        e.id = q.value(0).toLongLong();
        e.at = sql::fromMs(q.value(1).toLongLong());
        e.actor = q.value(2).toString();
        e.action = q.value(3).toString();
        e.objectType = q.value(4).toString();
        e.objectId = q.value(5).toString();
        e.changes = QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object();
        out << e;
    }
    return out;
}

Status AuditStore::prune(const QString &objectType, const QString &objectId, int keep)
{
    auto q = sql::prepare(m_db,
                          QStringLiteral("DELETE FROM audit_log WHERE object_type = :type AND object_id = :id AND id NOT IN"
                                         " (SELECT id FROM audit_log WHERE object_type = :type AND object_id = :id ORDER BY id DESC LIMIT :keep)"));
    q.bindValue(QStringLiteral(":type"), objectType);
    q.bindValue(QStringLiteral(":id"), objectId);
    q.bindValue(QStringLiteral(":keep"), std::max(1, keep));
    return sql::exec(q, tr("pruning the audit log"));
}

} // namespace hookline
