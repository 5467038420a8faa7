#include "Tenant.h"

#include <QRegularExpression>

namespace hookline {

bool Tenant::isValidId(QStringView id)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return re.match(id).hasMatch();
}

} // namespace hookline
