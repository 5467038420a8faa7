#pragma once

#include "model/DeliveryStatus.h"

#include <QCoreApplication>

namespace hookline {

// A delivery status as the window shows it, in the user's language; the
// database and the CLI keep the English names of deliveryStatusName().
class StatusText final {
    Q_DECLARE_TR_FUNCTIONS(StatusText)

public:
    StatusText() = delete;

    static QString label(DeliveryStatus status)
    {
        switch (status) {
        case DeliveryStatus::Pending: return tr("pending");
        case DeliveryStatus::Delivering: return tr("delivering");
        case DeliveryStatus::Retrying: return tr("retrying");
        case DeliveryStatus::Succeeded: return tr("succeeded");
        case DeliveryStatus::Failed: return tr("failed");
        }
        return deliveryStatusName(status);
    }
};

} // namespace hookline
