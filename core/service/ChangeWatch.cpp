#include "service/ChangeWatch.h"

#include "store/Sql.h"

namespace hookline {

ChangeWatch::ChangeWatch(QSqlDatabase db)
    : m_db(std::move(db))
{
    if (!sql::isPostgres(m_db)) {
        m_query = std::make_unique<QSqlQuery>(m_db);
        if (!m_query->prepare(QStringLiteral("PRAGMA data_version")))
            m_query.reset();
    }
}

ChangeWatch::~ChangeWatch() = default;

bool ChangeWatch::changed()
{
    const auto version = m_query ? sql::dataVersion(*m_query) : std::nullopt;
    // Before the first look m_version is empty: that counts as a change.
    const bool changed = !version || version != m_version;
    m_version = version;
    return changed;
}

} // namespace hookline
