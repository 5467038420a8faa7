#include "AuditModel.h"

#include "TimeText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace hookline {

namespace {
QString text(const QJsonValue &v)
{
    if (v.isUndefined())
        return {};
    if (v.isNull())
        return AuditModel::tr("(default)");
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? AuditModel::tr("yes") : AuditModel::tr("no");
    if (v.isDouble())
        return QString::number(v.toDouble());
    if (v.isArray()) {
        QStringList parts;
        for (const auto &item : v.toArray())
            parts << text(item);
        return parts.join(QStringLiteral(", "));
    }
    return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}
} // namespace

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AuditModel::describeChanges(const QJsonObject &changes)
{
    QStringList parts;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        const auto v = it.value();
        if (!v.isObject() || !(v.toObject().contains(QStringLiteral("old")) || v.toObject().contains(QStringLiteral("new")))) {
            parts << QStringLiteral("%1: %2").arg(it.key(), text(v));
            continue;
        }
        const auto o = v.toObject();
        if (o.contains(QStringLiteral("old")) && o.contains(QStringLiteral("new")))
            parts << tr("%1: %2 → %3").arg(it.key(), text(o.value(QStringLiteral("old"))), text(o.value(QStringLiteral("new"))));
        else if (o.contains(QStringLiteral("new")))
            parts << QStringLiteral("%1: %2").arg(it.key(), text(o.value(QStringLiteral("new"))));
        else
            parts << tr("%1 was %2").arg(it.key(), text(o.value(QStringLiteral("old"))));
    }
    return parts.join(QStringLiteral("; "));
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const auto &e = m_entries.at(index.row());
    if (role == RawDataRole) {
        switch (index.column()) {
        case At: return e.at;
        case Changes: return e.changes.toVariantMap();
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ToolTipRole && index.column() == At)
        return TimeText::exact(e.at);
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case At: return TimeText::absolute(e.at);
    case Actor: return e.actor;
    case Action: return e.action;
    case Object: return QString(e.objectType + u' ' + e.objectId);
    case Changes: return describeChanges(e.changes);
    default: return {};
    }
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case At: return tr("When");
    case Actor: return tr("Who");
    case Action: return tr("Action");
    case Object: return tr("Object");
    case Changes: return tr("Changes");
    default: return {};
    }
}

void AuditModel::setEntries(QList<AuditEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

} // namespace hookline
