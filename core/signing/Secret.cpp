#include "Secret.h"

#include <QCoreApplication>
#include <QtGlobal>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace hookline {

namespace {

constexpr int kMaskBullets = 8;
constexpr int kMaskTail = 4;
// Below this many characters (after the prefix) the tail is hidden too: four
// characters out of fewer than sixteen would be a quarter or more of it.
constexpr int kMaskMinLengthForTail = 16;

} // namespace

QByteArray Secret::randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), count) != 1)
        return {};
    return bytes;
}

QString Secret::generate()
{
    QByteArray bytes = randomBytes(generatedKeyBytes);
    if (bytes.isEmpty())
        return QString();
    const QString text = prefix.toString() + QString::fromLatin1(bytes.toBase64());
    // Do not leave key material in memory longer than needed.
    OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    return text;
}

std::optional<QByteArray> Secret::standardKey(QStringView secret, QString *error)
{
    // English, like every signing message (the engine writes them into the
    // delivery history); translatedError() gives them in the reader's language.
    const auto fail = [error](const char *why) -> std::optional<QByteArray> {
        if (error)
            *error = QString::fromLatin1(why);
        return std::nullopt;
    };

    const QStringView encoded = secret.startsWith(prefix) ? secret.sliced(prefix.size()) : secret;
    if (encoded.isEmpty())
        return fail(QT_TRANSLATE_NOOP("hookline::Secret", "the secret is empty after the whsec_ prefix"));

    // Base64 is pure ASCII; any other character would be mangled by a Latin-1
    // conversion, so reject it explicitly first.
    for (const QChar c : encoded) {
        if (c.unicode() > 0x7f)
            return fail(QT_TRANSLATE_NOOP("hookline::Secret", "the secret contains non-ASCII characters, so it is not base64"));
    }
    auto decoded = QByteArray::fromBase64Encoding(encoded.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return fail(QT_TRANSLATE_NOOP("hookline::Secret", "the secret is not valid base64 (the standard scheme decodes the part after whsec_)"));
    // A base64 length of 1 mod 4 cannot come from any byte string (Qt would
    // silently drop the stray character): most likely a truncated paste.
    if (encoded.size() % 4 == 1)
        return fail(QT_TRANSLATE_NOOP("hookline::Secret", "the secret has an impossible base64 length (truncated?)"));
    if (decoded.decoded.isEmpty())
        return fail(QT_TRANSLATE_NOOP("hookline::Secret", "the secret decodes to an empty key"));
    return std::move(decoded.decoded);
}

QString Secret::translatedError(const QString &error)
{
    return QCoreApplication::translate("hookline::Secret", error.toUtf8().constData());
}

QString Secret::mask(QStringView secret)
{
    if (secret.isEmpty())
        return QString();

    const bool hasPrefix = secret.startsWith(prefix);
    const QStringView body = hasPrefix ? secret.sliced(prefix.size()) : secret;

    QString masked;
    if (hasPrefix)
        masked += prefix;
    masked += QString(kMaskBullets, QChar(0x2022)); // U+2022 BULLET

    if (body.size() >= kMaskMinLengthForTail) {
        QStringView tail = body.last(kMaskTail);
        // Never start on the second half of a surrogate pair.
        if (tail.front().isLowSurrogate())
            tail = tail.sliced(1);
        masked += tail;
    }
    return masked;
}

void Secret::wipe(QString &secret)
{
    if (secret.isEmpty())
        return;
    if (!secret.isDetached()) {
        secret.clear(); // another copy holds the buffer; this one lets go of it
        return;
    }
    OPENSSL_cleanse(secret.data(), size_t(secret.size()) * sizeof(QChar));
    secret.clear();
}

} // namespace hookline
