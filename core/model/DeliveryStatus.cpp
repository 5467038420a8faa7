#include "DeliveryStatus.h"

#include <array>

namespace hookline {

namespace {
constexpr std::array<const char *, 5> kNames{"pending", "delivering", "retrying", "succeeded", "failed"};
}

QString deliveryStatusName(DeliveryStatus status)
{
    return QString::fromLatin1(kNames[size_t(status)]);
}

std::optional<DeliveryStatus> deliveryStatusFromName(QStringView name)
{
    for (size_t i = 0; i < kNames.size(); ++i) {
        if (name == QLatin1StringView(kNames[i]))
            return DeliveryStatus(i);
    }
    return std::nullopt;
}

QStringList deliveryStatusNames()
{
    QStringList names;
    for (const char *n : kNames)
        names << QString::fromLatin1(n);
    return names;
}

} // namespace hookline
