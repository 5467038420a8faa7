#include "signing/SecretBox.h"

#include "signing/Secret.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>

namespace hookline {

namespace {
constexpr QLatin1StringView kVersion("v1:");

struct CipherContext {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    ~CipherContext() { EVP_CIPHER_CTX_free(ctx); }
};
} // namespace

std::shared_ptr<const SecretBox> SecretBox::fromKey(const QByteArray &key)
{
    if (key.size() != kKeyBytes)
        return nullptr;
    return std::shared_ptr<const SecretBox>(new SecretBox(key));
}

QByteArray SecretBox::generateKey()
{
    return Secret::randomBytes(kKeyBytes);
}

SecretBox::SecretBox(const QByteArray &key)
{
    std::memcpy(m_key, key.constData(), kKeyBytes);
    // A label in front: the fingerprint is of no use as a key or as another hash of it.
    static const QByteArray label("hookline master key fingerprint:");
    QByteArray input = label + key;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestBytes = 0;
    if (EVP_Digest(input.constData(), size_t(input.size()), digest, &digestBytes, EVP_sha256(), nullptr) == 1)
        m_fingerprint = QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(digest), 8).toHex());
    OPENSSL_cleanse(input.data(), size_t(input.size()));
    OPENSSL_cleanse(digest, sizeof digest);
}

SecretBox::~SecretBox()
{
    OPENSSL_cleanse(m_key, kKeyBytes);
}

QString SecretBox::seal(QStringView plain, QByteArrayView associated) const
{
    QByteArray text = plain.toUtf8();
    QByteArray out(kNonceBytes + text.size() + kTagBytes, Qt::Uninitialized);
    auto *nonce = reinterpret_cast<unsigned char *>(out.data());
    auto *cipher = nonce + kNonceBytes;
    bool ok = RAND_bytes(nonce, kNonceBytes) == 1;
    CipherContext c;
    int len = 0;
    ok = ok && c.ctx && EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1
         && EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1
         && EVP_EncryptInit_ex(c.ctx, nullptr, nullptr, m_key, nonce) == 1
         && EVP_EncryptUpdate(c.ctx, nullptr, &len, reinterpret_cast<const unsigned char *>(associated.data()), int(associated.size())) == 1
         && EVP_EncryptUpdate(c.ctx, cipher, &len, reinterpret_cast<const unsigned char *>(text.constData()), int(text.size())) == 1
         && EVP_EncryptFinal_ex(c.ctx, cipher + len, &len) == 1
         && EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes, cipher + text.size()) == 1;
    OPENSSL_cleanse(text.data(), size_t(text.size()));
    if (!ok)
        return {};
    return kVersion + QString::fromLatin1(out.toBase64());
}

std::optional<QString> SecretBox::open(QStringView sealed, QByteArrayView associated) const
{
    if (!sealed.startsWith(kVersion))
        return std::nullopt;
    const QByteArray raw = QByteArray::fromBase64(sealed.mid(kVersion.size()).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (raw.size() < kNonceBytes + kTagBytes)
        return std::nullopt;
    const auto *nonce = reinterpret_cast<const unsigned char *>(raw.constData());
    const auto *cipher = nonce + kNonceBytes;
    const int cipherBytes = int(raw.size()) - kNonceBytes - kTagBytes;
    QByteArray plain(cipherBytes, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(plain.data());
    CipherContext c;
    int len = 0;
    int last = 0;
    // The tag is checked by the final call: a wrong key, row or byte fails there.
    const bool ok
        = c.ctx && EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1
          && EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1
          && EVP_DecryptInit_ex(c.ctx, nullptr, nullptr, m_key, nonce) == 1
          && EVP_DecryptUpdate(c.ctx, nullptr, &len, reinterpret_cast<const unsigned char *>(associated.data()), int(associated.size())) == 1
          && EVP_DecryptUpdate(c.ctx, out, &len, cipher, cipherBytes) == 1
          && EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes, const_cast<unsigned char *>(cipher + cipherBytes)) == 1
          && EVP_DecryptFinal_ex(c.ctx, out + len, &last) == 1;
    if (!ok) {
        OPENSSL_cleanse(plain.data(), size_t(plain.size()));
        return std::nullopt;
    }
    QString text = QString::fromUtf8(plain);
    OPENSSL_cleanse(plain.data(), size_t(plain.size()));
    return text;
}

} // namespace hookline
