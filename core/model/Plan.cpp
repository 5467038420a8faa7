#include "Plan.h"

namespace hookline {

bool Plan::isValidName(QStringView name)
{
    if (name.isEmpty() || name.size() > 32)
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_' || c == u'-';
    });
}

} // namespace hookline
