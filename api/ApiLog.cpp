#include "ApiLog.h"

namespace hookline::api {

Q_LOGGING_CATEGORY(lcApi, "hookline.api", QtInfoMsg)

} // namespace hookline::api
