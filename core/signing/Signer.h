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
    QByteArray messageId;   // required by `standard` (webhook-id); ignored by the others
    qint64 timestamp = 0;   // unix seconds; required (> 0) by the timestamped schemes
    QByteArray body;        // the exact bytes that go on the wire
    // <P> of the "<P>-Signature" / "<P>-Timestamp" headers of hmac-hex,
    // hmac-base64 and timestamped. A trailing '-' is tolerated ("X-FinSight-").
    QByteArray headerPrefix = QByteArrayLiteral("X-Webhook");
};

struct SignResult final {
    HeaderList headers;        // the signature headers to add to the request
    QByteArray signedContent;  // what was HMACed, for the delivery log's "debug" view
    QString error;             // empty on success; never contains a secret
    bool ok() const { return error.isEmpty(); }
};

// Produces signature headers for one delivery. Stateless and thread-safe.
//
//   standard     webhook-id, webhook-timestamp, webhook-signature: v1,<b64> [v1,<b64> ...]
//   hmac-hex     <P>-Signature: <hex>
//   hmac-base64  <P>-Signature: <b64>
//   timestamped  <P>-Signature: sha256=<hex>, <P>-Timestamp: <ts>
//   github       X-Hub-Signature-256: sha256=<hex>
//   stripe       Stripe-Signature: t=<ts>,v1=<hex>[,v1=<hex> ...]
class Signer final {
public:
    Signer() = delete;

    // `secrets` is newest first. Under standard and stripe every secret signs
    // (receivers accept any listed signature, which is what makes rotation
    // seamless); the other schemes have room for one signature, so only the
    // first secret signs. Duplicate secrets sign once.
    static SignResult sign(Scheme scheme, const QStringList &secrets, const SignRequest &request);

    // The exact bytes that get HMACed: "id.timestamp.body" (standard),
    // "timestamp.body" (timestamped, stripe) or the body (the rest). Takes the
    // request as-is, without sign()'s validation.
    static QByteArray signedContent(Scheme scheme, const SignRequest &request);
};

} // namespace hookline
