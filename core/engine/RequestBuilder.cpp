#include "RequestBuilder.h"

#include "json/CanonicalJson.h"

#include <QUrl>

#include <algorithm>

namespace hookline {

QByteArray RequestBuilder::userAgent()
{
    return QByteArrayLiteral("Hookline-Webhooks/" HOOKLINE_VERSION);
}

OutgoingRequest RequestBuilder::build(const Webhook &webhook, const QString &deliveryId, const QString &eventType, const QByteArray &body,
                                      const QDateTime &now, const QByteArray &prefix)
{
    return build(webhook, QUrl(webhook.url), deliveryId, eventType, body, now, prefix);
}

OutgoingRequest RequestBuilder::build(const Webhook &webhook, const QUrl &url, const QString &deliveryId, const QString &eventType,
                                      const QByteArray &body, const QDateTime &now, const QByteArray &prefix)
{
    OutgoingRequest out;
    out.body = body;
    const qint64 timestamp = now.toSecsSinceEpoch();
    const QByteArray ts = QByteArray::number(timestamp);
    auto &h = out.headers;
    h.reserve(10 + webhook.headers.size());
    h.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    h.append({QByteArrayLiteral("User-Agent"), userAgent()});
    h.append({prefix + "-Event", eventType.toUtf8()});
    h.append({prefix + "-Id", webhook.id.toUtf8()});
    h.append({prefix + "-Delivery-Id", deliveryId.toUtf8()});
    h.append({prefix + "-Timestamp", ts});

    SignRequest sign;
    sign.messageId = deliveryId.toUtf8();
    sign.timestamp = timestamp;
    sign.body = body;
    sign.headerPrefix = prefix;
    const auto signedHeaders = Signer::sign(webhook.scheme, webhook.signingSecrets(now), sign);
    if (!signedHeaders.ok()) {
        out.error = signedHeaders.error;
        return out;
    }
    for (const auto &pair : signedHeaders.headers) {
        // The timestamped scheme names <P>-Timestamp too: it is already there, same value.
        if (pair.first.compare(QByteArray(prefix + "-Timestamp"), Qt::CaseInsensitive) != 0)
            h.append(pair);
    }
    for (const auto &custom : webhook.headers)
        h.append({custom.name.toUtf8(), custom.value.toUtf8()});

    out.request.setUrl(url);
    for (const auto &[name, value] : std::as_const(h))
        out.request.setRawHeader(name, value);
    // Redirects are failures, never followed: a receiver must not bounce a
    // signed payload to a host the administrator never approved.
    out.request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    out.request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    out.request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    out.request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    out.request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    out.request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    return out;
}

namespace {
// JSON.stringify of a header's bytes read as UTF-8. Names and almost every
// value are printable ASCII, which JSON keeps as it is: those are copied
// (this runs twice per delivery); anything else goes through the full quoting.
void appendQuoted(QByteArray &out, const QByteArray &bytes)
{
    const bool plain = std::all_of(bytes.cbegin(), bytes.cend(), [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; });
    if (!plain) {
        out += CanonicalJson::quote(QString::fromUtf8(bytes));
        return;
    }
    out += '"';
    out += bytes;
    out += '"';
}
} // namespace

QByteArray RequestBuilder::headersToJson(const HeaderList &headers)
{
    qsizetype size = 2;
    for (const auto &[name, value] : headers)
        size += name.size() + value.size() + 8;
    QByteArray out;
    out.reserve(size);
    out += '[';
    for (qsizetype i = 0; i < headers.size(); ++i) {
        if (i)
            out += ',';
        out += '[';
        appendQuoted(out, headers[i].first);
        out += ',';
        appendQuoted(out, headers[i].second);
        out += ']';
    }
    out += ']';
    return out;
}

} // namespace hookline
