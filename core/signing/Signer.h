#pragma once

#include "signing/Scheme.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace hookline {

// HTTP headers as (name, value) pairs, in the order they are sent.
using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

struct SignRequest final {
    QByteArray messageId; // required by the schemes that sign it (standard); ignored by the others
    qint64 timestamp = 0; // unix seconds; required (> 0) by the schemes that sign it
    QByteArray body;      // the exact bytes that go on the wire
    // <P> of the schemes' "<P>-Signature" / "<P>-Timestamp" headers (hmac-hex,
    // hmac-base64, timestamped). A trailing '-' is tolerated ("X-FinSight-").
    QByteArray headerPrefix = QByteArrayLiteral("X-Webhook");
};

struct SignResult final {
    HeaderList headers;       // the signature headers to add to the request
    QByteArray signedContent; // what was HMACed, for the delivery log's "debug" view
    QString error;            // empty on success; never contains a secret
    bool ok() const { return error.isEmpty(); }
};

// Produces signature headers for one delivery, as the scheme's
// SchemeDescriptor says: which headers, what is signed, with which key, and
// how the signatures are written. Stateless and thread-safe.
class Signer final {
public:
    Signer() = delete;

    // `secrets` is newest first. Where the header has room for several
    // signatures (standard, stripe) every secret signs: receivers accept any
    // listed signature, which is what makes rotation seamless. Elsewhere only
    // the first secret signs. Duplicate secrets sign once.
    static SignResult sign(Scheme scheme, const QStringList &secrets, const SignRequest &request);

    // The exact bytes that get HMACed (SchemeDescriptor::content), e.g.
    // "id.timestamp.body" for standard. Takes the request as-is, without
    // sign()'s validation.
    static QByteArray signedContent(Scheme scheme, const SignRequest &request);
};

} // namespace hookline
