#include "Log.h"

namespace hookline {

Q_LOGGING_CATEGORY(lcEngine, "hookline.engine", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStore, "hookline.store", QtWarningMsg)
Q_LOGGING_CATEGORY(lcNet, "hookline.net", QtWarningMsg)
Q_LOGGING_CATEGORY(lcService, "hookline.service", QtWarningMsg)
Q_LOGGING_CATEGORY(lcUi, "hookline.ui", QtWarningMsg)

void Log::enableDebug()
{
    QLoggingCategory::setFilterRules(QStringLiteral("hookline.*.debug=true\nhookline.*.info=true"));
}

} // namespace hookline
