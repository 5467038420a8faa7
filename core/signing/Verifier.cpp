#include "Verifier.h"

#include "signing/Hmac.h"
#include "util/Clock.h"

namespace hookline {

namespace {

constexpr QByteArrayView kSignatureSuffix = "-Signature";
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

// Names that end in "-Signature" but belong to the fixed-name schemes, so they
// are never read as "<P>-Signature".
bool isWellKnownSignatureName(QByteArrayView name)
{
    return equalsCi(name, "webhook-signature") || equalsCi(name, "Stripe-Signature")
        || equalsCi(name, "X-Hub-Signature");
}

struct PrefixedHeader final {
    QByteArray prefix;   // as spelled in the received header
    QByteArray name;
    QByteArray value;
};

// Every "<P>-Signature" header, in order, excluding the well-known names.
QList<PrefixedHeader> prefixedSignatures(const HeaderList &headers)
{
    QList<PrefixedHeader> found;
    for (const auto &[rawName, value] : headers) {
        const QByteArray name = rawName.trimmed();
        if (name.size() <= kSignatureSuffix.size() || isWellKnownSignatureName(name))
            continue;
        const QByteArrayView tail = QByteArrayView(name).last(kSignatureSuffix.size());
        if (equalsCi(tail, kSignatureSuffix))
            found.append({name.chopped(kSignatureSuffix.size()), name, value.trimmed()});
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

// The "<P>-Signature" header to verify: the configured prefix's if present,
// otherwise the first other one, because users paste headers from receivers
// configured with a different prefix (X-FinSight, X-Audit-Trail, ...).
std::optional<PrefixedHeader> findPrefixedSignature(const HeaderList &headers, QByteArrayView preferred)
{
    const QByteArray prefix = normalizedPrefix(preferred);
    const QByteArray preferredName = prefix + kSignatureSuffix;
    if (std::optional<QByteArray> value = findHeader(headers, preferredName))
        return PrefixedHeader{prefix, preferredName, *value};
    const QList<PrefixedHeader> all = prefixedSignatures(headers);
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
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
              || c == '/'))
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

} // namespace

std::optional<Scheme> Verifier::detect(const HeaderList &headers, QString *why)
{
    const auto explain = [why](const QString &text) -> std::optional<Scheme> {
        if (why)
            *why = text;
        return std::nullopt;
    };

    // Fixed names first: they are unambiguous.
    if (findHeader(headers, "webhook-signature"))
        return Scheme::Standard;
    if (findHeader(headers, "Stripe-Signature"))
        return Scheme::Stripe;
    if (findHeader(headers, "X-Hub-Signature-256"))
        return Scheme::Github;

    QString lastProblem;
    for (const PrefixedHeader &h : prefixedSignatures(headers)) {
        const QString name = QString::fromLatin1(h.name);
        if (startsWithCi(h.value, kSha256Prefix)) {
            if (findHeader(headers, QByteArray(h.prefix + "-Timestamp")))
                return Scheme::Timestamped;
            lastProblem = name + QStringLiteral(" has a sha256= value but there is no ")
                + QString::fromLatin1(h.prefix) + QStringLiteral("-Timestamp header");
            continue;
        }
        if (isHexSha256(h.value))
            return Scheme::HmacHex;
        if (isBase64Sha256(h.value))
            return Scheme::HmacBase64;
        lastProblem = name + QStringLiteral(" is neither 64 hex characters nor 44 base64 characters");
    }
    if (!lastProblem.isEmpty())
        return explain(lastProblem);
    if (findHeader(headers, "X-Hub-Signature"))
        return explain(QStringLiteral("only X-Hub-Signature (SHA-1) is present; the github scheme uses X-Hub-Signature-256"));
    return explain(QStringLiteral("no signature header (webhook-signature, Stripe-Signature, X-Hub-Signature-256 or *-Signature)"));
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

    SignRequest signRequest;
    signRequest.body = request.body;
    QByteArray signatureHeader;      // the name Signer will use for the value we compare
    QList<QByteArray> candidates;    // given signatures, in the encoding Signer emits
    QByteArray timestampText;        // for timestamped schemes
    QString timestampSource;         // where timestampText came from, for reasons

    switch (*scheme) {
    case Scheme::Standard: {
        const auto id = findHeader(request.headers, "webhook-id");
        const auto ts = findHeader(request.headers, "webhook-timestamp");
        const auto sig = findHeader(request.headers, "webhook-signature");
        if (!sig)
            return fail(missingHeader("webhook-signature"));
        r.given = *sig;
        if (!id)
            return fail(missingHeader("webhook-id"));
        if (!ts)
            return fail(missingHeader("webhook-timestamp"));
        signRequest.messageId = *id;
        timestampText = *ts;
        timestampSource = QStringLiteral("webhook-timestamp");
        signatureHeader = "webhook-signature";
        // "v1,<b64> v1,<b64>": space separated, other versions ignored, as the
        // Standard Webhooks libraries do.
        for (const QByteArray &entry : sig->split(' ')) {
            if (entry.startsWith("v1,"))
                candidates.append(entry.sliced(3));
        }
        if (candidates.isEmpty())
            return fail(QStringLiteral("webhook-signature has no v1, entry"));
        break;
    }
    case Scheme::Stripe: {
        const auto sig = findHeader(request.headers, "Stripe-Signature");
        if (!sig)
            return fail(missingHeader("Stripe-Signature"));
        r.given = *sig;
        signatureHeader = "Stripe-Signature";
        timestampSource = QStringLiteral("the t= value of Stripe-Signature");
        bool haveTimestamp = false;
        // "t=<ts>,v1=<hex>,v1=<hex>[,v0=...]": unknown keys are ignored, as
        // Stripe's libraries do.
        for (const QByteArray &rawItem : sig->split(',')) {
            const QByteArray item = rawItem.trimmed();
            const qsizetype eq = item.indexOf('=');
            if (eq < 0)
                continue;
            const QByteArray key = item.first(eq).trimmed();
            const QByteArray value = item.sliced(eq + 1).trimmed();
            if (key == "t" && !haveTimestamp) {
                timestampText = value;
                haveTimestamp = true;
            } else if (key == "v1") {
                candidates.append(value.toLower());
            }
        }
        if (!haveTimestamp)
            return fail(QStringLiteral("Stripe-Signature has no t= timestamp"));
        if (candidates.isEmpty())
            return fail(QStringLiteral("Stripe-Signature has no v1= signature"));
        break;
    }
    case Scheme::Github: {
        const auto sig = findHeader(request.headers, "X-Hub-Signature-256");
        if (!sig) {
            QString reason = missingHeader("X-Hub-Signature-256");
            if (findHeader(request.headers, "X-Hub-Signature"))
                reason += QStringLiteral(" (only the SHA-1 X-Hub-Signature is present)");
            return fail(reason);
        }
        r.given = *sig;
        signatureHeader = "X-Hub-Signature-256";
        candidates.append(stripSha256Prefix(*sig).toLower());
        break;
    }
    case Scheme::Timestamped:
    case Scheme::HmacHex:
    case Scheme::HmacBase64: {
        const std::optional<PrefixedHeader> sig = findPrefixedSignature(request.headers, request.headerPrefix);
        if (!sig)
            return fail(missingHeader(QByteArray(normalizedPrefix(request.headerPrefix) + kSignatureSuffix)));
        r.given = sig->value;
        signRequest.headerPrefix = sig->prefix;
        signatureHeader = sig->prefix + kSignatureSuffix;
        if (*scheme == Scheme::HmacBase64) {
            candidates.append(sig->value);
        } else {
            // Hex compares case-insensitively and with or without "sha256=":
            // receivers differ and neither changes the signed bytes.
            candidates.append(stripSha256Prefix(sig->value).toLower());
        }
        if (*scheme == Scheme::Timestamped) {
            const QByteArray name = sig->prefix + "-Timestamp";
            const auto ts = findHeader(request.headers, name);
            if (!ts)
                return fail(missingHeader(name));
            timestampText = *ts;
            timestampSource = QString::fromLatin1(name);
        }
        break;
    }
    }

    std::optional<qint64> timestamp;
    if (schemeUsesTimestamp(*scheme)) {
        timestamp = parseTimestamp(timestampText);
        if (!timestamp) {
            return fail(timestampSource + u' ' + quoted(timestampText)
                        + QStringLiteral(" is not a unix timestamp in seconds"));
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

    QByteArray expectedSignature = r.expected;
    switch (*scheme) {
    case Scheme::Standard:
        expectedSignature = r.expected.sliced(3); // "v1,"
        break;
    case Scheme::Stripe:
        expectedSignature = r.expected.sliced(r.expected.indexOf(",v1=") + 4);
        break;
    case Scheme::Timestamped:
    case Scheme::Github:
        expectedSignature = stripSha256Prefix(r.expected);
        break;
    case Scheme::HmacHex:
    case Scheme::HmacBase64:
        break;
    }

    // Compare against every candidate without stopping at the first match:
    // the number of entries is public, the position of a match need not be.
    bool matched = false;
    for (const QByteArray &candidate : std::as_const(candidates))
        matched = constantTimeEquals(candidate, expectedSignature) || matched;

    QString timestampProblem;
    if (timestamp && request.toleranceSeconds >= 0) {
        const qint64 now = request.now != 0 ? request.now : Clock::nowSecs();
        const qint64 age = now - *timestamp;
        const qint64 tolerance = request.toleranceSeconds;
        if (age > tolerance) {
            timestampProblem = QStringLiteral("timestamp %1 is %2 s old, beyond the %3 s tolerance")
                                   .arg(*timestamp).arg(age).arg(tolerance);
        } else if (-age > tolerance) {
            timestampProblem = QStringLiteral("timestamp %1 is %2 s in the future, beyond the %3 s tolerance")
                                   .arg(*timestamp).arg(-age).arg(tolerance);
            // A 13-digit value is almost always milliseconds.
            if (*timestamp > 100'000'000'000LL)
                timestampProblem += QStringLiteral(" (it looks like milliseconds, not seconds)");
        }
    }

    if (!timestampProblem.isEmpty()) {
        // Say whether the signature would otherwise pass: that tells a clock
        // problem apart from a secret problem.
        return fail(timestampProblem
                    + (matched ? QStringLiteral("; the signature itself matches")
                               : QStringLiteral("; the signature does not match either")));
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
