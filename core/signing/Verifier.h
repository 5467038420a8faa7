#pragma once

#include "signing/Scheme.h"
#include "signing/Signer.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace hookline {

struct VerifyRequest final {
    HeaderList headers; // as received; names are matched case-insensitively
    QByteArray body;    // the exact bytes received
    // Preferred <P> for the schemes with "<P>-…" headers. If no
    // "<P>-Signature" header exists, any other "*-Signature" header is used, so
    // a pasted X-FinSight-Signature verifies without configuring the prefix.
    QByteArray headerPrefix = QByteArrayLiteral("X-Webhook");
    std::optional<Scheme> scheme; // unset: Verifier::detect() picks it
    qint64 now = 0;               // unix seconds; 0 -> current time
    // Allowed |now - timestamp| for the schemes that sign one, checked
    // both ways: too old is a replay, too new is a skewed or forged clock.
    // A negative value disables the check (e.g. re-verifying an old delivery
    // from the log).
    int toleranceSeconds = 300;
};

struct VerifyResult final {
    bool valid = false;
    std::optional<Scheme> scheme; // the scheme used (given or detected)
    QByteArray signedContent;     // what we HMACed, when we got that far
    QByteArray expected;          // the full header value we would send, e.g. "v1,<b64>"
    QByteArray given;             // the signature header value found
    QString reason;               // a human sentence; "signature valid" when valid
};

// Checks a received webhook against a secret, the receiving side of Signer
// (used by the "test my endpoint" tooling and the CLI's verify command). It
// recomputes the signature with Signer and compares in constant time.
class Verifier final {
public:
    Verifier() = delete;

    static VerifyResult verify(const QString &secret, const VerifyRequest &request);

    // Guesses the scheme from header names and values (names case-insensitive),
    // reading the SchemeDescriptor table. A scheme's fixed signature header
    // names it (webhook-signature -> standard, X-Hub-Signature-256 -> github,
    // Stripe-Signature -> stripe). Otherwise each "<P>-Signature", <P> being
    // any prefix, is matched against the prefixed schemes: by the tag of its
    // value ("sha256=..." -> timestamped), or without a tag by the shape of a
    // bare digest (64 hex characters -> hmac-hex, 44 base64 -> hmac-base64),
    // and only if the scheme's other headers (<P>-Timestamp) are there too.
    // On failure `why` (if set) says what was seen.
    //
    // Detection is for tooling (pasted headers, "which scheme is this?"). A
    // production receiver must pin VerifyRequest::scheme: the timestamped
    // schemes sign "ts.body", so a detected scheme lets an attacker re-frame
    // such a signature as e.g. a github delivery of the body "ts.body", which
    // has no timestamp and thus no replay protection.
    static std::optional<Scheme> detect(const HeaderList &headers, QString *why = nullptr);
};

} // namespace hookline
