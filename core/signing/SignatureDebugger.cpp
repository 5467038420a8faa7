#include "SignatureDebugger.h"

#include "signing/Hmac.h"
#include "signing/SchemeDescriptor.h"

#include "json/CanonicalJson.h"
#include <QStringDecoder>

namespace hookline {

namespace {
using Kind = SignatureFinding::Kind;

// Svix sends the standard scheme under its own names: svix-id, svix-timestamp, svix-signature.
bool renameSvixHeaders(HeaderList &headers)
{
    bool renamed = false;
    for (auto &[name, value] : headers) {
        const QByteArray n = name.trimmed();
        if (n.size() > 5 && n.first(5).compare("svix-", Qt::CaseInsensitive) == 0) {
            name = "webhook-" + n.mid(5);
            renamed = true;
        }
    }
    return renamed;
}

VerifyRequest request(const SignatureCase &c, const HeaderList &headers, const QByteArray &body, int toleranceSeconds)
{
    VerifyRequest r;
    r.headers = headers;
    r.body = body;
    r.headerPrefix = c.headerPrefix;
    r.scheme = c.scheme;
    r.now = c.now;
    r.toleranceSeconds = toleranceSeconds;
    return r;
}

// The digests a signature header value carries, without their tags and
// without the timestamp entry.
QList<QByteArray> givenDigests(const SchemeDescriptor &d, const QByteArray &given)
{
    const QList<QByteArray> entries = d.signature.separator ? given.split(d.signature.separator) : QList<QByteArray>{given};
    QList<QByteArray> out;
    for (QByteArray e : entries) {
        e = e.trimmed();
        if (!d.signature.timestampTag.isEmpty() && e.startsWith(d.signature.timestampTag))
            continue;
        if (!d.signature.tag.isEmpty()) {
            if (!e.startsWith(d.signature.tag))
                continue;
            e = e.mid(d.signature.tag.size());
        }
        if (!e.isEmpty())
            out << e;
    }
    return out;
}

QByteArray encoded(const QByteArray &digest, SignatureEncoding encoding)
{
    return encoding == SignatureEncoding::Hex ? digest.toHex() : digest.toBase64();
}

bool carries(const SchemeDescriptor &d, const QByteArray &given, const QByteArray &digest, SignatureEncoding encoding)
{
    const QByteArray wanted = encoded(digest, encoding);
    for (const auto &g : givenDigests(d, given)) {
        if (encoding == SignatureEncoding::Hex ? g.compare(wanted, Qt::CaseInsensitive) == 0 : g == wanted)
            return true;
    }
    return false;
}

SignatureEncoding other(SignatureEncoding e)
{
    return e == SignatureEncoding::Hex ? SignatureEncoding::Base64 : SignatureEncoding::Hex;
}

QString encodingName(SignatureEncoding e)
{
    return e == SignatureEncoding::Hex ? QStringLiteral("hex") : QStringLiteral("base64");
}

// The "<P>" of the "<P>-Signature" header a prefixed scheme was read from.
QByteArray usedPrefix(const SchemeDescriptor &d, const HeaderList &headers, const QByteArray &given)
{
    if (!d.usesPrefix())
        return {};
    const QByteArrayView suffix = d.signatureHeader().name;
    for (const auto &[name, value] : headers) {
        const QByteArray n = name.trimmed();
        if (value.trimmed() == given && n.size() > suffix.size() && QByteArrayView(n).last(suffix.size()).compare(suffix, Qt::CaseInsensitive) == 0)
            return n.chopped(suffix.size());
    }
    return {};
}
} // namespace

QString SignatureDebugger::visible(QByteArrayView bytes)
{
    QString out;
    // A byte order mark is kept, to be shown: it is one of the bytes signed.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    const QString text = decoder(bytes);
    // Invalid UTF-8 shows byte by byte; valid text shows as text.
    if (decoder.hasError()) {
        for (const char c : bytes) {
            const auto u = uchar(c);
            if (u >= 0x20 && u < 0x7f)
                out += QLatin1Char(c);
            else
                out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        }
        return out;
    }
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const bool endOfLine = i + 1 == text.size() || text.at(i + 1) == u'\n' || text.at(i + 1) == u'\r';
        if (c == u'\n')
            out += QStringLiteral("↵\n");
        else if (c == u'\r')
            out += QStringLiteral("←");
        else if (c == u'\t')
            out += QStringLiteral("→");
        else if (c == u' ' && endOfLine)
            out += QStringLiteral("·");
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else if (c == QChar(0xfeff) || c == QChar(0x200b))
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

std::optional<std::pair<QByteArray, QByteArray>> SignatureDebugger::headerFromLine(QStringView line)
{
    const auto colon = line.indexOf(u':');
    if (colon <= 0)
        return std::nullopt;
    return std::pair{line.left(colon).trimmed().toUtf8(), line.mid(colon + 1).trimmed().toUtf8()};
}

SignatureDiagnosis SignatureDebugger::diagnose(const SignatureCase &input)
{
    SignatureDiagnosis d;
    d.firstDifference = -1;
    HeaderList headers = input.headers;
    if (renameSvixHeaders(headers)) {
        d.findings << SignatureFinding{Kind::SvixHeaderNames,
                                       tr("The headers are Svix's (svix-id, svix-timestamp, svix-signature): the Standard "
                                          "Webhooks scheme under other names. They were read as webhook-*."),
                                       tr("Nothing to fix: Svix's libraries verify Hookline's standard scheme with the same secret.")};
    }
    const QStringList secrets = input.secrets.isEmpty() ? QStringList{QString()} : input.secrets;

    // As a receiver would: the current secret, then the ones it replaced.
    VerifyResult first;
    for (int i = 0; i < secrets.size(); ++i) {
        const auto r = Verifier::verify(secrets.at(i), request(input, headers, input.body, input.toleranceSeconds));
        if (i == 0)
            first = r;
        if (r.valid) {
            d.valid = true;
            d.secretIndex = i;
            if (i > 0) {
                d.findings << SignatureFinding{Kind::PreviousSecret,
                                               tr("It verifies with a secret that %n rotations replaced, not with the current one.", nullptr, i),
                                               tr("Give the receiver the current secret; during the grace period it should accept both.")};
            }
            break;
        }
    }
    d.scheme = first.scheme;
    d.reason = first.reason;
    d.signedContent = first.signedContent;
    d.visibleContent = visible(first.signedContent);
    d.expected = first.expected;
    d.given = first.given;
    for (qsizetype i = 0; i < std::max(d.expected.size(), d.given.size()); ++i) {
        if (i >= d.expected.size() || i >= d.given.size() || d.expected.at(i) != d.given.at(i)) {
            d.firstDifference = i;
            break;
        }
    }
    const SchemeDescriptor *descriptor = d.scheme ? SchemeDescriptor::find(*d.scheme) : nullptr;
    if (descriptor && descriptor->usesPrefix()) {
        const QByteArray used = usedPrefix(*descriptor, headers, d.given);
        QByteArray mine = input.headerPrefix.trimmed();
        while (mine.endsWith('-'))
            mine.chop(1);
        if (!used.isEmpty() && used.compare(mine, Qt::CaseInsensitive) != 0) {
            d.findings << SignatureFinding{
                Kind::OtherPrefix,
                tr("The headers start with %1-, this installation's with %2-.").arg(QString::fromLatin1(used), QString::fromLatin1(mine)),
                tr("Make the receiver read %1-Signature, or set the webhook's header prefix to %2 (Settings).")
                    .arg(QString::fromLatin1(mine), QString::fromLatin1(used))};
        }
    }
    if (d.valid || !descriptor || d.given.isEmpty())
        return d;

    // Not valid: which usual mistake explains the signature that was given?
    for (const QString &secret : secrets) {
        if (Verifier::verify(secret, request(input, headers, input.body, -1)).valid) {
            d.findings << SignatureFinding{Kind::OutsideTolerance, first.reason.section(u';', 0, 0),
                                           tr("Check the clocks (NTP) on both sides, and send timestamps in seconds; a replayed "
                                              "delivery is refused on purpose.")};
            return d;
        }
    }
    for (const QByteArray &trimmed :
         {input.body.chopped(input.body.endsWith("\r\n") ? 2 : 0), input.body.chopped(input.body.endsWith('\n') ? 1 : 0)}) {
        if (trimmed.size() == input.body.size())
            continue;
        for (const QString &secret : secrets) {
            if (Verifier::verify(secret, request(input, headers, trimmed, input.toleranceSeconds)).valid) {
                d.findings << SignatureFinding{Kind::TrailingNewline, tr("The body ends with a line break that was not signed."),
                                               tr("Send the body exactly as it is (curl --data-binary @file, not -d), or paste it without "
                                                  "the last line break.")};
                return d;
            }
        }
    }
    if (auto compact = CanonicalJson::canonicalize(input.body); compact && *compact != input.body) {
        for (const QString &secret : secrets) {
            if (Verifier::verify(secret, request(input, headers, *compact, input.toleranceSeconds)).valid) {
                d.findings << SignatureFinding{
                    Kind::BodyReserialised,
                    tr("The body is not the bytes that were signed: the signature matches its compact JSON form "
                       "(other spacing or line breaks). It was parsed and written again on the way."),
                    tr("Verify the raw request body, before any JSON parsing (Express: express.raw(); Flask: "
                       "request.get_data())."),
                };
                return d;
            }
        }
    }
    // The bytes that were HMACed are right: the key or the encoding is not.
    for (const QString &secret : secrets) {
        if (descriptor->key == SecretKey::WhsecBase64 && secret.startsWith(QLatin1StringView("whsec_"))) {
            const QByteArray digest = hmacSha256(secret.toUtf8(), d.signedContent);
            if (carries(*descriptor, d.given, digest, descriptor->signature.encoding)) {
                d.findings << SignatureFinding{Kind::WhsecAsText,
                                               tr("The signature was made with the whole whsec_… secret as text; this scheme keys HMAC with the "
                                                  "bytes of the base64 after whsec_."),
                                               tr("Decode the part after whsec_ from base64 and use those bytes as the key (the "
                                                  "standardwebhooks libraries do).")};
                return d;
            }
        }
        if (descriptor->key == SecretKey::Text && secret.startsWith(QLatin1StringView("whsec_"))) {
            const QByteArray key = QByteArray::fromBase64(secret.mid(6).toLatin1());
            if (!key.isEmpty() && carries(*descriptor, d.given, hmacSha256(key, d.signedContent), descriptor->signature.encoding)) {
                d.findings << SignatureFinding{Kind::WhsecDecoded,
                                               tr("The signature was made with the base64-decoded bytes after whsec_; this scheme keys HMAC "
                                                  "with the secret as text, whsec_ included."),
                                               tr("Use the secret's UTF-8 text as the key, exactly as shown.")};
                return d;
            }
        }
        const auto key = descriptor->hmacKey(secret);
        if (key && carries(*descriptor, d.given, hmacSha256(*key, d.signedContent), other(descriptor->signature.encoding))) {
            const auto wanted = descriptor->signature.encoding;
            d.findings << SignatureFinding{
                Kind::WrongEncoding,
                tr("The digest is right but written in %1; this scheme writes it in %2.").arg(encodingName(other(wanted)), encodingName(wanted)),
                tr("Encode the 32 bytes of HMAC-SHA256 as %1.").arg(encodingName(wanted))};
            return d;
        }
    }
    return d;
}

} // namespace hookline
