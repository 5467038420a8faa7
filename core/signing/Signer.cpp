#include "Signer.h"

#include "signing/Hmac.h"
#include "signing/Secret.h"

#include <algorithm>

namespace hookline {

namespace {

// RFC 9110 token characters: what a header name may contain. The prefix ends
// up in a header name, so anything else would corrupt (or inject into) the
// request.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

// Header values must not carry CR, LF or NUL (header injection), nor other
// control characters that HTTP stacks reject.
bool isSafeHeaderValue(QByteArrayView value)
{
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

// "X-FinSight-" and " X-FinSight " mean "X-FinSight": users paste prefixes
// with the separator or stray spaces.
QByteArray normalizedPrefix(QByteArrayView prefix)
{
    QByteArray p = prefix.toByteArray().trimmed();
    while (p.endsWith('-'))
        p.chop(1);
    return p;
}

bool usesPrefix(Scheme scheme)
{
    return scheme == Scheme::HmacHex || scheme == Scheme::HmacBase64 || scheme == Scheme::Timestamped;
}

// Schemes with room for several signatures in their header.
bool signsWithEverySecret(Scheme scheme)
{
    return scheme == Scheme::Standard || scheme == Scheme::Stripe;
}

} // namespace

QByteArray Signer::signedContent(Scheme scheme, const SignRequest &request)
{
    const QByteArray ts = QByteArray::number(request.timestamp);
    switch (scheme) {
    case Scheme::Standard:
        return request.messageId + '.' + ts + '.' + request.body;
    case Scheme::Timestamped:
    case Scheme::Stripe:
        return ts + '.' + request.body;
    case Scheme::HmacHex:
    case Scheme::HmacBase64:
    case Scheme::Github:
        return request.body;
    }
    return request.body;
}

SignResult Signer::sign(Scheme scheme, const QStringList &secrets, const SignRequest &request)
{
    SignResult result;
    const auto fail = [&result](const QString &why) {
        result.error = why;
        result.headers.clear();
        result.signedContent.clear();
        return result;
    };
    const QString name = schemeName(scheme);
    if (name.isEmpty())
        return fail(QStringLiteral("unknown signature scheme"));

    // Which secrets sign: all (deduplicated, order kept) or just the newest.
    QStringList signing;
    for (const QString &secret : secrets) {
        if (!signing.contains(secret))
            signing.append(secret);
        if (!signsWithEverySecret(scheme))
            break;
    }
    if (signing.isEmpty())
        return fail(QStringLiteral("no signing secret"));

    if (schemeUsesTimestamp(scheme) && request.timestamp <= 0)
        return fail(name + QStringLiteral(" signing needs a timestamp (unix seconds)"));

    if (scheme == Scheme::Standard) {
        if (request.messageId.isEmpty())
            return fail(QStringLiteral("standard signing needs a message id"));
        if (!isSafeHeaderValue(request.messageId))
            return fail(QStringLiteral("the message id contains control characters"));
    }

    QByteArray prefix;
    if (usesPrefix(scheme)) {
        prefix = normalizedPrefix(request.headerPrefix);
        if (prefix.isEmpty())
            return fail(QStringLiteral("the header prefix is empty"));
        if (!std::all_of(prefix.cbegin(), prefix.cend(), isTokenChar))
            return fail(QStringLiteral("the header prefix is not a valid header name (use letters, digits and '-')"));
    }

    result.signedContent = signedContent(scheme, request);

    // One raw digest per signing secret, newest first.
    QList<QByteArray> digests;
    for (qsizetype i = 0; i < signing.size(); ++i) {
        const QString &secret = signing.at(i);
        // Say which secret is bad (by position, never by quoting it).
        const QString which = signing.size() > 1
            ? QStringLiteral("secret %1 of %2: ").arg(i + 1).arg(signing.size())
            : QString();
        if (secret.isEmpty())
            return fail(which + QStringLiteral("the secret is empty"));

        QByteArray key;
        if (scheme == Scheme::Standard) {
            QString why;
            const std::optional<QByteArray> decoded = Secret::standardKey(secret, &why);
            if (!decoded)
                return fail(which + why);
            key = *decoded;
        } else {
            // Everything else, Stripe's whsec_ secrets included, keys HMAC with
            // the secret string exactly as the receiver copied it.
            key = secret.toUtf8();
        }
        const QByteArray digest = hmacSha256(key, result.signedContent);
        if (digest.isEmpty())
            return fail(QStringLiteral("HMAC-SHA256 computation failed"));
        digests.append(digest);
    }

    const QByteArray ts = QByteArray::number(request.timestamp);
    HeaderList &h = result.headers;
    switch (scheme) {
    case Scheme::Standard: {
        QByteArray value;
        for (const QByteArray &d : digests) {
            if (!value.isEmpty())
                value += ' ';
            value += "v1," + d.toBase64();
        }
        h.append({QByteArrayLiteral("webhook-id"), request.messageId});
        h.append({QByteArrayLiteral("webhook-timestamp"), ts});
        h.append({QByteArrayLiteral("webhook-signature"), value});
        break;
    }
    case Scheme::HmacHex:
        h.append({prefix + "-Signature", digests.first().toHex()});
        break;
    case Scheme::HmacBase64:
        h.append({prefix + "-Signature", digests.first().toBase64()});
        break;
    case Scheme::Timestamped:
        h.append({prefix + "-Signature", "sha256=" + digests.first().toHex()});
        h.append({prefix + "-Timestamp", ts});
        break;
    case Scheme::Github:
        h.append({QByteArrayLiteral("X-Hub-Signature-256"), "sha256=" + digests.first().toHex()});
        break;
    case Scheme::Stripe: {
        QByteArray value = "t=" + ts;
        for (const QByteArray &d : digests)
            value += ",v1=" + d.toHex();
        h.append({QByteArrayLiteral("Stripe-Signature"), value});
        break;
    }
    }
    return result;
}

} // namespace hookline
