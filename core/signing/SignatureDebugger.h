#pragma once

#include "signing/Verifier.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace hookline {

// What the debugger is given: a request as a receiver got it (or as it was
// sent), and the secrets to try, the current one first, then the ones it
// replaced (a webhook's rotation history).
struct SignatureCase final {
    HeaderList headers;
    QByteArray body;
    QStringList secrets;
    QByteArray headerPrefix = QByteArrayLiteral("X-Webhook"); // the installation's
    std::optional<Scheme> scheme;                             // unset: detected
    qint64 now = 0;                                           // unix seconds; 0: now
    int toleranceSeconds = 300;
};

// One mistake the debugger recognised, with the one-line fix.
struct SignatureFinding final {
    enum class Kind {
        SvixHeaderNames,  // svix-* headers: the standard scheme under Svix's names (information)
        OtherPrefix,      // "<P>-Signature" with another prefix than the installation's
        PreviousSecret,   // verifies with a secret from before a rotation
        OutsideTolerance, // verifies, but the timestamp is too old or too new
        BodyReserialised, // verifies over the body's compact JSON: the body was parsed and written again
        TrailingNewline,  // verifies without the body's trailing line break
        WhsecAsText,      // the signature was made with "whsec_…" as text, not its decoded bytes
        WhsecDecoded,     // the signature was made with the decoded bytes where the scheme uses the text
        WrongEncoding,    // the digest is hex where the scheme writes base64, or the reverse
    };
    Kind kind;
    QString message;
    QString fix;
};

struct SignatureDiagnosis final {
    bool valid = false; // with the secrets, the body and the time exactly as given
    std::optional<Scheme> scheme;
    QString reason;            // Verifier's sentence for the first secret
    QByteArray signedContent;  // the exact bytes HMACed
    QString visibleContent;    // the same, invisible characters shown (visible())
    QByteArray expected;       // the header value the first secret gives
    QByteArray given;          // the header value received
    qsizetype firstDifference; // index where expected and given first differ; -1 if they do not
    int secretIndex = -1;      // which secret verified (0: the current one), -1: none
    QList<SignatureFinding> findings;
};

// The signature debugger: verifies like a receiver, then tries the usual
// mistakes one by one and says which one explains the signature it was given.
class SignatureDebugger final {
    Q_DECLARE_TR_FUNCTIONS(hookline::SignatureDebugger)
public:
    SignatureDebugger() = delete;

    static SignatureDiagnosis diagnose(const SignatureCase &input);
    // One pasted or typed header, "Name: value" (both trimmed); nullopt
    // when there is no name before a colon.
    static std::optional<std::pair<QByteArray, QByteArray>> headerFromLine(QStringView line);
    // Bytes as text with what cannot be seen made visible: "↵" for a line
    // feed (and a new line after it), "←" for a carriage return, "→" for a tab, "·" for a space at
    // the end of a line, "\xNN" for other control bytes and invalid UTF-8.
    static QString visible(QByteArrayView bytes);
};

} // namespace hookline
