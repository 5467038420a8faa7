#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <memory>
#include <optional>

namespace hookline {

// Webhook secrets at rest: AES-256-GCM (OpenSSL EVP) under the installation's
// 256-bit master key, a fresh 96-bit nonce per value, and the value's row as
// associated data, so that a sealed value copied into another row does not
// open. A sealed value is "v1:" + base64(nonce | ciphertext | tag).
//
// The key lives only in this object and is wiped (OPENSSL_cleanse) when it
// goes; share it as std::shared_ptr<const SecretBox>.
class SecretBox final {
public:
    static constexpr int kKeyBytes = 32;
    static constexpr int kNonceBytes = 12;
    static constexpr int kTagBytes = 16;

    // Null when `key` is not kKeyBytes long.
    static std::shared_ptr<const SecretBox> fromKey(const QByteArray &key);
    // kKeyBytes from OpenSSL's CSPRNG; empty if it fails (never a weaker source).
    static QByteArray generateKey();

    ~SecretBox();
    SecretBox(const SecretBox &) = delete;
    SecretBox &operator=(const SecretBox &) = delete;

    // Empty only if OpenSSL fails (then nothing may be stored).
    QString seal(QStringView plain, QByteArrayView associated) const;
    // Nullopt when `sealed` is not a sealed value, or does not open: another
    // key, another row, or altered. Never garbage.
    std::optional<QString> open(QStringView sealed, QByteArrayView associated) const;
    // Names the key without revealing it: 16 hex digits of a SHA-256 over it.
    QString fingerprint() const { return m_fingerprint; }

private:
    explicit SecretBox(const QByteArray &key);

    unsigned char m_key[kKeyBytes];
    QString m_fingerprint;
};

} // namespace hookline
