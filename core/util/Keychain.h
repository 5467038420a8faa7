#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace hookline {

// A system keychain that keeps the installation's master key (the desktop
// application's, through QtKeychain; the CLI and headless servers have
// none). Core only sees this interface; Installation::setKeychain installs one.
// Calls block until the keychain answers.
class Keychain {
public:
    virtual ~Keychain() = default;
    // For messages: "the system keychain (Secret Service)".
    virtual QString name() const = 0;
    // Nullopt when there is no such entry; an error when the keychain cannot be asked.
    virtual Result<std::optional<QByteArray>> read(const QString &account) = 0;
    virtual Status write(const QString &account, const QByteArray &secret) = 0;
    virtual Status remove(const QString &account) = 0;
};

} // namespace hookline
