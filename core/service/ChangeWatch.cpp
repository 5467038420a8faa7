#include "service/ChangeWatch.h"

#include "store/Sql.h"

namespace hookline {

bool ChangeWatch::changed()
{
    const auto version = sql::dataVersion(m_db);
    const bool changed = m_first || !version || version != m_version;
    m_first = false;
    m_version = version;
    return changed;
}

} // namespace hookline
