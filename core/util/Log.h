#pragma once

#include <QLoggingCategory>

namespace hookline {

// One logging category per room of core (and one for the window). Warnings
// and errors are on by default; debug is switched on with QT_LOGGING_RULES
// (QT_LOGGING_RULES="hookline.engine.debug=true") or `hookline-cli -v`.
//
// What is never logged, at any level: secrets, signatures, request and
// response bodies and headers, URLs' query strings. Deliveries and webhooks
// are named by their ids.
Q_DECLARE_LOGGING_CATEGORY(lcEngine)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcService)
Q_DECLARE_LOGGING_CATEGORY(lcUi)

class Log final {
public:
    Log() = delete;

    // Every hookline.* category at debug level too (hookline-cli -v).
    static void enableDebug();
};

} // namespace hookline
