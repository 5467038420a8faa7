#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace hookline {

// HMAC-SHA256 of `data` under `key`, computed by OpenSSL. Returns the raw 32
// byte digest (callers encode it as hex or base64 as their scheme says), or an
// empty array in the practically impossible case that OpenSSL fails.
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);

// Constant-time equality for signatures (OpenSSL CRYPTO_memcmp). Buffers of
// different lengths are unequal; that check leaks only the length, which is
// public anyway (it is fixed by the encoding). Never use == on signatures: an
// early-exit compare lets an attacker find a valid signature byte by byte.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

} // namespace hookline
