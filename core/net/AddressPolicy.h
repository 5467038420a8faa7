#pragma once

#include <QHostAddress>
#include <QString>

#include <optional>

namespace hookline {

// Which destinations a webhook may not reach unless the installation allows
// private addresses: the defence against server-side request forgery (a
// webhook pointed at 169.254.169.254 or at the admin port of a local service).
class AddressPolicy final {
public:
    AddressPolicy() = delete;

    // Why `address` is not a public unicast address ("loopback", "private
    // (RFC 1918)", ...), or nullopt when it is one.
    static std::optional<QString> whyForbidden(const QHostAddress &address);
    // For a URL host: a literal address, or a name that always means this
    // machine ("localhost", "*.localhost"). Names that need DNS return nullopt.
    static std::optional<QString> whyForbiddenHost(const QString &host);
    // A reason from whyForbidden*() in the user's language, for messages shown
    // to a person. The reasons themselves stay English: the engine writes them
    // into the delivery history.
    static QString translatedReason(const QString &reason);
};

} // namespace hookline
