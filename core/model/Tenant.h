#pragma once

#include "model/Plan.h"

#include <QDateTime>
#include <QString>

namespace hookline {

struct Tenant final {
    QString id;
    Plan plan = Plan::Free;
    QDateTime createdAt;

    static QString defaultId() { return QStringLiteral("default"); }
    static bool isValidId(QStringView id);
};

} // namespace hookline
