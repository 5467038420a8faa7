#include "SchemeDescriptor.h"

#include "signing/Secret.h"

#include <QtGlobal>

#include <algorithm>
#include <string_view>

namespace hookline {

namespace {

using enum SchemeHeader::Carries;

// The schemes, in the order of Scheme's enumerators. Header values are kept
// byte for byte as receivers' libraries check them: changing an entry changes
// the wire format of every webhook stored with that scheme.
// lupdate reads the context of QT_TRANSLATE_NOOP only as a literal.
static_assert(std::string_view(SchemeDescriptor::kTranslationContext) == "hookline::SchemeDescriptor");
constexpr std::array kSchemes{
    SchemeDescriptor{
        .scheme = Scheme::Standard,
        .name = u"standard",
        .content = SignedContent::IdTimestampBody,
        .key = SecretKey::WhsecBase64,
        .headers = {{{MessageId, "webhook-id"}, {Timestamp, "webhook-timestamp"}, {Signature, "webhook-signature"}}},
        // Receivers accept any listed signature: every current secret signs,
        // which is what makes a rotation seamless.
        .signature = {.encoding = SignatureEncoding::Base64, .tag = "v1,", .separator = ' ', .entryName = "v1, entry"},
        .superseded = {},
        .label = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "Standard Webhooks (webhook-signature)"),
        .help
        = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "webhook-id, webhook-timestamp and webhook-signature: v1,<base64> of id.timestamp.body "
                                                          "for each current secret, keyed with the base64 after whsec_"),
    },
    SchemeDescriptor{
        .scheme = Scheme::HmacHex,
        .name = u"hmac-hex",
        .content = SignedContent::Body,
        .key = SecretKey::Text,
        .headers = {{{Signature, "-Signature", true}}},
        .signature = {.encoding = SignatureEncoding::Hex},
        .superseded = {},
        .label = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "HMAC-SHA256, hex (<P>-Signature)"),
        .help = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "<P>-Signature: hex HMAC-SHA256 of the body, keyed with the secret as text; "
                                                                "only the newest secret signs"),
    },
    SchemeDescriptor{
        .scheme = Scheme::HmacBase64,
        .name = u"hmac-base64",
        .content = SignedContent::Body,
        .key = SecretKey::Text,
        .headers = {{{Signature, "-Signature", true}}},
        .signature = {.encoding = SignatureEncoding::Base64},
        .superseded = {},
        .label = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "HMAC-SHA256, base64 (<P>-Signature)"),
        .help = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "<P>-Signature: base64 HMAC-SHA256 of the body, keyed with the secret as text; "
                                                                "only the newest secret signs"),
    },
    SchemeDescriptor{
        .scheme = Scheme::Timestamped,
        .name = u"timestamped",
        .content = SignedContent::TimestampBody,
        .key = SecretKey::Text,
        .headers = {{{Signature, "-Signature", true}, {Timestamp, "-Timestamp", true}}},
        .signature = {.encoding = SignatureEncoding::Hex, .tag = "sha256="},
        .superseded = {},
        .label = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "Timestamped, sha256= (<P>-Signature, <P>-Timestamp)"),
        .help = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "<P>-Signature: sha256=<hex> of timestamp.body, beside <P>-Timestamp; keyed with the "
                                                                "secret as text; only the newest secret signs"),
    },
    SchemeDescriptor{
        .scheme = Scheme::Github,
        .name = u"github",
        .content = SignedContent::Body,
        .key = SecretKey::Text,
        .headers = {{{Signature, "X-Hub-Signature-256"}}},
        .signature = {.encoding = SignatureEncoding::Hex, .tag = "sha256="},
        .superseded = {.name = "X-Hub-Signature", .what = "SHA-1"},
        .label = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "GitHub (X-Hub-Signature-256)"),
        .help = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "X-Hub-Signature-256: sha256=<hex> of the body, keyed with the secret as text; "
                                                                "only the newest secret signs"),
    },
    SchemeDescriptor{
        .scheme = Scheme::Stripe,
        .name = u"stripe",
        .content = SignedContent::TimestampBody,
        // Stripe's whsec_ secrets key the HMAC as the text the receiver
        // copied; they are never base64-decoded.
        .key = SecretKey::Text,
        .headers = {{{Signature, "Stripe-Signature"}}},
        .signature = {.encoding = SignatureEncoding::Hex, .tag = "v1=", .separator = ',', .timestampTag = "t=", .entryName = "v1= signature"},
        .superseded = {},
        .label = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "Stripe (Stripe-Signature)"),
        .help = QT_TRANSLATE_NOOP("hookline::SchemeDescriptor", "Stripe-Signature: t=<timestamp>,v1=<hex> of timestamp.body for each current "
                                                                "secret, keyed with the whole whsec_ secret as text"),
    },
};

// find(Scheme) indexes the table by enumerator.
constexpr bool inEnumeratorOrder()
{
    for (std::size_t i = 0; i < kSchemes.size(); ++i) {
        if (kSchemes[i].scheme != static_cast<Scheme>(i))
            return false;
    }
    return true;
}
static_assert(inEnumeratorOrder(), "kSchemes must list the schemes in the order of Scheme's enumerators");

} // namespace

QByteArray SchemeHeader::resolved(QByteArrayView prefix) const
{
    return afterPrefix ? prefix.toByteArray() + name.toByteArray() : name.toByteArray();
}

bool SchemeDescriptor::usesPrefix() const
{
    return std::any_of(headers.cbegin(), headers.cend(), [](const SchemeHeader &h) { return h.isUsed() && h.afterPrefix; });
}

const SchemeHeader &SchemeDescriptor::signatureHeader() const
{
    const auto found = std::find_if(headers.cbegin(), headers.cend(), [](const SchemeHeader &h) { return h.carries == Signature; });
    // Every entry has one (tst_signing checks the table).
    Q_ASSERT(found != headers.cend());
    return *found;
}

QByteArray SchemeDescriptor::signedContent(const QByteArray &messageId, qint64 timestamp, const QByteArray &body) const
{
    const QByteArray ts = QByteArray::number(timestamp);
    switch (content) {
    case SignedContent::IdTimestampBody: return messageId + '.' + ts + '.' + body;
    case SignedContent::TimestampBody: return ts + '.' + body;
    case SignedContent::Body: return body;
    }
    return body;
}

std::optional<QByteArray> SchemeDescriptor::hmacKey(QStringView secret, QString *error) const
{
    switch (key) {
    case SecretKey::WhsecBase64: return Secret::standardKey(secret, error);
    case SecretKey::Text: return secret.toUtf8();
    }
    return std::nullopt;
}

std::span<const SchemeDescriptor> SchemeDescriptor::all()
{
    return kSchemes;
}

const SchemeDescriptor *SchemeDescriptor::find(Scheme scheme)
{
    const auto index = static_cast<std::size_t>(scheme);
    // Out of range only for a value cast from a bad integer.
    return index < kSchemes.size() ? &kSchemes[index] : nullptr;
}

const SchemeDescriptor *SchemeDescriptor::find(QStringView name)
{
    for (const SchemeDescriptor &d : kSchemes) {
        if (d.name == name)
            return &d;
    }
    return nullptr;
}

QStringList SchemeDescriptor::headerNames(const QString &prefix)
{
    QStringList names;
    for (const bool prefixed : {true, false}) {
        for (const SchemeDescriptor &d : kSchemes) {
            for (const SchemeHeader &h : d.headers) {
                if (!h.isUsed() || h.afterPrefix != prefixed)
                    continue;
                const QString name = (prefixed ? prefix : QString()) + QString::fromLatin1(h.name);
                if (!names.contains(name))
                    names.append(name);
            }
        }
    }
    return names;
}

} // namespace hookline
