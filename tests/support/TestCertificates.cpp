#include "TestCertificates.h"

#include <QHostAddress>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace hookline::test {

namespace {
template <typename T, void (*Free)(T *)>
struct Deleter {
    void operator()(T *p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

KeyPtr newKey()
{
    return KeyPtr(EVP_EC_gen("P-256"));
}

QByteArray toPem(const std::function<int(BIO *)> &write)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (!bio || write(bio.get()) != 1)
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, int(size));
}

KeyPtr keyFromPem(const QByteArray &pem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())), &BIO_free);
    return KeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

CertPtr certFromPem(const QByteArray &pem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())), &BIO_free);
    return CertPtr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

void addExtension(X509 *cert, X509 *issuer, int nid, const QByteArray &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    if (X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData())) {
        X509_add_ext(cert, ext, -1);
        X509_EXTENSION_free(ext);
    }
}

TestCertificate make(const QString &commonName, const QStringList &names, bool authority, const TestCertificate *issuer, qint64 fromSecs,
                     qint64 untilSecs)
{
    static long serial = 1000;
    auto key = newKey();
    CertPtr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), long(fromSecs));
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(untilSecs));
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    const QByteArray cn = commonName.toUtf8();
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0);

    KeyPtr signingKey;
    CertPtr issuerCert;
    if (issuer) {
        signingKey = keyFromPem(issuer->keyPem);
        issuerCert = certFromPem(issuer->certificatePem);
        X509_set_issuer_name(cert.get(), X509_get_subject_name(issuerCert.get()));
    } else {
        X509_set_issuer_name(cert.get(), name);
    }
    X509 *issuerForExt = issuerCert ? issuerCert.get() : cert.get();
    if (authority) {
        addExtension(cert.get(), issuerForExt, NID_basic_constraints, "critical,CA:TRUE");
        addExtension(cert.get(), issuerForExt, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        addExtension(cert.get(), issuerForExt, NID_basic_constraints, "CA:FALSE");
        QStringList alt;
        for (const auto &n : names)
            alt << (QHostAddress(n).isNull() ? QStringLiteral("DNS:") : QStringLiteral("IP:")) + n;
        if (!alt.isEmpty())
            addExtension(cert.get(), issuerForExt, NID_subject_alt_name, alt.join(u',').toUtf8());
        addExtension(cert.get(), issuerForExt, NID_ext_key_usage, "serverAuth");
    }
    addExtension(cert.get(), issuerForExt, NID_subject_key_identifier, "hash");
    if (issuerCert)
        addExtension(cert.get(), issuerForExt, NID_authority_key_identifier, "keyid:always");
    X509_sign(cert.get(), signingKey ? signingKey.get() : key.get(), EVP_sha256());

    TestCertificate out;
    out.certificatePem = toPem([&](BIO *b) { return PEM_write_bio_X509(b, cert.get()); });
    out.keyPem = toPem([&](BIO *b) { return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
    return out;
}
} // namespace

TestCertificate TestCertificates::authority(const QString &commonName)
{
    return make(commonName, {}, true, nullptr, -3600, 24 * 3600);
}

TestCertificate TestCertificates::server(const QStringList &names, const TestCertificate *issuer, qint64 fromSecs, qint64 untilSecs)
{
    return make(names.value(0, QStringLiteral("server")), names, false, issuer, fromSecs, untilSecs);
}

} // namespace hookline::test
