#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>

namespace hookline {

// Webhook signing secrets. A secret is a string the receiver pastes into their
// code; how it becomes an HMAC key depends on the scheme (SchemeDescriptor::key):
// `standard` base64-decodes it, every other scheme uses its UTF-8 bytes as-is.
class Secret final {
public:
    Secret() = delete;

    static inline constexpr QStringView prefix = u"whsec_";
    static inline constexpr int generatedKeyBytes = 24;

    // "whsec_" + base64 of 24 bytes from OpenSSL RAND_bytes (the Standard
    // Webhooks format, so the same secret also works with Svix-style receiver
    // libraries). Returns an empty string if the CSPRNG fails: we never fall
    // back to a weaker generator, so callers must treat empty as an error.
    static QString generate();
    // `count` bytes from OpenSSL's CSPRNG (RAND_bytes); empty if it fails.
    // Every secret, key and token Hookline makes comes from here.
    static QByteArray randomBytes(int count);

    // The HMAC key of the `standard` scheme: base64 decode of the part after
    // "whsec_" (or of the whole string when there is no prefix, as the Standard
    // Webhooks libraries do). Missing '=' padding is tolerated. On failure
    // returns nullopt and, if `error` is set, a sentence that never quotes the
    // secret itself.
    static std::optional<QByteArray> standardKey(QStringView secret, QString *error = nullptr);
    // An `error` of standardKey() in the user's language, for messages shown to
    // a person; standardKey() itself answers in English, since a signing
    // failure is written into the delivery history.
    static QString translatedError(const QString &error);

    // For UI and logs: "whsec_" (if present) + a fixed run of bullets + the last
    // four characters, e.g. "whsec_••••••••LaSw". The bullet count does not
    // depend on the secret's length, and secrets too short for four characters
    // to be a small fraction of them show no tail at all, so a mask never gives
    // away the middle (or much of anything) of a secret.
    static QString mask(QStringView secret);

    // Overwrites the characters of `secret` (OPENSSL_cleanse) and empties it.
    // Only this copy's buffer: shared copies elsewhere are their holders' to wipe.
    static void wipe(QString &secret);
};

} // namespace hookline
