#include "Hmac.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace hookline {

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    // An empty QByteArrayView may carry a null pointer, and OpenSSL's HMAC init
    // functions give a null key the special meaning "keep the previous key".
    // Always hand it a real (if zero-length) buffer so empty inputs stay plain
    // empty inputs.
    static const unsigned char empty[1] = {0};
    const auto *keyPtr = key.isEmpty() ? empty : reinterpret_cast<const unsigned char *>(key.data());
    const auto *dataPtr = data.isEmpty() ? empty : reinterpret_cast<const unsigned char *>(data.data());

    QByteArray digest(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), keyPtr, int(key.size()), dataPtr, size_t(data.size()), reinterpret_cast<unsigned char *>(digest.data()), &length)) {
        return QByteArray();
    }
    digest.truncate(qsizetype(length));
    return digest;
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    return CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

} // namespace hookline
