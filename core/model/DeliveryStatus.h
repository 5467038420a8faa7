#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace hookline {

enum class DeliveryStatus { Pending, Delivering, Retrying, Succeeded, Failed };

QString deliveryStatusName(DeliveryStatus status);
std::optional<DeliveryStatus> deliveryStatusFromName(QStringView name);
QStringList deliveryStatusNames();
inline bool isFinal(DeliveryStatus s)
{
    return s == DeliveryStatus::Succeeded || s == DeliveryStatus::Failed;
}

} // namespace hookline
