#pragma once

#include "signing/Scheme.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <array>
#include <optional>
#include <span>

namespace hookline {

// The bytes a scheme HMACs: the parts, joined by '.'.
enum class SignedContent { Body, TimestampBody, IdTimestampBody };

// How a secret becomes the HMAC key.
enum class SecretKey {
    Text,        // its UTF-8 bytes, exactly as the receiver copied it
    WhsecBase64, // the base64 after "whsec_" decoded (Secret::standardKey)
};

// How each raw 32-byte digest is written.
enum class SignatureEncoding { Hex, Base64 };

// One header a scheme writes.
struct SchemeHeader final {
    enum class Carries { Nothing, MessageId, Timestamp, Signature };

    Carries carries = Carries::Nothing; // Nothing marks an unused slot
    QByteArrayView name = {};           // the whole name, or what follows <P>
    bool afterPrefix = false;           // "<P>" + name, <P> being the header prefix

    bool isUsed() const { return carries != Carries::Nothing; }
    // `prefix` comes without its trailing '-'; fixed names ignore it.
    QByteArray resolved(QByteArrayView prefix) const;
};

// The value of the signature header: entries of `tag` + encoded digest.
struct SignatureFormat final {
    SignatureEncoding encoding = SignatureEncoding::Hex;
    QByteArrayView tag = {}; // before each signature: "sha256=", "v1,", "v1=" or nothing
    // Between the entries of a header with room for one signature per
    // current secret (' ', ','). 0: room for one signature, so only the
    // newest secret signs.
    char separator = 0;
    QByteArrayView timestampTag = {}; // an entry "<tag><ts>" ahead of the signatures ("t="); empty: none
    QByteArrayView entryName = {};    // how a reason names a signature entry of a list ("v1, entry")
};

// A header an older version of the scheme sent. It is never read as a
// "<P>-Signature", and a reason names it when the scheme's own header is
// missing, since that is the usual cause.
struct SupersededHeader final {
    QByteArrayView name = {}; // "X-Hub-Signature"
    QByteArrayView what = {}; // "SHA-1"
};

// What a signing scheme is, as data: one entry per Scheme in the table of
// SchemeDescriptor.cpp. Signer, Verifier (detection included), the scheme
// names, the form's picker and the CLI's help all read that table, so a new
// scheme is an enumerator, an entry and its tests.
struct SchemeDescriptor final {
    // lupdate context of `label` and `help`: the window shows them through
    // QCoreApplication::translate(kTranslationContext, …).
    static constexpr const char *kTranslationContext = "hookline::SchemeDescriptor";

    Scheme scheme;
    // Stored in the database and the config files: never rename one.
    QStringView name;
    SignedContent content;
    SecretKey key;
    std::array<SchemeHeader, 3> headers; // in the order they are sent; exactly one carries the signature
    SignatureFormat signature;
    SupersededHeader superseded;
    const char *label; // the picker's text, English
    const char *help;  // one line for the CLI's help and the picker's tooltip, English

    // The timestamp and the message id are signed exactly when a header (or
    // the signature's timestamp entry) carries them to the receiver.
    bool usesTimestamp() const { return content != SignedContent::Body; }
    bool usesMessageId() const { return content == SignedContent::IdTimestampBody; }
    bool usesPrefix() const;
    bool signsWithEverySecret() const { return signature.separator != 0; }
    const SchemeHeader &signatureHeader() const;

    QByteArray signedContent(const QByteArray &messageId, qint64 timestamp, const QByteArray &body) const;
    // On failure nullopt and, if `error` is set, a sentence that never quotes the secret.
    std::optional<QByteArray> hmacKey(QStringView secret, QString *error = nullptr) const;

    // Every scheme, in the order of Scheme's enumerators (and of the pickers).
    static std::span<const SchemeDescriptor> all();
    static const SchemeDescriptor *find(Scheme scheme);
    static const SchemeDescriptor *find(QStringView name);
    // Every header name some scheme writes, each once: the "<P>-…" ones first
    // (built from `prefix` as given), then the fixed ones.
    static QStringList headerNames(const QString &prefix);
};

} // namespace hookline
