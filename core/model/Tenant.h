#pragma once

#include "model/Plan.h"

#include <QDateTime>
#include <QString>

namespace hookline {

struct Tenant final {
    QString id;
    QString plan = Plan::unlimitedName(); // a Plan's name
    QDateTime createdAt;

    static QString defaultId() { return QStringLiteral("default"); }
    static bool isValidId(QStringView id);
};

} // namespace hookline
