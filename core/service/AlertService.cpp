#include "AlertService.h"

#include "store/AlertStore.h"

namespace hookline {

Result<Alerts> AlertService::list(const AlertFilter &filter) const
{
    if (filter.limit < 1 || filter.limit > kMaxLimit)
        return Error::validation(QStringLiteral("limit"), tr("the limit must be between 1 and %1").arg(kMaxLimit));
    return AlertStore(m_db).list(filter);
}

Result<qint64> AlertService::latestId() const
{
    return AlertStore(m_db).latestId();
}

} // namespace hookline
