// The engine as a careful TLS client: certificates verified always (a custom
// CA is the only way to trust a private one), every error of a failed
// handshake kept on the attempt, a name mismatch naming both sides, and a CA
// file refused when it is set if it holds no certificate.
#include "EngineFixture.h"
#include "TestCertificates.h"
#include "TestReceiver.h"

#include "net/CaCertificates.h"
#include "net/TlsErrors.h"
#include "service/Settings.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

using namespace hookline;
using namespace hookline::test;
using namespace Qt::StringLiterals;

namespace {
bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}
} // namespace

class TestTls final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void trustedThroughTheExtraCa();
    void handshakeFailureKeepsEveryError_data();
    void handshakeFailureKeepsEveryError();
    void caFileRefusedWhenSet_data();
    void caFileRefusedWhenSet();
    void certificateNames();

private:
    QTemporaryDir m_dir;
    TestCertificate m_ca;
    TestCertificate m_otherCa;
    QString m_caFile;
};

void TestTls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_ca = TestCertificates::authority(u"Hookline Test CA"_s);
    m_otherCa = TestCertificates::authority(u"Somebody Else's CA"_s);
    QVERIFY(!m_ca.certificatePem.isEmpty() && !m_ca.keyPem.isEmpty());
    m_caFile = m_dir.filePath(u"ca.pem"_s);
    QVERIFY(writeFile(m_caFile, m_ca.certificatePem));
}

void TestTls::trustedThroughTheExtraCa()
{
    EngineFixture f;
    QVERIFY(f.ok());
    const auto cert = TestCertificates::server({u"127.0.0.1"_s}, &m_ca);
    TestReceiver tls;
    QVERIFY(tls.listenTls(cert.certificatePem, cert.keyPem));
    QVERIFY(f.setting(Settings::kExtraCaCertificates, qPrintable(m_caFile)));
    REQUIRE_WEBHOOK(w, f.create(EngineFixture::draftFor(tls.url())));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    const auto rows = f.attempts(id);
    QVERIFY2(f.status(id) == DeliveryStatus::Succeeded, qPrintable(rows.value(0).error));
    QCOMPARE(tls.count(), 1);
    // The attempt tells when the handshake was done, between connecting and sending.
    const auto timings = QJsonDocument::fromJson(rows.value(0).timings).object();
    QVERIFY2(timings.contains(u"connect"_s) && timings.contains(u"tls"_s), rows.value(0).timings.constData());
    QVERIFY(timings.value(u"tls"_s).toInteger() >= timings.value(u"connect"_s).toInteger());
    QVERIFY(timings.value(u"firstByte"_s).toInteger() >= timings.value(u"tls"_s).toInteger());
    QCOMPARE(rows.value(0).remoteAddress, u"127.0.0.1:%1"_s.arg(tls.port()));
}

// clang-format off
void TestTls::handshakeFailureKeepsEveryError_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<bool>("byOurCa");
    QTest::addColumn<bool>("expired");
    QTest::addColumn<QStringList>("expected"); // each in the attempt's error
    QTest::newRow("expired, from an unknown issuer")
        << QStringList{u"127.0.0.1"_s} << false << true
        << QStringList{u"TLS handshake failed: "_s, u"expired"_s, u"issuer"_s};
    QTest::newRow("name mismatch")
        << QStringList{u"receiver.example"_s, u"www.receiver.example"_s} << true << false
        << QStringList{u"TLS handshake failed: the certificate is for receiver.example, www.receiver.example, not for 127.0.0.1"_s};
    QTest::newRow("expired and for another name")
        << QStringList{u"receiver.example"_s} << true << true
        << QStringList{u"expired"_s, u"the certificate is for receiver.example, not for 127.0.0.1"_s};
}
// clang-format on

void TestTls::handshakeFailureKeepsEveryError()
{
    QFETCH(QStringList, names);
    QFETCH(bool, byOurCa);
    QFETCH(bool, expired);
    QFETCH(QStringList, expected);
    EngineFixture f;
    QVERIFY(f.ok());
    const auto cert = expired ? TestCertificates::server(names, byOurCa ? &m_ca : &m_otherCa, -7200, -3600)
                              : TestCertificates::server(names, byOurCa ? &m_ca : &m_otherCa);
    TestReceiver tls;
    QVERIFY(tls.listenTls(cert.certificatePem, cert.keyPem));
    QVERIFY(f.setting(Settings::kExtraCaCertificates, qPrintable(m_caFile)));
    auto d = EngineFixture::draftFor(tls.url());
    d.retry.maxRetries = 0;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    for (const auto &part : expected)
        QVERIFY2(rows[0].error.contains(part, Qt::CaseInsensitive), qPrintable(rows[0].error));
    QVERIFY(!rows[0].responseStatus);
    QCOMPARE(tls.count(), 0); // nothing was sent over a connection that was not trusted
}

void TestTls::caFileRefusedWhenSet_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    const auto key = TestCertificates::server({u"x.example"_s}, nullptr);
    const auto der = QSslCertificate(m_ca.certificatePem, QSsl::Pem).toDer();
    QTest::newRow("garbage") << QByteArray("this is not a certificate\n") << u"holds no certificate"_s;
    QTest::newRow("binary garbage") << QByteArray(300, '\x01') << u"holds no certificate"_s;
    QTest::newRow("empty") << QByteArray() << u"the file is empty"_s;
    QTest::newRow("a private key") << key.keyPem << u"holds a private key (PRIVATE KEY)"_s;
    QTest::newRow("a certificate and its key") << key.certificatePem + key.keyPem << u"holds a private key"_s;
    QTest::newRow("DER") << der << u"in DER form"_s;
    QTest::newRow("other PEM") << QByteArray("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
                               << u"only PEM blocks of other kinds (PUBLIC KEY)"_s;
}

void TestTls::caFileRefusedWhenSet()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    EngineFixture f;
    QVERIFY(f.ok());
    const auto path = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-') + u".pem"_s);
    QVERIFY(writeFile(path, content));
    Settings settings(f.conn());
    QVERIFY(settings.setValue(QString::fromLatin1(Settings::kExtraCaCertificates), m_caFile));
    const auto refused = settings.setValue(QString::fromLatin1(Settings::kExtraCaCertificates), path);
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(path), qPrintable(refused.error().message));
    QVERIFY2(refused.error().message.contains(expected), qPrintable(refused.error().message));
    QCOMPARE(settings.extraCaCertificates(), m_caFile); // unchanged
    QVERIFY(!CaCertificates::read(path));
}

void TestTls::certificateNames()
{
    const auto cert = TestCertificates::server({u"a.example"_s, u"127.0.0.1"_s}, &m_ca);
    QCOMPARE(TlsErrors::names(QSslCertificate(cert.certificatePem)), (QStringList{u"a.example"_s, u"127.0.0.1"_s}));
    auto read = CaCertificates::read(m_caFile);
    QVERIFY(read);
    QCOMPARE(read->size(), 1);
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
