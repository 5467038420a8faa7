// The signature debugger: each usual mistake, made on purpose from a real
// signature, is named with its fix; what verifies is said to verify; and
// the signed content shows what cannot be seen.
#include "signing/Hmac.h"
#include "signing/SchemeDescriptor.h"
#include "signing/SignatureDebugger.h"
#include "signing/Signer.h"

#include <QDateTime>
#include <QtTest>

using namespace hookline;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(hookline::SignatureFinding::Kind)
Q_DECLARE_METATYPE(std::optional<hookline::Scheme>)

namespace {
const QString kSecret = u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s;
const QString kOldSecret = u"whsec_plJ3nmyCDGBKInavdOK15jsl"_s;
const QByteArray kBody = R"({"event":"lead.created","data":{"id":42,"tags":["a","b"]}})";
const QByteArray kPretty = "{\n  \"event\": \"lead.created\",\n  \"data\": {\n    \"id\": 42,\n    \"tags\": [\"a\", \"b\"]\n  }\n}";
constexpr qint64 kNow = 1'780'000'000;

HeaderList signedHeaders(Scheme scheme, const QString &secret, const QByteArray &body, qint64 timestamp = kNow,
                         const QByteArray &prefix = "X-Webhook")
{
    SignRequest r;
    r.messageId = "msg_2Lk1";
    r.timestamp = timestamp;
    r.body = body;
    r.headerPrefix = prefix;
    const auto signedResult = Signer::sign(scheme, {secret}, r);
    return signedResult.headers;
}

// The same headers with the signature's digest replaced by `digest`, written as `encoding`.
HeaderList withDigest(Scheme scheme, const QString &secret, HeaderList headers, const QByteArray &digest, SignatureEncoding encoding)
{
    const auto *d = SchemeDescriptor::find(scheme);
    SignRequest r;
    r.messageId = "msg_2Lk1";
    r.timestamp = kNow;
    r.body = kBody;
    const QByteArray right = hmacSha256(*d->hmacKey(secret), Signer::signedContent(scheme, r));
    const QByteArray rightText = d->signature.encoding == SignatureEncoding::Hex ? right.toHex() : right.toBase64();
    const QByteArray newText = encoding == SignatureEncoding::Hex ? digest.toHex() : digest.toBase64();
    for (auto &[name, value] : headers)
        value.replace(rightText, newText);
    return headers;
}

QByteArray contentOf(Scheme scheme)
{
    SignRequest r;
    r.messageId = "msg_2Lk1";
    r.timestamp = kNow;
    r.body = kBody;
    return Signer::signedContent(scheme, r);
}
} // namespace

class TestSignatureDebugger final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void diagnoses_data();
    void diagnoses();
    void showsWhereTheyDiffer();
    void visible_data();
    void visible();
};

void TestSignatureDebugger::diagnoses_data()
{
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QList<SignatureFinding::Kind>>("findings");
    QTest::addColumn<std::optional<Scheme>>("scheme"); // set: the webhook's scheme, not detected
    using K = SignatureFinding::Kind;

    for (const auto &d : SchemeDescriptor::all()) {
        const auto name = d.name.toLatin1();
        QTest::newRow(QByteArray("valid: " + name).constData())
            << signedHeaders(d.scheme, kSecret, kBody) << kBody << QStringList{kSecret} << true << QList<K>{} << std::optional<Scheme>();
        QTest::newRow(QByteArray("body re-serialised: " + name).constData())
            << signedHeaders(d.scheme, kSecret, kBody) << kPretty << QStringList{kSecret} << false << QList<K>{K::BodyReserialised}
            << std::optional<Scheme>();
        QTest::newRow(QByteArray("trailing line break: " + name).constData())
            << signedHeaders(d.scheme, kSecret, kBody) << QByteArray(kBody + "\n") << QStringList{kSecret} << false << QList<K>{K::TrailingNewline}
            << std::optional<Scheme>();
        QTest::newRow(QByteArray("secret from before a rotation: " + name).constData())
            << signedHeaders(d.scheme, kOldSecret, kBody) << kBody << QStringList{kSecret, kOldSecret} << true << QList<K>{K::PreviousSecret}
            << std::optional<Scheme>();
        const auto *desc = &d;
        const QByteArray right = hmacSha256(*desc->hmacKey(kSecret), contentOf(d.scheme));
        const auto otherEncoding = desc->signature.encoding == SignatureEncoding::Hex ? SignatureEncoding::Base64 : SignatureEncoding::Hex;
        QTest::newRow(QByteArray("hex or base64: " + name).constData())
            << withDigest(d.scheme, kSecret, signedHeaders(d.scheme, kSecret, kBody), right, otherEncoding) << kBody << QStringList{kSecret} << false
            << QList<K>{K::WrongEncoding} << std::optional<Scheme>(d.scheme); // detected, a bare base64 digest is hmac-base64
        if (d.usesTimestamp()) {
            QTest::newRow(QByteArray("timestamp too old: " + name).constData())
                << signedHeaders(d.scheme, kSecret, kBody, kNow - 3600) << kBody << QStringList{kSecret} << false << QList<K>{K::OutsideTolerance}
                << std::optional<Scheme>();
        }
        if (d.key == SecretKey::WhsecBase64) {
            QTest::newRow(QByteArray("whsec_ used as text: " + name).constData())
                << withDigest(d.scheme, kSecret, signedHeaders(d.scheme, kSecret, kBody), hmacSha256(kSecret.toUtf8(), contentOf(d.scheme)),
                              desc->signature.encoding)
                << kBody << QStringList{kSecret} << false << QList<K>{K::WhsecAsText} << std::optional<Scheme>();
        } else {
            QTest::newRow(QByteArray("whsec_ decoded: " + name).constData())
                << withDigest(d.scheme, kSecret, signedHeaders(d.scheme, kSecret, kBody),
                              hmacSha256(QByteArray::fromBase64(kSecret.mid(6).toLatin1()), contentOf(d.scheme)), desc->signature.encoding)
                << kBody << QStringList{kSecret} << false << QList<K>{K::WhsecDecoded} << std::optional<Scheme>();
        }
        if (d.usesPrefix()) {
            QTest::newRow(QByteArray("another header prefix: " + name).constData())
                << signedHeaders(d.scheme, kSecret, kBody, kNow, "X-FinSight") << kBody << QStringList{kSecret} << true << QList<K>{K::OtherPrefix}
                << std::optional<Scheme>();
        }
    }
    HeaderList svix;
    for (auto [n, v] : signedHeaders(Scheme::Standard, kSecret, kBody))
        svix.append({n.replace("webhook-", "svix-"), v});
    QTest::newRow("Svix's header names") << svix << kBody << QStringList{kSecret} << true << QList<K>{K::SvixHeaderNames} << std::optional<Scheme>();
    QTest::newRow("wrong secret: no finding") << signedHeaders(Scheme::Github, kOldSecret, kBody) << kBody << QStringList{kSecret} << false
                                              << QList<K>{} << std::optional<Scheme>();
}

void TestSignatureDebugger::diagnoses()
{
    QFETCH(HeaderList, headers);
    QFETCH(QByteArray, body);
    QFETCH(QStringList, secrets);
    QFETCH(bool, valid);
    QFETCH(QList<SignatureFinding::Kind>, findings);
    QFETCH(std::optional<Scheme>, scheme);
    SignatureCase c;
    c.headers = headers;
    c.body = body;
    c.secrets = secrets;
    c.now = kNow + 10;
    c.scheme = scheme;
    const auto d = SignatureDebugger::diagnose(c);
    QCOMPARE(d.valid, valid);
    QList<SignatureFinding::Kind> kinds;
    for (const auto &f : d.findings) {
        kinds << f.kind;
        QVERIFY(!f.message.isEmpty());
        QVERIFY(!f.fix.isEmpty());
        // A finding never quotes a secret.
        for (const auto &s : secrets)
            QVERIFY(!f.message.contains(s) && !f.fix.contains(s));
    }
    QCOMPARE(kinds, findings);
    QVERIFY(d.scheme.has_value());
    QVERIFY(!d.signedContent.isEmpty());
}

void TestSignatureDebugger::showsWhereTheyDiffer()
{
    SignatureCase c;
    c.headers = signedHeaders(Scheme::Github, kOldSecret, kBody);
    c.body = kBody;
    c.secrets = {kSecret};
    const auto d = SignatureDebugger::diagnose(c);
    QVERIFY(!d.valid);
    QVERIFY(d.given.startsWith("sha256="));
    QVERIFY(d.expected.startsWith("sha256="));
    QVERIFY(d.firstDifference >= 7);
    QCOMPARE(d.expected.left(d.firstDifference), d.given.left(d.firstDifference));
    QVERIFY(d.expected.at(d.firstDifference) != d.given.at(d.firstDifference));
    QCOMPARE(d.secretIndex, -1);
}

void TestSignatureDebugger::visible_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain") << QByteArray("msg_1.1700000000.{\"a\":1}") << u"msg_1.1700000000.{\"a\":1}"_s;
    QTest::newRow("line feed") << QByteArray("a\nb") << u"a↵\nb"_s;
    QTest::newRow("carriage return") << QByteArray("a\r\nb") << u"a←↵\nb"_s;
    QTest::newRow("tab") << QByteArray("a\tb") << u"a→b"_s;
    QTest::newRow("space at the end of a line") << QByteArray("a \nb ") << u"a·↵\nb·"_s;
    QTest::newRow("space inside") << QByteArray("a b") << u"a b"_s;
    QTest::newRow("control byte") << QByteArray("a\x01"
                                                "b")
                                  << u"a\\x01b"_s;
    QTest::newRow("byte order mark") << QByteArray("\xef\xbb\xbf{}") << u"\\ufeff{}"_s;
    QTest::newRow("invalid UTF-8") << QByteArray("caf\xe9") << u"caf\\xe9"_s;
    QTest::newRow("accents") << QByteArray("caf\xc3\xa9") << u"café"_s;
}

void TestSignatureDebugger::visible()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, shown);
    QCOMPARE(SignatureDebugger::visible(bytes), shown);
}

QTEST_GUILESS_MAIN(TestSignatureDebugger)
#include "tst_signaturedebugger.moc"
