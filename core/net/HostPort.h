#pragma once

#include <QHostAddress>
#include <QString>

namespace hookline {

// "203.0.113.7:443", "[::1]:8788": an address and port as a URL's authority
// writes them (IPv6 in brackets).
QString hostAndPort(const QHostAddress &address, quint16 port);

} // namespace hookline
