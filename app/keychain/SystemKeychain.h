#pragma once

#include "util/Keychain.h"

#include <QCoreApplication>

#include <memory>

namespace hookline {

// The desktop's keychain (Secret Service on Linux: GNOME Keyring, KWallet)
// through QtKeychain, for the installation's master key. Both front ends
// install it when one answers, so the CLI opens what the window created.
// A headless server has none: HOOKLINE_MASTER_KEY or the key file serve.
class SystemKeychain final : public Keychain {
    Q_DECLARE_TR_FUNCTIONS(hookline::SystemKeychain)
public:
    static constexpr auto kService = "Hookline";

    // A keychain when one answers within `timeoutMs`; null otherwise (no
    // D-Bus session, no Secret Service), with the reason in `why`.
    static std::shared_ptr<SystemKeychain> probe(QString *why = nullptr, int timeoutMs = 5000);

    QString name() const override;
    Result<std::optional<QByteArray>> read(const QString &account) override;
    Status write(const QString &account, const QByteArray &secret) override;
    Status remove(const QString &account) override;

private:
    explicit SystemKeychain(int timeoutMs)
        : m_timeoutMs(timeoutMs)
    {
    }
    int m_timeoutMs;
};

} // namespace hookline
