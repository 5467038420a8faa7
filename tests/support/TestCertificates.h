#pragma once

// Throw-away keys and certificates for TLS tests, made with OpenSSL in
// memory: a CA, and server certificates it signs (or that sign themselves)
// for chosen names, valid or expired. PEM out, for QSslCertificate/QSslKey
// and for files the engine is pointed at (extraCaCertificates).

#include <QByteArray>
#include <QStringList>

namespace hookline::test {

struct TestCertificate final {
    QByteArray certificatePem;
    QByteArray keyPem;
};

class TestCertificates final {
public:
    TestCertificates() = delete;

    // A CA certificate (basicConstraints CA:TRUE) for `commonName`.
    static TestCertificate authority(const QString &commonName);
    // A server certificate for `names` (DNS names, or IP addresses: each
    // goes in the subject alternative names as what it is), valid from
    // `fromSecs` to `untilSecs` relative to now, signed by `issuer` (or by
    // itself when `issuer` is null).
    static TestCertificate server(const QStringList &names, const TestCertificate *issuer, qint64 fromSecs = -3600, qint64 untilSecs = 24 * 3600);
};

} // namespace hookline::test
