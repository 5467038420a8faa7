#include "Alert.h"

#include <array>

namespace hookline {

namespace {
constexpr std::array<const char *, 5> kNames{"failing", "disabled", "gone", "recovered", "reenabled"};
}

QString alertKindName(Alert::Kind kind)
{
    return QString::fromLatin1(kNames[size_t(kind)]);
}

std::optional<Alert::Kind> alertKindFromName(QStringView name)
{
    for (size_t i = 0; i < kNames.size(); ++i) {
        if (name == QLatin1StringView(kNames[i]))
            return Alert::Kind(i);
    }
    return std::nullopt;
}

QString alertEventType(Alert::Kind kind)
{
    switch (kind) {
    case Alert::Kind::Failing: return QStringLiteral("hookline.webhook.failing");
    case Alert::Kind::Disabled:
    case Alert::Kind::Gone: return QStringLiteral("hookline.webhook.disabled");
    case Alert::Kind::Recovered: return QStringLiteral("hookline.webhook.recovered");
    case Alert::Kind::Reenabled: break;
    }
    return {};
}

} // namespace hookline
