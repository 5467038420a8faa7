#include "AppIcon.h"

namespace hookline {

QIcon AppIcon::icon()
{
    static const QIcon icon = [] {
        QIcon i;
        for (const int size : {16, 22, 24, 32, 48, 64, 128, 256})
            i.addFile(QStringLiteral(":/icons/hicolor/%1x%1/apps/" HOOKLINE_APP_ID ".png").arg(size), QSize(size, size));
        return i;
    }();
    return icon;
}

} // namespace hookline
