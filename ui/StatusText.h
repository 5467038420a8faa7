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
        case DeliveryStatus::Pending: return tr("Waiting");
        case DeliveryStatus::Delivering: return tr("Being delivered");
        case DeliveryStatus::Retrying: return tr("Waiting to retry");
        case DeliveryStatus::Succeeded: return tr("Succeeded");
        case DeliveryStatus::Failed: return tr("Failed");
        }
        return deliveryStatusName(status);
    }
};

} // namespace hookline
