#pragma once

#include <QByteArray>

namespace hookline {

// The reason phrase of an HTTP status (RFC 9110), for the status lines the
// REST API and the request inspector write.
class HttpStatusText final {
public:
    HttpStatusText() = delete;

    static QByteArray reason(int status);
};

} // namespace hookline
