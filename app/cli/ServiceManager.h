#pragma once

#include <QByteArray>

namespace hookline::cli {

// Tells systemd how a Type=notify service is doing (sd_notify's protocol:
// one datagram to $NOTIFY_SOCKET), without linking libsystemd. Outside
// systemd, NOTIFY_SOCKET is unset and every call does nothing.
class ServiceManager final {
public:
    ServiceManager() = delete;

    // "READY=1", "STOPPING=1", "STATUS=…"; whether the message was sent.
    static bool notify(const QByteArray &state);
};

} // namespace hookline::cli
