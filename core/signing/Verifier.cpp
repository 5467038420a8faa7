#include "Verifier.h"

#include "signing/Hmac.h"
#include "signing/SchemeDescriptor.h"
#include "util/Clock.h"

#include <QDateTime>

namespace hookline {

namespace {

constexpr QByteArrayView kSha256Prefix = "sha256=";

bool equalsCi(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

// First header of that name (case-insensitive, as HTTP says), value trimmed.
std::optional<QByteArray> findHeader(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &[n, v] : headers) {
        if (equalsCi(n.trimmed(), name))
            return v.trimmed();
    }
    return std::nullopt;
}

// Fixed names of every scheme, and the headers they superseded: never read
// as "<P>-Signature" even when they end that way (webhook-signature,
// Stripe-Signature, X-Hub-Signature).
bool isFixedSchemeHeader(QByteArrayView name)
{
    for (const SchemeDescriptor &d : SchemeDescriptor::all()) {
        for (const SchemeHeader &h : d.headers) {
            if (h.isUsed() && !h.afterPrefix && equalsCi(name, h.name))
                return true;
        }
        if (!d.superseded.name.isEmpty() && equalsCi(name, d.superseded.name))
            return true;
    }
    return false;
}

struct PrefixedHeader final {
    QByteArray prefix; // as spelled in the received header
    QByteArray name;
    QByteArray value;
};

// Every "<P><suffix>" header, in order, excluding the fixed names.
QList<PrefixedHeader> prefixedHeaders(const HeaderList &headers, QByteArrayView suffix)
{
    QList<PrefixedHeader> found;
    for (const auto &[rawName, value] : headers) {
        const QByteArray name = rawName.trimmed();
        if (name.size() <= suffix.size() || isFixedSchemeHeader(name))
            continue;
        if (equalsCi(QByteArrayView(name).last(suffix.size()), suffix))
            found.append({name.chopped(suffix.size()), name, value.trimmed()});
    }
    return found;
}

// Same normalisation as Signer: "X-FinSight-" and " X-FinSight" mean "X-FinSight".
QByteArray normalizedPrefix(QByteArrayView prefix)
{
    QByteArray p = prefix.toByteArray().trimmed();
    while (p.endsWith('-'))
        p.chop(1);
    return p;
}

// The "<P><suffix>" header to verify: the configured prefix's if present,
// otherwise the first other one, because users paste headers from receivers
// configured with a different prefix (X-FinSight, X-Audit-Trail, ...).
std::optional<PrefixedHeader> findPrefixedHeader(const HeaderList &headers, QByteArrayView preferred, QByteArrayView suffix)
{
    const QByteArray prefix = normalizedPrefix(preferred);
    const QByteArray preferredName = prefix + suffix.toByteArray();
    if (std::optional<QByteArray> value = findHeader(headers, preferredName))
        return PrefixedHeader{prefix, preferredName, *value};
    const QList<PrefixedHeader> all = prefixedHeaders(headers, suffix);
    if (all.isEmpty())
        return std::nullopt;
    return all.first();
}

bool startsWithCi(QByteArrayView value, QByteArrayView prefix)
{
    return value.size() >= prefix.size() && equalsCi(value.first(prefix.size()), prefix);
}

bool isHex(QByteArrayView value)
{
    for (const char c : value) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

bool isHexSha256(QByteArrayView value)
{
    return value.size() == 64 && isHex(value);
}

// Base64 of exactly 32 bytes: 43 alphabet characters and one '='.
bool isBase64Sha256(QByteArrayView value)
{
    if (value.size() != 44 || value.back() != '=')
        return false;
    for (const char c : value.first(43)) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'))
            return false;
    }
    return true;
}

// Header values end up in human-readable reasons; keep them short.
QString quoted(QByteArrayView value)
{
    constexpr qsizetype kMax = 40;
    QString text = QString::fromUtf8(value.first(std::min(value.size(), kMax)));
    if (value.size() > kMax)
        text += QChar(0x2026); // ellipsis
    return u'"' + text + u'"';
}

// Strict unix-seconds parse: digits only, so "1e9", "-5" or "12abc" are
// reported instead of being half-read.
std::optional<qint64> parseTimestamp(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value <= 0)
        return std::nullopt;
    return value;
}

QByteArray stripSha256Prefix(const QByteArray &value)
{
    return startsWithCi(value, kSha256Prefix) ? value.sliced(kSha256Prefix.size()) : value;
}

QString missingHeader(QByteArrayView name)
{
    return QStringLiteral("missing header ") + QString::fromLatin1(name);
}

// A bare signature of 32 bytes in the encoding, as detection recognises a
// scheme whose entries have no tag.
bool hasDigestShape(SignatureEncoding encoding, QByteArrayView value)
{
    return encoding == SignatureEncoding::Base64 ? isBase64Sha256(value) : isHexSha256(value);
}

QString shapeText(const SignatureFormat &format)
{
    if (!format.tag.isEmpty())
        return QStringLiteral("a ") + QString::fromLatin1(format.tag) + QStringLiteral(" value");
    return format.encoding == SignatureEncoding::Base64 ? QStringLiteral("44 base64 characters") : QStringLiteral("64 hex characters");
}

// A signature as compared. Hex compares case-insensitively and with or
// without "sha256=": receivers differ and neither changes the signed bytes.
QByteArray comparable(SignatureEncoding encoding, const QByteArray &signature)
{
    return encoding == SignatureEncoding::Hex ? stripSha256Prefix(signature).toLower() : signature;
}

struct Entries final {
    QList<QByteArray> signatures; // comparable()
    std::optional<QByteArray> timestamp;
};

// Reads a signature header's value the way the format writes it. In a list,
// entries with other tags (other versions, unknown keys) are ignored, as the
// receivers' libraries do; the first timestamp entry counts.
Entries readEntries(const SignatureFormat &format, const QByteArray &value)
{
    Entries e;
    if (format.separator == 0) {
        e.signatures.append(comparable(format.encoding, value));
        return e;
    }
    for (const QByteArray &raw : value.split(format.separator)) {
        const QByteArray entry = raw.trimmed();
        if (!format.timestampTag.isEmpty() && entry.startsWith(format.timestampTag)) {
            if (!e.timestamp)
                e.timestamp = entry.sliced(format.timestampTag.size()).trimmed();
        } else if (entry.startsWith(format.tag)) {
            e.signatures.append(comparable(format.encoding, entry.sliced(format.tag.size()).trimmed()));
        }
    }
    return e;
}

// "a, b or c"
QString oneOf(const QStringList &items)
{
    if (items.size() < 2)
        return items.join(QString());
    return items.first(items.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") + items.last();
}

// "is neither 64 hex characters nor 44 base64 characters nor a sha256= value"
QString noneOf(const QStringList &shapes)
{
    if (shapes.size() == 1)
        return QStringLiteral("is not ") + shapes.first();
    return QStringLiteral("is neither ") + shapes.join(QStringLiteral(" nor "));
}

} // namespace

std::optional<Scheme> Verifier::detect(const HeaderList &headers, QString *why)
{
    const auto explain = [why](const QString &text) -> std::optional<Scheme> {
        if (why)
            *why = text;
        return std::nullopt;
    };

    // Fixed names first: they are unambiguous.
    for (const SchemeDescriptor &d : SchemeDescriptor::all()) {
        const SchemeHeader &signature = d.signatureHeader();
        if (!signature.afterPrefix && findHeader(headers, signature.name))
            return d.scheme;
    }

    // Then every "<P>-Signature" header in turn, against each prefixed
    // scheme: one whose entries carry a tag is known by it, one without by
    // the shape of a bare digest; its other "<P>-…" headers must be there too.
    QString lastProblem;
    QList<QByteArrayView> suffixes;
    for (const SchemeDescriptor &d : SchemeDescriptor::all()) {
        const SchemeHeader &signature = d.signatureHeader();
        if (signature.afterPrefix && !suffixes.contains(signature.name))
            suffixes.append(signature.name);
    }
    for (const QByteArrayView suffix : std::as_const(suffixes)) {
        for (const PrefixedHeader &h : prefixedHeaders(headers, suffix)) {
            const QString name = QString::fromLatin1(h.name);
            QString problem;
            QStringList shapes;
            for (const SchemeDescriptor &d : SchemeDescriptor::all()) {
                const SchemeHeader &signature = d.signatureHeader();
                if (!signature.afterPrefix || signature.name != suffix)
                    continue;
                const SignatureFormat &f = d.signature;
                if (const QString shape = shapeText(f); !shapes.contains(shape))
                    shapes.append(shape);
                const bool looksLike = f.tag.isEmpty() ? hasDigestShape(f.encoding, h.value) : startsWithCi(h.value, f.tag);
                if (!looksLike)
                    continue;
                QByteArray missing;
                for (const SchemeHeader &other : d.headers) {
                    if (other.isUsed() && other.carries != SchemeHeader::Carries::Signature && !findHeader(headers, other.resolved(h.prefix))) {
                        missing = other.resolved(h.prefix);
                        break;
                    }
                }
                if (missing.isEmpty())
                    return d.scheme;
                problem = name + QStringLiteral(" has ") + shapeText(f) + QStringLiteral(" but there is no ") + QString::fromLatin1(missing)
                          + QStringLiteral(" header");
            }
            lastProblem = problem.isEmpty() ? name + u' ' + noneOf(shapes) : problem;
        }
    }
    if (!lastProblem.isEmpty())
        return explain(lastProblem);

    for (const SchemeDescriptor &d : SchemeDescriptor::all()) {
        if (!d.superseded.name.isEmpty() && findHeader(headers, d.superseded.name)) {
            return explain(QStringLiteral("only %1 (%2) is present; the %3 scheme uses %4")
                               .arg(QString::fromLatin1(d.superseded.name), QString::fromLatin1(d.superseded.what), d.name.toString(),
                                    QString::fromLatin1(d.signatureHeader().name)));
        }
    }
    QStringList expected;
    for (const SchemeDescriptor &d : SchemeDescriptor::all()) {
        const SchemeHeader &signature = d.signatureHeader();
        if (!signature.afterPrefix && !expected.contains(QString::fromLatin1(signature.name)))
            expected.append(QString::fromLatin1(signature.name));
    }
    for (const QByteArrayView suffix : std::as_const(suffixes))
        expected.append(u'*' + QString::fromLatin1(suffix));
    return explain(QStringLiteral("no signature header (") + oneOf(expected) + u')');
}

VerifyResult Verifier::verify(const QString &secret, const VerifyRequest &request)
{
    VerifyResult r;
    const auto fail = [&r](const QString &reason) {
        r.valid = false;
        r.reason = reason;
        return r;
    };

    std::optional<Scheme> scheme = request.scheme;
    if (!scheme) {
        QString why;
        scheme = detect(request.headers, &why);
        if (!scheme)
            return fail(QStringLiteral("could not detect the signature scheme: ") + why);
    }
    r.scheme = scheme;
    const SchemeDescriptor *d = SchemeDescriptor::find(*scheme);
    if (!d)
        return fail(QStringLiteral("unknown signature scheme"));

    SignRequest signRequest;
    signRequest.body = request.body;
    QByteArray prefix = normalizedPrefix(request.headerPrefix); // <P> of the scheme's "<P>-…" headers, as received
    QByteArray timestampText;                                   // for timestamped schemes
    QString timestampSource;                                    // where timestampText came from, for reasons

    // The signature header first, then the others the scheme sends.
    const SchemeHeader &signature = d->signatureHeader();
    std::optional<QByteArray> given;
    if (signature.afterPrefix) {
        const std::optional<PrefixedHeader> found = findPrefixedHeader(request.headers, request.headerPrefix, signature.name);
        if (!found)
            return fail(missingHeader(signature.resolved(prefix)));
        prefix = found->prefix;
        signRequest.headerPrefix = prefix;
        given = found->value;
    } else {
        given = findHeader(request.headers, signature.name);
        if (!given) {
            QString reason = missingHeader(signature.name);
            if (!d->superseded.name.isEmpty() && findHeader(request.headers, d->superseded.name)) {
                reason += QStringLiteral(" (only the %1 %2 is present)")
                              .arg(QString::fromLatin1(d->superseded.what), QString::fromLatin1(d->superseded.name));
            }
            return fail(reason);
        }
    }
    // The name Signer will use for the value we compare.
    const QByteArray signatureHeader = signature.resolved(prefix);
    r.given = *given;

    for (const SchemeHeader &h : d->headers) {
        if (h.carries != SchemeHeader::Carries::MessageId && h.carries != SchemeHeader::Carries::Timestamp)
            continue;
        const QByteArray name = h.resolved(prefix);
        const std::optional<QByteArray> value = findHeader(request.headers, name);
        if (!value)
            return fail(missingHeader(name));
        if (h.carries == SchemeHeader::Carries::MessageId) {
            signRequest.messageId = *value;
        } else {
            timestampText = *value;
            timestampSource = QString::fromLatin1(name);
        }
    }

    const SignatureFormat &format = d->signature;
    const Entries entries = readEntries(format, *given);
    if (!format.timestampTag.isEmpty()) {
        if (!entries.timestamp) {
            return fail(QString::fromLatin1(signatureHeader) + QStringLiteral(" has no ") + QString::fromLatin1(format.timestampTag)
                        + QStringLiteral(" timestamp"));
        }
        timestampText = *entries.timestamp;
        timestampSource
            = QStringLiteral("the ") + QString::fromLatin1(format.timestampTag) + QStringLiteral(" value of ") + QString::fromLatin1(signatureHeader);
    }
    const QList<QByteArray> &candidates = entries.signatures; // given signatures, comparable()
    if (candidates.isEmpty()) {
        return fail(QString::fromLatin1(signatureHeader) + QStringLiteral(" has no ") + QString::fromLatin1(format.entryName));
    }

    std::optional<qint64> timestamp;
    if (d->usesTimestamp()) {
        timestamp = parseTimestamp(timestampText);
        if (!timestamp) {
            return fail(timestampSource + u' ' + quoted(timestampText) + QStringLiteral(" is not a unix timestamp in seconds"));
        }
        signRequest.timestamp = *timestamp;
    }

    // Re-sign exactly as a delivery would be signed, so sender and verifier can
    // never drift apart.
    const SignResult signed_ = Signer::sign(*scheme, {secret}, signRequest);
    if (!signed_.ok())
        return fail(signed_.error);
    r.signedContent = signed_.signedContent;
    r.expected = findHeader(signed_.headers, signatureHeader).value_or(QByteArray());
    // Our own value, read like the received one: its one signature.
    const QByteArray expectedSignature = readEntries(format, r.expected).signatures.value(0);

    // Compare against every candidate without stopping at the first match:
    // the number of entries is public, the position of a match need not be.
    bool matched = false;
    for (const QByteArray &candidate : candidates)
        matched = constantTimeEquals(candidate, expectedSignature) || matched;

    QString timestampProblem;
    if (timestamp && request.toleranceSeconds >= 0) {
        const qint64 now = request.now != 0 ? request.now : Clock::nowSecs();
        const qint64 age = now - *timestamp;
        const qint64 tolerance = request.toleranceSeconds;
        if (age > tolerance) {
            timestampProblem = QStringLiteral("timestamp %1 is %2 s old, beyond the %3 s tolerance").arg(*timestamp).arg(age).arg(tolerance);
        } else if (-age > tolerance) {
            timestampProblem
                = QStringLiteral("timestamp %1 is %2 s in the future, beyond the %3 s tolerance").arg(*timestamp).arg(-age).arg(tolerance);
            // A 13-digit value is almost always milliseconds.
            if (*timestamp > 100'000'000'000LL)
                timestampProblem += QStringLiteral(" (it looks like milliseconds, not seconds)");
        }
    }

    if (!timestampProblem.isEmpty()) {
        // Say whether the signature would otherwise pass: that tells a clock
        // problem apart from a secret problem.
        return fail(timestampProblem
                    + (matched ? QStringLiteral("; the signature itself matches") : QStringLiteral("; the signature does not match either")));
    }
    if (!matched) {
        QString reason = QStringLiteral("signature mismatch");
        if (candidates.size() > 1)
            reason += QStringLiteral(": none of the %1 signatures matches").arg(candidates.size());
        return fail(reason);
    }
    r.valid = true;
    r.reason = QStringLiteral("signature valid");
    return r;
}

} // namespace hookline
