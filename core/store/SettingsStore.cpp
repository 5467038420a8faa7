#include "SettingsStore.h"

#include "store/Sql.h"

namespace hookline {

Result<std::optional<QString>> SettingsStore::value(const QString &key) const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    if (auto s = sql::exec(q, tr("reading a setting")); !s)
        return s.error();
    if (!q.next())
        return std::optional<QString>();
    return std::optional<QString>(q.value(0).toString());
}

Result<QMap<QString, QString>> SettingsStore::all() const
{
    auto q = sql::prepare(m_db, QStringLiteral("SELECT key, value FROM settings"));
    if (auto s = sql::exec(q, tr("reading the settings")); !s)
        return s.error();
    QMap<QString, QString> out;
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toString());
    return out;
}

Status SettingsStore::setValue(const QString &key, const QString &value)
{
    auto q = sql::prepare(m_db, QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?)"
                                               " ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(key);
    q.addBindValue(value);
    return sql::exec(q, tr("saving a setting"));
}

Status SettingsStore::remove(const QString &key)
{
    auto q = sql::prepare(m_db, QStringLiteral("DELETE FROM settings WHERE key = ?"));
    q.addBindValue(key);
    return sql::exec(q, tr("removing a setting"));
}

} // namespace hookline
