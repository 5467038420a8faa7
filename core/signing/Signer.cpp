#include "Signer.h"

#include "signing/Hmac.h"
#include "signing/SchemeDescriptor.h"

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
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
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

QByteArray encoded(SignatureEncoding encoding, const QByteArray &digest)
{
    return encoding == SignatureEncoding::Base64 ? digest.toBase64() : digest.toHex();
}

// The signature header's value: the timestamp entry, if the format has one,
// then one tagged signature per digest.
QByteArray signatureValue(const SignatureFormat &format, const QList<QByteArray> &digests, const QByteArray &ts)
{
    QByteArrayList entries;
    if (!format.timestampTag.isEmpty())
        entries.append(format.timestampTag.toByteArray() + ts);
    for (const QByteArray &d : digests)
        entries.append(format.tag.toByteArray() + encoded(format.encoding, d));
    // A format without a separator has one entry (the table is checked for it).
    return format.separator != 0 ? entries.join(format.separator) : entries.join();
}

} // namespace

QByteArray Signer::signedContent(Scheme scheme, const SignRequest &request)
{
    const SchemeDescriptor *d = SchemeDescriptor::find(scheme);
    return d ? d->signedContent(request.messageId, request.timestamp, request.body) : request.body;
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
    const SchemeDescriptor *d = SchemeDescriptor::find(scheme);
    if (!d)
        return fail(QStringLiteral("unknown signature scheme"));
    const QString name = d->name.toString();

    // Which secrets sign: all (deduplicated, order kept) or just the newest.
    QStringList signing;
    for (const QString &secret : secrets) {
        if (!signing.contains(secret))
            signing.append(secret);
        if (!d->signsWithEverySecret())
            break;
    }
    if (signing.isEmpty())
        return fail(QStringLiteral("no signing secret"));

    if (d->usesTimestamp() && request.timestamp <= 0)
        return fail(name + QStringLiteral(" signing needs a timestamp (unix seconds)"));

    if (d->usesMessageId()) {
        if (request.messageId.isEmpty())
            return fail(name + QStringLiteral(" signing needs a message id"));
        if (!isSafeHeaderValue(request.messageId))
            return fail(QStringLiteral("the message id contains control characters"));
    }

    QByteArray prefix;
    if (d->usesPrefix()) {
        prefix = normalizedPrefix(request.headerPrefix);
        if (prefix.isEmpty())
            return fail(QStringLiteral("the header prefix is empty"));
        if (!std::all_of(prefix.cbegin(), prefix.cend(), isTokenChar))
            return fail(QStringLiteral("the header prefix is not a valid header name (use letters, digits and '-')"));
    }

    result.signedContent = d->signedContent(request.messageId, request.timestamp, request.body);

    // One raw digest per signing secret, newest first.
    QList<QByteArray> digests;
    for (qsizetype i = 0; i < signing.size(); ++i) {
        const QString &secret = signing.at(i);
        // Say which secret is bad (by position, never by quoting it).
        const QString which = signing.size() > 1 ? QStringLiteral("secret %1 of %2: ").arg(i + 1).arg(signing.size()) : QString();
        if (secret.isEmpty())
            return fail(which + QStringLiteral("the secret is empty"));

        QString why;
        const std::optional<QByteArray> key = d->hmacKey(secret, &why);
        if (!key)
            return fail(which + why);
        const QByteArray digest = hmacSha256(*key, result.signedContent);
        if (digest.isEmpty())
            return fail(QStringLiteral("HMAC-SHA256 computation failed"));
        digests.append(digest);
    }

    const QByteArray ts = QByteArray::number(request.timestamp);
    for (const SchemeHeader &h : d->headers) {
        switch (h.carries) {
        case SchemeHeader::Carries::Nothing: break;
        case SchemeHeader::Carries::MessageId: result.headers.append({h.resolved(prefix), request.messageId}); break;
        case SchemeHeader::Carries::Timestamp: result.headers.append({h.resolved(prefix), ts}); break;
        case SchemeHeader::Carries::Signature: result.headers.append({h.resolved(prefix), signatureValue(d->signature, digests, ts)}); break;
        }
    }
    return result;
}

} // namespace hookline
