#pragma once

#include "model/Webhook.h"
#include "signing/Signer.h"

#include <QByteArray>
#include <QDateTime>
#include <QNetworkRequest>
#include <QString>

namespace hookline {

// Everything on the wire for one attempt: method, URL, Hookline's headers
// (type, event, ids, timestamp, signature) before the webhook's own, and the body.
struct OutgoingRequest final {
    QNetworkRequest request;
    QByteArray body;
    HeaderList headers; // in the order they are sent
    QString error;      // signing failed (e.g. a secret the scheme cannot use)
};

class RequestBuilder final {
public:
    RequestBuilder() = delete;

    static QByteArray userAgent();

    // Content-Type, User-Agent, <P>-Event, <P>-Id (webhook), <P>-Delivery-Id,
    // <P>-Timestamp, the scheme's signature header(s), then custom headers.
    static OutgoingRequest build(const Webhook &webhook, const QString &deliveryId, const QString &eventType, const QByteArray &body,
                                 const QDateTime &now, const QByteArray &headerPrefix);
    // The same with the webhook's URL already parsed (the engine parses it
    // once per webhook, not once per delivery).
    static OutgoingRequest build(const Webhook &webhook, const QUrl &url, const QString &deliveryId, const QString &eventType, const QByteArray &body,
                                 const QDateTime &now, const QByteArray &headerPrefix);

    // [["Name","value"],…] as stored on an attempt.
    static QByteArray headersToJson(const HeaderList &headers);
};

} // namespace hookline
