// Tests for core/signing: schemes, HMAC, secrets, Signer and Verifier.
//
// Reference values come from three places, noted at each use:
//  * public vectors published by Standard Webhooks and GitHub (must pass);
//  * RFC 4231 for raw HMAC-SHA256;
//  * values computed independently of this code, with
//      printf '%s' "$CONTENT" | openssl dgst -sha256 -hmac "$KEY" [-r | -binary | base64]
//    and cross-checked with Node:
//      node -e 'console.log(require("crypto").createHmac("sha256", KEY).update(CONTENT).digest("hex"))'
//    (for standard, KEY = Buffer.from(secretAfterWhsec, "base64")).

#include "signing/Hmac.h"
#include "signing/Scheme.h"
#include "signing/SchemeDescriptor.h"
#include "signing/Secret.h"
#include "signing/Signer.h"
#include "signing/Verifier.h"

#include <QtTest>

using namespace hookline;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(hookline::Scheme)
Q_DECLARE_METATYPE(std::optional<hookline::Scheme>)

namespace {

// Body shared by the independently computed vectors.
constexpr QByteArrayView kBody = R"({"event":"invoice.paid","id":42})";
constexpr qint64 kTs = 1700000000;

// Public Standard Webhooks vector #1 (used for rotation and tolerance too).
constexpr QStringView kStdSecret1 = u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr QByteArrayView kStdId1 = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr qint64 kStdTs1 = 1614265330;
constexpr QByteArrayView kStdBody1 = R"({"test": 2432232314})";
constexpr QByteArrayView kStdSig1 = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
// Public vector #2, 18-byte key.
constexpr QStringView kStdSecret2 = u"whsec_plJ3nmyCDGBKInavdOK15jsl";

const QList<Scheme> kAllSchemes = {Scheme::Standard, Scheme::HmacHex, Scheme::HmacBase64, Scheme::Timestamped, Scheme::Github, Scheme::Stripe};
const QList<QByteArray> kPrefixes = {"X-Webhook", "X-FinSight", "X-Audit-Trail"};

// A secret every scheme accepts (standard needs base64 after whsec_).
QString secretFor(Scheme scheme, int n = 0)
{
    if (scheme == Scheme::Standard)
        return n == 0 ? kStdSecret1.toString() : kStdSecret2.toString();
    return n == 0 ? u"whsec_test_stripe_secret"_s : u"whsec_older_stripe_secret"_s;
}

SignRequest makeRequest(const QByteArray &prefix = "X-Webhook")
{
    SignRequest r;
    r.messageId = "msg_2aQjZ0test";
    r.timestamp = kTs;
    r.body = kBody.toByteArray();
    r.headerPrefix = prefix;
    return r;
}

VerifyRequest verifyRequestFor(const SignResult &signed_, const SignRequest &req)
{
    VerifyRequest v;
    v.headers = signed_.headers;
    v.body = req.body;
    v.headerPrefix = req.headerPrefix;
    v.now = req.timestamp;
    return v;
}

QByteArray header(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return QByteArray();
}

void setHeader(HeaderList &headers, QByteArrayView name, const QByteArray &value)
{
    for (auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0) {
            v = value;
            return;
        }
    }
    QFAIL("header to replace not found");
}

// The header that carries the signature for a scheme signed with `prefix`.
QByteArray signatureHeaderName(Scheme scheme, const QByteArray &prefix)
{
    switch (scheme) {
    case Scheme::Standard: return "webhook-signature";
    case Scheme::Stripe: return "Stripe-Signature";
    case Scheme::Github: return "X-Hub-Signature-256";
    default: return prefix + "-Signature";
    }
}

QByteArray timestampHeaderName(Scheme scheme, const QByteArray &prefix)
{
    switch (scheme) {
    case Scheme::Standard: return "webhook-timestamp";
    case Scheme::Timestamped: return prefix + "-Timestamp";
    default: return QByteArray();
    }
}

// Headers as text, so a failed QCOMPARE shows them.
QByteArray dump(const HeaderList &headers)
{
    QByteArray text;
    for (const auto &[n, v] : headers)
        text += n + ": " + v + '\n';
    return text;
}

QString label(std::optional<Scheme> scheme)
{
    return scheme ? schemeName(*scheme) : u"(none)"_s;
}

QByteArray rowName(Scheme scheme, const QByteArray &suffix)
{
    return schemeName(scheme).toLatin1() + '/' + suffix;
}

} // namespace

class TestSigning final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void schemes();

    void descriptorTable();
    void descriptorEntry_data();
    void descriptorEntry();
    void descriptorRoundTrip_data();
    void descriptorRoundTrip();
    void descriptorDetect_data();
    void descriptorDetect();

    void hmacReference();
    void constantTimeEquals_data();
    void constantTimeEquals();

    void vectors_data();
    void vectors();

    void roundTrip_data();
    void roundTrip();
    void tamper_data();
    void tamper();
    void missingHeader_data();
    void missingHeader();
    void tolerance_data();
    void tolerance();
    void toleranceReasonText();

    void rotationMultiKey_data();
    void rotationMultiKey();
    void rotationSingleKey_data();
    void rotationSingleKey();

    void detect_data();
    void detect();
    void verifyForgiving_data();
    void verifyForgiving();
    void verifyMalformed_data();
    void verifyMalformed();
    void pinnedSchemeRejectsReframing();

    void secretGenerate();
    void standardKey_data();
    void standardKey();
    void mask_data();
    void mask();
    void signErrors_data();
    void signErrors();
};

void TestSigning::schemes()
{
    const QStringList expected = {u"standard"_s, u"hmac-hex"_s, u"hmac-base64"_s, u"timestamped"_s, u"github"_s, u"stripe"_s};
    QCOMPARE(schemeNames(), expected);
    for (const Scheme s : kAllSchemes) {
        QCOMPARE(label(schemeFromName(schemeName(s))), schemeName(s));
        QCOMPARE(schemeUsesTimestamp(s), s == Scheme::Standard || s == Scheme::Timestamped || s == Scheme::Stripe);
    }
    // Exact lowercase names only: a typo must not silently pick a scheme.
    for (const QString &bad : {u"Standard"_s, u"hmac_hex"_s, u""_s, u" github"_s, u"STRIPE"_s})
        QVERIFY2(!schemeFromName(bad), qPrintable(bad));
}

namespace {

// One row per entry of the scheme table, named after the scheme.
void addDescriptorRows()
{
    QTest::addColumn<int>("index");
    const auto all = SchemeDescriptor::all();
    for (std::size_t i = 0; i < all.size(); ++i)
        QTest::newRow(all[i].name.toLatin1().constData()) << int(i);
}

} // namespace

void TestSigning::descriptorTable()
{
    const auto all = SchemeDescriptor::all();
    QCOMPARE(qsizetype(all.size()), schemeNames().size());
    QStringList names;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const SchemeDescriptor &d = all[i];
        // The table is indexed by enumerator, and the names functions read it.
        QCOMPARE(int(d.scheme), int(i));
        QCOMPARE(SchemeDescriptor::find(d.scheme), &d);
        QCOMPARE(SchemeDescriptor::find(d.name), &d);
        QCOMPARE(schemeName(d.scheme), d.name.toString());
        QCOMPARE(schemeNames().at(qsizetype(i)), d.name.toString());
        QCOMPARE(schemeUsesTimestamp(d.scheme), d.usesTimestamp());
        QVERIFY2(!names.contains(d.name.toString()), qPrintable(d.name.toString()));
        names << d.name.toString();
    }
    QVERIFY(!SchemeDescriptor::find(static_cast<Scheme>(all.size())));
    QVERIFY(!SchemeDescriptor::find(u"Standard"));

    // Custom headers may not take any scheme's header names.
    const QStringList reserved = SchemeDescriptor::headerNames(u"X-FinSight"_s);
    for (const SchemeDescriptor &d : all) {
        for (const SchemeHeader &h : d.headers) {
            if (h.isUsed())
                QVERIFY2(reserved.contains(QString::fromLatin1(h.resolved("X-FinSight"))), h.name.data());
        }
    }
    QCOMPARE(reserved.size(), QSet<QString>(reserved.cbegin(), reserved.cend()).size());
}

void TestSigning::descriptorEntry_data()
{
    addDescriptorRows();
}

// What one entry says must hold together.
void TestSigning::descriptorEntry()
{
    QFETCH(int, index);
    const SchemeDescriptor &d = SchemeDescriptor::all()[std::size_t(index)];

    int signatures = 0;
    bool timestampSent = !d.signature.timestampTag.isEmpty();
    bool idSent = false;
    bool unusedSeen = false;
    QSet<QByteArray> names;
    for (const SchemeHeader &h : d.headers) {
        if (!h.isUsed()) {
            unusedSeen = true;
            continue;
        }
        QVERIFY2(!unusedSeen, "used header slots come first");
        QVERIFY(!h.name.isEmpty());
        QVERIFY2(!names.contains(h.name.toByteArray().toLower()), h.name.data());
        names.insert(h.name.toByteArray().toLower());
        signatures += h.carries == SchemeHeader::Carries::Signature;
        timestampSent = timestampSent || h.carries == SchemeHeader::Carries::Timestamp;
        idSent = idSent || h.carries == SchemeHeader::Carries::MessageId;
        // The one-line help names every header the scheme sends.
        const QString shown = (h.afterPrefix ? u"<P>"_s : QString()) + QString::fromLatin1(h.name);
        QVERIFY2(QString::fromLatin1(d.help).contains(shown), qPrintable(shown));
    }
    QCOMPARE(signatures, 1);
    QVERIFY(d.signatureHeader().carries == SchemeHeader::Carries::Signature);
    // What is signed reaches the receiver, and what reaches it is signed.
    QCOMPARE(timestampSent, d.usesTimestamp());
    QCOMPARE(idSent, d.usesMessageId());

    // A timestamp entry needs a list to sit in; a list names its entries.
    if (!d.signature.timestampTag.isEmpty())
        QVERIFY(d.signsWithEverySecret());
    QCOMPARE(!d.signature.entryName.isEmpty(), d.signsWithEverySecret());
    QCOMPARE(d.superseded.name.isEmpty(), d.superseded.what.isEmpty());

    QVERIFY(d.label && *d.label);
    QVERIFY(d.help && *d.help);
    QVERIFY2(!QByteArray(d.help).contains('\n'), "the help is one line");
}

void TestSigning::descriptorRoundTrip_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("secretCount");
    const auto all = SchemeDescriptor::all();
    for (std::size_t i = 0; i < all.size(); ++i) {
        for (const int n : {1, 2})
            QTest::newRow(QByteArray(all[i].name.toLatin1() + '/' + QByteArray::number(n) + " secret").constData()) << int(i) << n;
    }
}

// Every entry signs and verifies, with one secret or two during a rotation,
// writing the headers, signed bytes and signature count its entry says.
void TestSigning::descriptorRoundTrip()
{
    QFETCH(int, index);
    QFETCH(int, secretCount);
    const SchemeDescriptor &d = SchemeDescriptor::all()[std::size_t(index)];
    const QByteArray prefix = "X-FinSight";

    QStringList secrets;
    for (int i = 0; i < secretCount; ++i)
        secrets << (d.key == SecretKey::WhsecBase64 ? Secret::generate() : u"descriptor-secret-%1"_s.arg(i));
    const SignRequest req = makeRequest(prefix);
    const SignResult signed_ = Signer::sign(d.scheme, secrets, req);
    QVERIFY2(signed_.ok(), qPrintable(signed_.error));

    QList<QByteArray> expectedNames;
    for (const SchemeHeader &h : d.headers) {
        if (h.isUsed())
            expectedNames << h.resolved(prefix);
    }
    QList<QByteArray> names;
    for (const auto &[name, value] : signed_.headers)
        names << name;
    QCOMPARE(names, expectedNames);

    const QByteArray ts = QByteArray::number(req.timestamp);
    switch (d.content) {
    case SignedContent::Body: QCOMPARE(signed_.signedContent, req.body); break;
    case SignedContent::TimestampBody: QCOMPARE(signed_.signedContent, ts + '.' + req.body); break;
    case SignedContent::IdTimestampBody: QCOMPARE(signed_.signedContent, req.messageId + '.' + ts + '.' + req.body); break;
    }

    const QByteArray value = header(signed_.headers, d.signatureHeader().resolved(prefix));
    const int signers = d.signsWithEverySecret() ? secretCount : 1;
    if (d.signsWithEverySecret()) {
        int entries = 0;
        for (const QByteArray &entry : value.split(d.signature.separator)) {
            if (d.signature.timestampTag.isEmpty() || !entry.startsWith(d.signature.timestampTag))
                entries += entry.startsWith(d.signature.tag);
        }
        QCOMPARE(entries, signers);
    } else {
        QVERIFY(value.startsWith(d.signature.tag));
        QCOMPARE(value.size() - d.signature.tag.size(), qsizetype(d.signature.encoding == SignatureEncoding::Hex ? 64 : 44));
    }

    VerifyRequest v = verifyRequestFor(signed_, req);
    for (int i = 0; i < secretCount; ++i) {
        for (const bool pinned : {true, false}) {
            v.scheme = pinned ? std::optional<Scheme>(d.scheme) : std::nullopt;
            const VerifyResult r = Verifier::verify(secrets.at(i), v);
            QCOMPARE(r.valid, i < signers);
            QCOMPARE(label(r.scheme), d.name.toString());
            if (r.valid)
                QCOMPARE(r.reason, u"signature valid"_s);
        }
    }
    const QString stranger = d.key == SecretKey::WhsecBase64 ? Secret::generate() : u"someone-else"_s;
    QVERIFY(!Verifier::verify(stranger, v).valid);
}

// clang-format off
void TestSigning::descriptorDetect_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<bool>("lowercase");
    const auto all = SchemeDescriptor::all();
    for (std::size_t i = 0; i < all.size(); ++i) {
        for (const QByteArray &p : kPrefixes) {
            for (const bool lower : {false, true}) {
                QTest::newRow(QByteArray(all[i].name.toLatin1() + '/' + p + (lower ? "/lowercase" : "")).constData())
                    << int(i) << p << lower;
            }
        }
    }
}
// clang-format on

// Detection finds each scheme from the headers it sends, whatever the prefix,
// and with the names lowercased as HTTP/2 delivers them.
void TestSigning::descriptorDetect()
{
    QFETCH(int, index);
    QFETCH(QByteArray, prefix);
    QFETCH(bool, lowercase);
    const SchemeDescriptor &d = SchemeDescriptor::all()[std::size_t(index)];

    const QString secret = d.key == SecretKey::WhsecBase64 ? Secret::generate() : u"detect-secret"_s;
    const SignResult signed_ = Signer::sign(d.scheme, {secret}, makeRequest(prefix));
    QVERIFY2(signed_.ok(), qPrintable(signed_.error));
    HeaderList headers = signed_.headers;
    if (lowercase) {
        for (auto &h : headers)
            h.first = h.first.toLower();
    }
    QString why;
    QCOMPARE(label(Verifier::detect(headers, &why)), d.name.toString());
    QVERIFY2(why.isEmpty(), qPrintable(why));
}

void TestSigning::hmacReference()
{
    // RFC 4231, test case 2.
    QCOMPARE(hmacSha256("Jefe", "what do ya want for nothing?").toHex(), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // Empty key and message (Node: createHmac("sha256", "").update("")).
    QCOMPARE(hmacSha256(QByteArrayView(), QByteArrayView()).toHex(), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    QCOMPARE(hmacSha256("k", "d").size(), 32);
}

void TestSigning::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");
    QTest::newRow("same") << QByteArray("abcdef") << QByteArray("abcdef") << true;
    QTest::newRow("last byte") << QByteArray("abcdef") << QByteArray("abcdeg") << false;
    QTest::newRow("first byte") << QByteArray("abcdef") << QByteArray("bbcdef") << false;
    QTest::newRow("prefix (shorter)") << QByteArray("abcdef") << QByteArray("abc") << false;
    QTest::newRow("longer") << QByteArray("abc") << QByteArray("abcdef") << false;
    QTest::newRow("one empty") << QByteArray() << QByteArray("a") << false;
    QTest::newRow("both empty") << QByteArray() << QByteArray("") << true;
    QTest::newRow("embedded NUL") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
}

void TestSigning::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(hookline::constantTimeEquals(a, b), equal);
    QCOMPARE(hookline::constantTimeEquals(b, a), equal);
}

// clang-format off
void TestSigning::vectors_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<QByteArray>("messageId");
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<HeaderList>("headers");

    const QByteArray body = kBody.toByteArray();

    // --- Public vectors (Standard Webhooks, GitHub docs).
    QTest::newRow("standard public #1")
        << Scheme::Standard << QStringList{kStdSecret1.toString()} << kStdId1.toByteArray() << kStdTs1
        << kStdBody1.toByteArray() << QByteArray("X-Webhook")
        << HeaderList{{"webhook-id", kStdId1.toByteArray()},
                      {"webhook-timestamp", "1614265330"},
                      {"webhook-signature", "v1," + kStdSig1.toByteArray()}};
    QTest::newRow("standard public #2 (18-byte key)")
        << Scheme::Standard << QStringList{kStdSecret2.toString()} << QByteArray("msg_loFOjxBNrRLzqYUf")
        << qint64(1731705121) << QByteArray(R"({"event_type":"ping","data":{"success":true}})")
        << QByteArray("X-Webhook")
        << HeaderList{{"webhook-id", "msg_loFOjxBNrRLzqYUf"},
                      {"webhook-timestamp", "1731705121"},
                      {"webhook-signature", "v1,rAvfW3dJ/X/qxhsaXPOyyCGmRKsaKWcsNccKXlIktD0="}};
    QTest::newRow("github public")
        << Scheme::Github << QStringList{u"It's a Secret to Everybody"_s} << QByteArray() << qint64(0)
        << QByteArray("Hello, World!") << QByteArray("X-Webhook")
        << HeaderList{{"X-Hub-Signature-256",
                       "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}};

    // --- Rotation under standard: newest key (#2's) first, then #1's, over
    // message #1. The second entry is the public value; the first was computed
    // with Node: createHmac("sha256", Buffer.from("plJ3nmyCDGBKInavdOK15jsl",
    // "base64")).update("msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{\"test\": 2432232314}").digest("base64").
    QTest::newRow("standard rotation")
        << Scheme::Standard << QStringList{kStdSecret2.toString(), kStdSecret1.toString()}
        << kStdId1.toByteArray() << kStdTs1 << kStdBody1.toByteArray() << QByteArray("X-Webhook")
        << HeaderList{{"webhook-id", kStdId1.toByteArray()},
                      {"webhook-timestamp", "1614265330"},
                      {"webhook-signature", "v1,3Q7B9pz3SlC1/gG4UJ269Qj4TLRRQk5tdhkvlUuj234= v1," + kStdSig1.toByteArray()}};

    // --- Independently computed (openssl dgst -sha256 -hmac, same from Node).
    // printf '%s' '{"event":"invoice.paid","id":42}' | openssl dgst -sha256 -hmac 'hookline-test-secret' -r
    QTest::newRow("hmac-hex X-Webhook")
        << Scheme::HmacHex << QStringList{u"hookline-test-secret"_s} << QByteArray() << qint64(0) << body
        << QByteArray("X-Webhook")
        << HeaderList{{"X-Webhook-Signature", "021970282ff6345b09725add22bb160627d01ddf8cb4aaee9685f1a1ff1dcf98"}};
    QTest::newRow("hmac-hex X-FinSight")
        << Scheme::HmacHex << QStringList{u"hookline-test-secret"_s} << QByteArray() << qint64(0) << body
        << QByteArray("X-FinSight")
        << HeaderList{{"X-FinSight-Signature", "021970282ff6345b09725add22bb160627d01ddf8cb4aaee9685f1a1ff1dcf98"}};
    // Same, | openssl dgst -sha256 -hmac 'hookline-test-secret' -binary | base64
    QTest::newRow("hmac-base64 X-Audit-Trail")
        << Scheme::HmacBase64 << QStringList{u"hookline-test-secret"_s} << QByteArray() << qint64(0) << body
        << QByteArray("X-Audit-Trail")
        << HeaderList{{"X-Audit-Trail-Signature", "AhlwKC/2NFsJclrdIrsWBifQHd+MtKruloXxof8dz5g="}};
    // The key is the secret's UTF-8 bytes: openssl dgst -sha256 -hmac 'clé-secrète' (UTF-8 shell).
    QTest::newRow("hmac-hex UTF-8 secret")
        << Scheme::HmacHex << QStringList{u"cl\u00e9-secr\u00e8te"_s} << QByteArray() << qint64(0) << body
        << QByteArray("X-Webhook")
        << HeaderList{{"X-Webhook-Signature", "1210d8b088b57f6684149f7feecbea4c7545e5b0198ab79709765d7126ffdc3b"}};
    // printf '%s' '1700000000.{"event":"invoice.paid","id":42}' | openssl dgst -sha256 -hmac 's3cr3t-timestamped' -r
    QTest::newRow("timestamped X-FinSight")
        << Scheme::Timestamped << QStringList{u"s3cr3t-timestamped"_s} << QByteArray() << kTs << body
        << QByteArray("X-FinSight")
        << HeaderList{{"X-FinSight-Signature", "sha256=80b219a5ff70f8c5e8cbc13b8d9d68d4764631e25af6cb1811aadcd9afc70ddd"},
                      {"X-FinSight-Timestamp", "1700000000"}};
    // Stripe keys with the whole "whsec_..." string (not base64-decoded):
    // printf '%s' '1700000000.{"event":"invoice.paid","id":42}' | openssl dgst -sha256 -hmac 'whsec_test_stripe_secret' -r
    QTest::newRow("stripe")
        << Scheme::Stripe << QStringList{u"whsec_test_stripe_secret"_s} << QByteArray() << kTs << body
        << QByteArray("X-Webhook")
        << HeaderList{{"Stripe-Signature",
                       "t=1700000000,v1=b7d179b7afbc3af58c2f8c8a86195560ccd11f4c43c18d9c39573fcc5004a80f"}};
    // A whsec_ secret that *is* valid base64 must still not be decoded for
    // stripe: -hmac 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' over the same content.
    QTest::newRow("stripe, base64-looking whsec_ secret used verbatim")
        << Scheme::Stripe << QStringList{kStdSecret1.toString()} << QByteArray() << kTs << body
        << QByteArray("X-Webhook")
        << HeaderList{{"Stripe-Signature",
                       "t=1700000000,v1=8c38f1ac5baa001e9f0e062b66b6217bc03f23a3673bffe65863a67f65ab4309"}};
    // ... and -hmac 'whsec_older_stripe_secret' for the second v1.
    QTest::newRow("stripe rotation")
        << Scheme::Stripe << QStringList{u"whsec_test_stripe_secret"_s, u"whsec_older_stripe_secret"_s}
        << QByteArray() << kTs << body << QByteArray("X-Webhook")
        << HeaderList{{"Stripe-Signature",
                       "t=1700000000,v1=b7d179b7afbc3af58c2f8c8a86195560ccd11f4c43c18d9c39573fcc5004a80f"
                       ",v1=941c2568e604f04181f684ebef07343638f1df8d28eb3bad6e4377b8e63db468"}};
}
// clang-format on

void TestSigning::vectors()
{
    QFETCH(Scheme, scheme);
    QFETCH(QStringList, secrets);
    QFETCH(QByteArray, messageId);
    QFETCH(qint64, timestamp);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, prefix);
    QFETCH(HeaderList, headers);

    SignRequest req;
    req.messageId = messageId;
    req.timestamp = timestamp;
    req.body = body;
    req.headerPrefix = prefix;

    const SignResult result = Signer::sign(scheme, secrets, req);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(dump(result.headers), dump(headers));
    QCOMPARE(result.signedContent, Signer::signedContent(scheme, req));

    // The receiving side accepts it with every secret that signed.
    const qsizetype signers = (scheme == Scheme::Standard || scheme == Scheme::Stripe) ? secrets.size() : 1;
    for (qsizetype i = 0; i < signers; ++i) {
        VerifyRequest v;
        v.headers = headers;
        v.body = body;
        v.now = timestamp > 0 ? timestamp : kTs;
        const VerifyResult verified = Verifier::verify(secrets.at(i), v);
        QVERIFY2(verified.valid, qPrintable(verified.reason));
        QCOMPARE(label(verified.scheme), schemeName(scheme));
    }
}

void TestSigning::roundTrip_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<QByteArray>("prefix");
    for (const Scheme s : kAllSchemes) {
        for (const QByteArray &p : kPrefixes)
            QTest::newRow(rowName(s, p).constData()) << s << p;
    }
}

void TestSigning::roundTrip()
{
    QFETCH(Scheme, scheme);
    QFETCH(QByteArray, prefix);

    const QString secret = scheme == Scheme::Standard ? Secret::generate() : u"roundtrip-secret"_s;
    const SignRequest req = makeRequest(prefix);
    const SignResult signed_ = Signer::sign(scheme, {secret}, req);
    QVERIFY2(signed_.ok(), qPrintable(signed_.error));

    const int expectedCount = scheme == Scheme::Standard ? 3 : scheme == Scheme::Timestamped ? 2 : 1;
    QCOMPARE(signed_.headers.size(), expectedCount);
    QVERIFY(!header(signed_.headers, signatureHeaderName(scheme, prefix)).isEmpty());

    // 1. Scheme and prefix given.
    VerifyRequest v = verifyRequestFor(signed_, req);
    v.scheme = scheme;
    VerifyResult r = Verifier::verify(secret, v);
    QVERIFY2(r.valid, qPrintable(r.reason));
    QCOMPARE(r.expected, r.given);
    QCOMPARE(r.signedContent, signed_.signedContent);
    QCOMPARE(r.reason, u"signature valid"_s);

    // 2. Scheme detected, verifier left at the default prefix: a pasted
    // X-FinSight-Signature must still verify.
    v.scheme.reset();
    v.headerPrefix = "X-Webhook";
    r = Verifier::verify(secret, v);
    QVERIFY2(r.valid, qPrintable(r.reason));
    QCOMPARE(label(r.scheme), schemeName(scheme));

    // 3. Header names lowercased, as HTTP/2 delivers them.
    for (auto &h : v.headers)
        h.first = h.first.toLower();
    r = Verifier::verify(secret, v);
    QVERIFY2(r.valid, qPrintable(r.reason));
    QCOMPARE(label(r.scheme), schemeName(scheme));
}

void TestSigning::tamper_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QString>("what");
    for (const Scheme s : kAllSchemes) {
        for (const QByteArray &p : {QByteArray("X-Webhook"), QByteArray("X-Audit-Trail")}) {
            QStringList kinds = {u"body"_s, u"signature"_s, u"secret"_s};
            if (schemeUsesTimestamp(s))
                kinds << u"timestamp"_s;
            if (s == Scheme::Standard)
                kinds << u"id"_s;
            for (const QString &k : kinds)
                QTest::newRow(rowName(s, p + '/' + k.toLatin1()).constData()) << s << p << k;
        }
    }
}

void TestSigning::tamper()
{
    QFETCH(Scheme, scheme);
    QFETCH(QByteArray, prefix);
    QFETCH(QString, what);

    const QString secret = secretFor(scheme);
    const SignRequest req = makeRequest(prefix);
    const SignResult signed_ = Signer::sign(scheme, {secret}, req);
    QVERIFY2(signed_.ok(), qPrintable(signed_.error));

    VerifyRequest v = verifyRequestFor(signed_, req);
    v.scheme = scheme;
    QString verifyWith = secret;

    if (what == u"body") {
        v.body.replace("42", "43");
    } else if (what == u"secret") {
        verifyWith = secretFor(scheme, 1);
    } else if (what == u"id") {
        setHeader(v.headers, "webhook-id", "msg_other");
    } else if (what == u"timestamp") {
        // One second later: well inside the tolerance, so only the HMAC catches it.
        if (scheme == Scheme::Stripe) {
            QByteArray value = header(v.headers, "Stripe-Signature");
            value.replace("t=1700000000", "t=1700000001");
            setHeader(v.headers, "Stripe-Signature", value);
        } else {
            setHeader(v.headers, timestampHeaderName(scheme, prefix), "1700000001");
        }
    } else if (what == u"signature") {
        // Flip the last significant character of the signature, keeping its
        // encoding valid so only the comparison catches it.
        const QByteArray name = signatureHeaderName(scheme, prefix);
        QByteArray value = header(v.headers, name);
        qsizetype i = value.size() - 1;
        if (value.at(i) == '=')
            --i;
        value[i] = value.at(i) == 'a' ? 'b' : 'a';
        setHeader(v.headers, name, value);
    }

    const VerifyResult r = Verifier::verify(verifyWith, v);
    QVERIFY2(!r.valid, qPrintable(r.reason));
    QCOMPARE(r.reason, u"signature mismatch"_s);
    QVERIFY(r.expected != r.given || what == u"timestamp" || what == u"id" || what == u"body");
}

// clang-format off
void TestSigning::missingHeader_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QByteArray>("drop");
    QTest::addColumn<QString>("reason");
    QTest::newRow("standard timestamp") << Scheme::Standard << QByteArray("X-Webhook")
                                        << QByteArray("webhook-timestamp") << u"missing header webhook-timestamp"_s;
    QTest::newRow("standard id") << Scheme::Standard << QByteArray("X-Webhook") << QByteArray("webhook-id")
                                 << u"missing header webhook-id"_s;
    QTest::newRow("standard signature") << Scheme::Standard << QByteArray("X-Webhook")
                                        << QByteArray("webhook-signature") << u"missing header webhook-signature"_s;
    QTest::newRow("timestamped timestamp") << Scheme::Timestamped << QByteArray("X-Audit-Trail")
                                           << QByteArray("X-Audit-Trail-Timestamp")
                                           << u"missing header X-Audit-Trail-Timestamp"_s;
    QTest::newRow("timestamped signature") << Scheme::Timestamped << QByteArray("X-FinSight")
                                           << QByteArray("X-FinSight-Signature")
                                           << u"missing header X-FinSight-Signature"_s;
    QTest::newRow("github") << Scheme::Github << QByteArray("X-Webhook") << QByteArray("X-Hub-Signature-256")
                            << u"missing header X-Hub-Signature-256"_s;
    QTest::newRow("stripe") << Scheme::Stripe << QByteArray("X-Webhook") << QByteArray("Stripe-Signature")
                            << u"missing header Stripe-Signature"_s;
    QTest::newRow("hmac-hex") << Scheme::HmacHex << QByteArray("X-FinSight") << QByteArray("X-FinSight-Signature")
                              << u"missing header X-FinSight-Signature"_s;
}
// clang-format on

void TestSigning::missingHeader()
{
    QFETCH(Scheme, scheme);
    QFETCH(QByteArray, prefix);
    QFETCH(QByteArray, drop);
    QFETCH(QString, reason);

    const QString secret = secretFor(scheme);
    const SignRequest req = makeRequest(prefix);
    const SignResult signed_ = Signer::sign(scheme, {secret}, req);
    QVERIFY2(signed_.ok(), qPrintable(signed_.error));
    VerifyRequest v = verifyRequestFor(signed_, req);
    v.scheme = scheme;
    v.headers.removeIf([&](const auto &h) { return h.first == drop; });
    QCOMPARE(v.headers.size(), signed_.headers.size() - 1);

    const VerifyResult r = Verifier::verify(secret, v);
    QVERIFY(!r.valid);
    QCOMPARE(r.reason, reason);
}

// clang-format off
void TestSigning::tolerance_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<qint64>("nowOffset");      // now - timestamp
    QTest::addColumn<int>("tolerance");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("reasonPart");

    for (const Scheme s : {Scheme::Standard, Scheme::Timestamped, Scheme::Stripe}) {
        const auto row = [s](const char *name) -> QTestData & {
            return QTest::newRow(rowName(s, name).constData()) << s;
        };
        row("exact") << qint64(0) << 300 << true << u"signature valid"_s;
        row("old, at limit") << qint64(300) << 300 << true << u"signature valid"_s;
        row("old, past limit") << qint64(301) << 300 << false << u"is 301 s old, beyond the 300 s tolerance"_s;
        row("new, at limit") << qint64(-300) << 300 << true << u"signature valid"_s;
        row("new, past limit") << qint64(-301) << 300 << false
                               << u"is 301 s in the future, beyond the 300 s tolerance"_s;
        row("custom tolerance old") << qint64(11) << 10 << false << u"is 11 s old, beyond the 10 s tolerance"_s;
        row("custom tolerance new") << qint64(-11) << 10 << false
                                    << u"is 11 s in the future, beyond the 10 s tolerance"_s;
        row("zero tolerance") << qint64(1) << 0 << false << u"is 1 s old"_s;
        row("check disabled") << qint64(10'000'000) << -1 << true << u"signature valid"_s;
    }
    // Schemes without a timestamp ignore the clock entirely.
    for (const Scheme s : {Scheme::HmacHex, Scheme::HmacBase64, Scheme::Github})
        QTest::newRow(rowName(s, "no timestamp").constData())
            << s << qint64(10'000'000) << 300 << true << u"signature valid"_s;
}
// clang-format on

void TestSigning::tolerance()
{
    QFETCH(Scheme, scheme);
    QFETCH(qint64, nowOffset);
    QFETCH(int, tolerance);
    QFETCH(bool, valid);
    QFETCH(QString, reasonPart);

    const QString secret = secretFor(scheme);
    const SignRequest req = makeRequest();
    const SignResult signed_ = Signer::sign(scheme, {secret}, req);
    QVERIFY2(signed_.ok(), qPrintable(signed_.error));
    VerifyRequest v = verifyRequestFor(signed_, req);
    v.now = kTs + nowOffset;
    v.toleranceSeconds = tolerance;

    const VerifyResult r = Verifier::verify(secret, v);
    QCOMPARE(r.valid, valid);
    QVERIFY2(r.reason.contains(reasonPart), qPrintable(r.reason));
    // A stale but genuine delivery says its signature is fine, so a clock
    // problem is not mistaken for a secret problem.
    if (!valid)
        QVERIFY2(r.reason.endsWith(u"; the signature itself matches"), qPrintable(r.reason));
}

void TestSigning::toleranceReasonText()
{
    VerifyRequest v;
    v.headers = {{"webhook-id", kStdId1.toByteArray()}, {"webhook-timestamp", "1614265330"}, {"webhook-signature", "v1," + kStdSig1.toByteArray()}};
    v.body = kStdBody1.toByteArray();
    v.now = kStdTs1 + 312;
    VerifyResult r = Verifier::verify(kStdSecret1.toString(), v);
    QVERIFY(!r.valid);
    QCOMPARE(r.reason, u"timestamp 1614265330 is 312 s old, beyond the 300 s tolerance; the signature itself matches"_s);

    // Stale and forged: both problems are reported.
    r = Verifier::verify(kStdSecret2.toString(), v);
    QCOMPARE(r.reason, u"timestamp 1614265330 is 312 s old, beyond the 300 s tolerance; the signature does not match either"_s);

    // Milliseconds instead of seconds get a hint.
    v.headers[1].second = "1614265330000";
    v.now = kStdTs1;
    r = Verifier::verify(kStdSecret1.toString(), v);
    QVERIFY(!r.valid);
    QVERIFY2(r.reason.contains(u"in the future") && r.reason.contains(u"milliseconds"), qPrintable(r.reason));
}

// clang-format off
void TestSigning::rotationMultiKey_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<QString>("stranger");
    QTest::newRow("standard") << Scheme::Standard
                              << QStringList{kStdSecret2.toString(), kStdSecret1.toString()}
                              << Secret::generate();
    QTest::newRow("standard, duplicate secret signs once")
        << Scheme::Standard << QStringList{kStdSecret1.toString(), kStdSecret2.toString(), kStdSecret1.toString()}
        << Secret::generate();
    QTest::newRow("stripe") << Scheme::Stripe
                            << QStringList{u"whsec_test_stripe_secret"_s, u"whsec_older_stripe_secret"_s}
                            << u"whsec_someone_else"_s;
}
// clang-format on

void TestSigning::rotationMultiKey()
{
    QFETCH(Scheme, scheme);
    QFETCH(QStringList, secrets);
    QFETCH(QString, stranger);

    const SignRequest req = makeRequest();
    const SignResult signed_ = Signer::sign(scheme, secrets, req);
    QVERIFY2(signed_.ok(), qPrintable(signed_.error));

    const QByteArray value = header(signed_.headers, signatureHeaderName(scheme, req.headerPrefix));
    if (scheme == Scheme::Standard) {
        const QList<QByteArray> entries = value.split(' ');
        QCOMPARE(entries.size(), 2);
        for (const QByteArray &e : entries)
            QVERIFY(e.startsWith("v1,"));
        // Newest first: the first entry is what the first secret alone gives.
        const SignResult newest = Signer::sign(scheme, {secrets.first()}, req);
        QCOMPARE(entries.first(), header(newest.headers, "webhook-signature"));
    } else {
        QCOMPARE(value.count(",v1="), 2);
        QVERIFY(value.startsWith("t=1700000000,v1="));
    }

    // Either key verifies on its own; an unrelated key does not.
    VerifyRequest v = verifyRequestFor(signed_, req);
    for (const QString &s : secrets) {
        const VerifyResult r = Verifier::verify(s, v);
        QVERIFY2(r.valid, qPrintable(r.reason));
    }
    const VerifyResult r = Verifier::verify(stranger, v);
    QVERIFY(!r.valid);
    QCOMPARE(r.reason, u"signature mismatch: none of the 2 signatures matches"_s);
}

void TestSigning::rotationSingleKey_data()
{
    QTest::addColumn<Scheme>("scheme");
    for (const Scheme s : {Scheme::Github, Scheme::HmacHex, Scheme::HmacBase64, Scheme::Timestamped})
        QTest::newRow(schemeName(s).toLatin1().constData()) << s;
}

void TestSigning::rotationSingleKey()
{
    QFETCH(Scheme, scheme);
    const QString newer = u"newer-secret"_s;
    const QString older = u"older-secret"_s;
    const SignRequest req = makeRequest(QByteArrayLiteral("X-FinSight"));

    const SignResult both = Signer::sign(scheme, {newer, older}, req);
    const SignResult onlyNewer = Signer::sign(scheme, {newer}, req);
    QVERIFY2(both.ok(), qPrintable(both.error));
    QCOMPARE(dump(both.headers), dump(onlyNewer.headers));

    // Even an unusable older secret is not looked at.
    QVERIFY(Signer::sign(scheme, {newer, QString()}, req).ok());

    VerifyRequest v = verifyRequestFor(both, req);
    QVERIFY(Verifier::verify(newer, v).valid);
    const VerifyResult r = Verifier::verify(older, v);
    QVERIFY(!r.valid);
    QCOMPARE(r.reason, u"signature mismatch"_s);
}

// clang-format off
void TestSigning::detect_data()
{
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QString>("scheme");    // name, or "(none)"
    QTest::addColumn<QString>("whyPart");

    const QByteArray hex = "021970282ff6345b09725add22bb160627d01ddf8cb4aaee9685f1a1ff1dcf98";
    const QByteArray b64 = "AhlwKC/2NFsJclrdIrsWBifQHd+MtKruloXxof8dz5g=";

    QTest::newRow("standard") << HeaderList{{"webhook-id", "msg_1"}, {"webhook-timestamp", "1"},
                                            {"webhook-signature", "v1," + b64}}
                              << u"standard"_s << QString();
    QTest::newRow("standard, title case") << HeaderList{{"Webhook-Signature", "v1," + b64}} << u"standard"_s
                                          << QString();
    QTest::newRow("stripe") << HeaderList{{"Content-Type", "application/json"}, {"stripe-signature", "t=1,v1=" + hex}}
                            << u"stripe"_s << QString();
    QTest::newRow("github") << HeaderList{{"X-GitHub-Event", "push"}, {"X-Hub-Signature-256", "sha256=" + hex}}
                            << u"github"_s << QString();
    QTest::newRow("github beside sha1") << HeaderList{{"X-Hub-Signature", "sha1=abc"},
                                                      {"X-Hub-Signature-256", "sha256=" + hex}}
                                        << u"github"_s << QString();
    for (const QByteArray &p : kPrefixes) {
        QTest::newRow(QByteArray("timestamped " + p).constData())
            << HeaderList{{p + "-Signature", "sha256=" + hex}, {p + "-Timestamp", "1700000000"}}
            << u"timestamped"_s << QString();
        QTest::newRow(QByteArray("hmac-hex " + p).constData()) << HeaderList{{p + "-Signature", hex}} << u"hmac-hex"_s
                                                     << QString();
        QTest::newRow(QByteArray("hmac-base64 " + p).constData()) << HeaderList{{p + "-Signature", b64}}
                                                        << u"hmac-base64"_s << QString();
    }
    QTest::newRow("timestamped, lowercase names, timestamp first")
        << HeaderList{{"x-audit-trail-timestamp", "1"}, {"x-audit-trail-signature", "SHA256=" + hex}}
        << u"timestamped"_s << QString();
    QTest::newRow("hmac-hex uppercase") << HeaderList{{"X-FinSight-Signature", hex.toUpper()}} << u"hmac-hex"_s
                                        << QString();
    QTest::newRow("hmac-hex, value padded") << HeaderList{{" X-FinSight-Signature ", " " + hex + " "}}
                                            << u"hmac-hex"_s << QString();
    QTest::newRow("sha256= without timestamp")
        << HeaderList{{"X-FinSight-Signature", "sha256=" + hex}} << u"(none)"_s
        << u"X-FinSight-Signature has a sha256= value but there is no X-FinSight-Timestamp header"_s;
    QTest::newRow("timestamp of another prefix")
        << HeaderList{{"X-FinSight-Signature", "sha256=" + hex}, {"X-Audit-Trail-Timestamp", "1"}} << u"(none)"_s
        << u"no X-FinSight-Timestamp header"_s;
    QTest::newRow("garbage value") << HeaderList{{"X-Foo-Signature", "nope"}} << u"(none)"_s
                                   << u"X-Foo-Signature is neither 64 hex characters nor 44 base64 characters"_s;
    QTest::newRow("sha1 only") << HeaderList{{"X-Hub-Signature", "sha1=abc"}} << u"(none)"_s
                               << u"SHA-1"_s;
    QTest::newRow("nothing") << HeaderList{{"Content-Type", "application/json"}} << u"(none)"_s
                             << u"no signature header"_s;
    QTest::newRow("bare -Signature name") << HeaderList{{"-Signature", hex}} << u"(none)"_s
                                          << u"no signature header"_s;
}
// clang-format on

void TestSigning::detect()
{
    QFETCH(HeaderList, headers);
    QFETCH(QString, scheme);
    QFETCH(QString, whyPart);

    QString why;
    QCOMPARE(label(Verifier::detect(headers, &why)), scheme);
    if (!whyPart.isEmpty())
        QVERIFY2(why.contains(whyPart), qPrintable(why));
    QVERIFY(Verifier::detect(headers) == schemeFromName(scheme)); // `why` is optional
}

// clang-format off
void TestSigning::verifyForgiving_data()
{
    // Receivers and debugging users mangle headers in harmless ways; none of
    // these change the signed bytes, so all must verify.
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<std::optional<Scheme>>("scheme"); // unset: detected

    const QByteArray gh = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    const QString ghSecret = u"It's a Secret to Everybody"_s;
    QTest::newRow("github uppercase hex, SHA256=")
        << HeaderList{{"x-hub-signature-256", "SHA256=" + gh.toUpper()}} << ghSecret << QByteArray("Hello, World!") << std::optional<Scheme>();
    // Detection would call this timestamped-without-timestamp; pinned, it verifies.
    QTest::newRow("hmac-hex with sha256= prefix") << HeaderList{{"X-FinSight-Signature", "sha256=" + gh}}
                                                  << ghSecret << QByteArray("Hello, World!")
                                                  << std::optional<Scheme>(Scheme::HmacHex);
    QTest::newRow("standard: extra entries, other versions, spaces")
        << HeaderList{{"WEBHOOK-ID", kStdId1.toByteArray()},
                      {"Webhook-Timestamp", " 1614265330 "},
                      {"webhook-signature",
                       "v1a,abcd v1,3Q7B9pz3SlC1/gG4UJ269Qj4TLRRQk5tdhkvlUuj234=  v1," + kStdSig1.toByteArray()}}
        << kStdSecret1.toString() << kStdBody1.toByteArray() << std::optional<Scheme>();
    QTest::newRow("standard: secret without whsec_")
        << HeaderList{{"webhook-id", kStdId1.toByteArray()},
                      {"webhook-timestamp", "1614265330"},
                      {"webhook-signature", "v1," + kStdSig1.toByteArray()}}
        << kStdSecret1.sliced(6).toString() << kStdBody1.toByteArray() << std::optional<Scheme>();
    QTest::newRow("stripe: spaces, unknown keys, v0")
        << HeaderList{{"stripe-signature",
                       "t=1700000000, v0=deadbeef, v1=b7d179b7afbc3af58c2f8c8a86195560ccd11f4c43c18d9c39573fcc5004a80f, x=y"}}
        << u"whsec_test_stripe_secret"_s << kBody.toByteArray() << std::optional<Scheme>();
}
// clang-format on

void TestSigning::verifyForgiving()
{
    QFETCH(HeaderList, headers);
    QFETCH(QString, secret);
    QFETCH(QByteArray, body);
    QFETCH(std::optional<Scheme>, scheme);

    VerifyRequest v;
    v.headers = headers;
    v.body = body;
    v.scheme = scheme;
    v.toleranceSeconds = -1;
    const VerifyResult r = Verifier::verify(secret, v);
    QVERIFY2(r.valid, qPrintable(r.reason));
}

// clang-format off
void TestSigning::verifyMalformed_data()
{
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("reasonPart");

    const HeaderList std1{{"webhook-id", kStdId1.toByteArray()},
                          {"webhook-timestamp", "1614265330"},
                          {"webhook-signature", "v1," + kStdSig1.toByteArray()}};
    QTest::newRow("undetectable") << HeaderList{} << kStdSecret1.toString()
                                  << u"could not detect the signature scheme: no signature header"_s;
    HeaderList h = std1;
    h[1].second = "soon";
    QTest::newRow("timestamp not a number") << h << kStdSecret1.toString()
                                            << u"webhook-timestamp \"soon\" is not a unix timestamp in seconds"_s;
    h = std1;
    h[1].second = "-5";
    QTest::newRow("negative timestamp") << h << kStdSecret1.toString() << u"is not a unix timestamp"_s;
    h = std1;
    h[2].second = "v2,abc";
    QTest::newRow("no v1 entry") << h << kStdSecret1.toString() << u"webhook-signature has no v1, entry"_s;
    QTest::newRow("standard with non-base64 secret")
        << std1 << u"whsec_not base64!"_s << u"not valid base64"_s;
    QTest::newRow("stripe without t") << HeaderList{{"Stripe-Signature", "v1=abc"}} << u"k"_s
                                      << u"Stripe-Signature has no t= timestamp"_s;
    QTest::newRow("stripe without v1") << HeaderList{{"Stripe-Signature", "t=1700000000,v0=abc"}} << u"k"_s
                                       << u"Stripe-Signature has no v1= signature"_s;
    QTest::newRow("stripe bad t") << HeaderList{{"Stripe-Signature", "t=17e8,v1=abc"}} << u"k"_s
                                  << u"is not a unix timestamp"_s;
    QTest::newRow("wrong-length hex") << HeaderList{{"X-Hub-Signature-256", "sha256=abcd"}} << u"k"_s
                                      << u"signature mismatch"_s;
}
// clang-format on

void TestSigning::verifyMalformed()
{
    QFETCH(HeaderList, headers);
    QFETCH(QString, secret);
    QFETCH(QString, reasonPart);

    VerifyRequest v;
    v.headers = headers;
    v.body = kStdBody1.toByteArray();
    v.now = kStdTs1;
    const VerifyResult r = Verifier::verify(secret, v);
    QVERIFY(!r.valid);
    QVERIFY2(r.reason.contains(reasonPart), qPrintable(r.reason));
    QVERIFY2(!r.reason.contains(secret) || secret.size() < 4, "a reason must never quote the secret");
}

void TestSigning::pinnedSchemeRejectsReframing()
{
    // A timestamped delivery signs "ts.body". An attacker can re-frame that
    // signature as a github delivery whose body is the literal "ts.body" (no
    // timestamp, so replayable forever). Auto-detection cannot tell; a receiver
    // that pins its scheme must reject it.
    const QString secret = u"shared-secret"_s;
    const SignRequest req = makeRequest();
    const SignResult signed_ = Signer::sign(Scheme::Timestamped, {secret}, req);
    QVERIFY2(signed_.ok(), qPrintable(signed_.error));

    VerifyRequest forged;
    forged.headers = {{"X-Hub-Signature-256", header(signed_.headers, "X-Webhook-Signature")}};
    forged.body = signed_.signedContent;
    forged.now = kTs + 86400 * 365;
    forged.scheme = Scheme::Timestamped;
    const VerifyResult r = Verifier::verify(secret, forged);
    QVERIFY(!r.valid);
    QCOMPARE(r.reason, u"missing header X-Webhook-Signature"_s);
}

void TestSigning::secretGenerate()
{
    const QString a = Secret::generate();
    const QString b = Secret::generate();
    QVERIFY(a.startsWith(u"whsec_"));
    QCOMPARE(a.size(), 6 + 32); // base64 of 24 bytes: 32 characters, no padding
    QVERIFY(a != b);

    QString error;
    const std::optional<QByteArray> key = Secret::standardKey(a, &error);
    QVERIFY2(key, qPrintable(error));
    QCOMPARE(key->size(), 24);
    QCOMPARE(QString::fromLatin1(key->toBase64()), a.sliced(6)); // canonical encoding

    // Generated secrets work under every scheme.
    for (const Scheme s : kAllSchemes)
        QVERIFY(Signer::sign(s, {a}, makeRequest()).ok());
}

// clang-format off
void TestSigning::standardKey_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QByteArray>("keyHex");     // empty = expect an error
    QTest::addColumn<QString>("errorPart");

    QTest::newRow("whsec_") << u"whsec_YWJjZA=="_s << QByteArray("61626364") << QString();
    QTest::newRow("no prefix") << u"YWJjZA=="_s << QByteArray("61626364") << QString();
    QTest::newRow("padding missing") << u"whsec_YWJjZA"_s << QByteArray("61626364") << QString();
    QTest::newRow("public 18 bytes") << kStdSecret2.toString()
                                     << QByteArray::fromBase64("plJ3nmyCDGBKInavdOK15jsl").toHex() << QString();

    QTest::newRow("empty") << QString() << QByteArray() << u"empty"_s;
    QTest::newRow("prefix only") << u"whsec_"_s << QByteArray() << u"empty after the whsec_ prefix"_s;
    QTest::newRow("bad characters") << u"whsec_ab!c*d"_s << QByteArray() << u"not valid base64"_s;
    QTest::newRow("base64url alphabet") << u"whsec_ab-_"_s << QByteArray() << u"not valid base64"_s;
    QTest::newRow("inner whitespace") << u"whsec_YWJj ZA=="_s << QByteArray() << u"not valid base64"_s;
    QTest::newRow("trailing newline") << u"whsec_YWJjZA==\n"_s << QByteArray() << u"not valid base64"_s;
    QTest::newRow("impossible length") << u"whsec_YWJjZ"_s << QByteArray() << u"impossible base64 length"_s;
    QTest::newRow("padding in the middle") << u"whsec_YQ==YQ=="_s << QByteArray() << u"not valid base64"_s;
    QTest::newRow("only padding") << u"whsec_===="_s << QByteArray() << u"not valid base64"_s;
    QTest::newRow("non-ASCII") << u"whsec_YWJj\u00e9A=="_s << QByteArray() << u"non-ASCII"_s;
}
// clang-format on

void TestSigning::standardKey()
{
    QFETCH(QString, secret);
    QFETCH(QByteArray, keyHex);
    QFETCH(QString, errorPart);

    QString error;
    const std::optional<QByteArray> key = Secret::standardKey(secret, &error);
    if (keyHex.isEmpty()) {
        QVERIFY(!key);
        QVERIFY2(error.contains(errorPart), qPrintable(error));
        // The error describes the problem without echoing the secret.
        const QString body = secret.startsWith(u"whsec_") ? secret.sliced(6) : secret;
        if (body.size() >= 4)
            QVERIFY2(!error.contains(body), qPrintable(error));
        QVERIFY(!Secret::standardKey(secret, nullptr)); // error pointer is optional
    } else {
        QVERIFY2(key, qPrintable(error));
        QCOMPARE(key->toHex(), keyHex);
    }
}

// clang-format off
void TestSigning::mask_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("expected");
    const QString dots = QString(8, QChar(0x2022));
    QTest::newRow("standard") << kStdSecret1.toString() << u"whsec_"_s + dots + u"LaSw"_s;
    QTest::newRow("no prefix") << u"It's a Secret to Everybody"_s << dots + u"body"_s;
    QTest::newRow("generated") << u"whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"_s << u"whsec_"_s + dots + u"AAAA"_s;
    QTest::newRow("short: no tail") << u"whsec_abcdefgh"_s << u"whsec_"_s + dots;
    QTest::newRow("tiny") << u"pw"_s << dots;
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("surrogate pair at the cut")
        << u"0123456789abcde\U0001F511xyz"_s << dots + u"xyz"_s;
}
// clang-format on

void TestSigning::mask()
{
    QFETCH(QString, secret);
    QFETCH(QString, expected);
    const QString masked = Secret::mask(secret);
    QCOMPARE(masked, expected);

    // No 5-character run of the secret's body survives, so the middle (or
    // anything beyond the 4-character tail) never shows.
    const QString body = secret.startsWith(u"whsec_") ? secret.sliced(6) : secret;
    for (qsizetype i = 0; i + 5 <= body.size(); ++i)
        QVERIFY2(!masked.contains(body.sliced(i, 5)), qPrintable(body.sliced(i, 5)));
}

// clang-format off
void TestSigning::signErrors_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<QByteArray>("messageId");
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QString>("errorPart");

    const QStringList ok{kStdSecret1.toString()};
    QTest::newRow("no secrets") << Scheme::Github << QStringList{} << QByteArray("m") << kTs
                                << QByteArray("X-Webhook") << u"no signing secret"_s;
    QTest::newRow("empty secret") << Scheme::HmacHex << QStringList{QString()} << QByteArray("m") << kTs
                                  << QByteArray("X-Webhook") << u"the secret is empty"_s;
    QTest::newRow("standard: secret not base64")
        << Scheme::Standard << QStringList{u"whsec_top secret!"_s} << QByteArray("m") << kTs
        << QByteArray("X-Webhook") << u"not valid base64"_s;
    QTest::newRow("standard: second secret not base64")
        << Scheme::Standard << QStringList{kStdSecret1.toString(), u"whsec_top secret!"_s} << QByteArray("m")
        << kTs << QByteArray("X-Webhook") << u"secret 2 of 2: "_s;
    QTest::newRow("stripe: empty older secret")
        << Scheme::Stripe << QStringList{u"a"_s, QString()} << QByteArray("m") << kTs << QByteArray("X-Webhook")
        << u"secret 2 of 2: the secret is empty"_s;
    QTest::newRow("standard: no id") << Scheme::Standard << ok << QByteArray() << kTs << QByteArray("X-Webhook")
                                     << u"needs a message id"_s;
    QTest::newRow("standard: id with CRLF") << Scheme::Standard << ok << QByteArray("m\r\nX-Evil: 1") << kTs
                                            << QByteArray("X-Webhook") << u"control characters"_s;
    for (const Scheme s : {Scheme::Standard, Scheme::Timestamped, Scheme::Stripe})
        QTest::newRow(rowName(s, "no timestamp").constData())
            << s << ok << QByteArray("m") << qint64(0) << QByteArray("X-Webhook") << u"needs a timestamp"_s;
    QTest::newRow("empty prefix") << Scheme::HmacHex << ok << QByteArray() << kTs << QByteArray("-")
                                  << u"header prefix is empty"_s;
    QTest::newRow("prefix with space") << Scheme::Timestamped << ok << QByteArray() << kTs
                                       << QByteArray("X Fin") << u"not a valid header name"_s;
    QTest::newRow("prefix with CRLF") << Scheme::HmacBase64 << ok << QByteArray() << kTs
                                      << QByteArray("X\r\nEvil") << u"not a valid header name"_s;
}
// clang-format on

void TestSigning::signErrors()
{
    QFETCH(Scheme, scheme);
    QFETCH(QStringList, secrets);
    QFETCH(QByteArray, messageId);
    QFETCH(qint64, timestamp);
    QFETCH(QByteArray, prefix);
    QFETCH(QString, errorPart);

    SignRequest req = makeRequest(prefix);
    req.messageId = messageId;
    req.timestamp = timestamp;
    const SignResult r = Signer::sign(scheme, secrets, req);
    QVERIFY(!r.ok());
    QVERIFY(r.headers.isEmpty()); // never half-signed
    QVERIFY2(r.error.contains(errorPart), qPrintable(r.error));
    for (const QString &s : secrets) {
        if (s.size() >= 4)
            QVERIFY2(!r.error.contains(s.sliced(6 < s.size() ? 6 : 0)), "an error must never quote a secret");
    }
}

QTEST_GUILESS_MAIN(TestSigning)
#include "tst_signing.moc"
