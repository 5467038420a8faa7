#pragma once

#include <QLoggingCategory>

namespace hookline::api {

// "hookline.api": one line per request (method, path, status, duration,
// tenant, key id) and the server's own notes. Never a key, a secret or a body.
Q_DECLARE_LOGGING_CATEGORY(lcApi)

} // namespace hookline::api
