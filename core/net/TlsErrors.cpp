#include "net/TlsErrors.h"

#include <QSslCertificate>
#include <QStringList>

#include <algorithm>

namespace hookline {

QStringList TlsErrors::names(const QSslCertificate &certificate)
{
    // QMultiMap::values(key) lists the last inserted first: reversed, the
    // names come in the certificate's own order.
    const auto alt = certificate.subjectAlternativeNames();
    QStringList out;
    for (const auto kind : {QSsl::DnsEntry, QSsl::IpAddressEntry}) {
        auto names = alt.values(kind);
        std::reverse(names.begin(), names.end());
        out += names;
    }
    if (out.isEmpty())
        out = certificate.subjectInfo(QSslCertificate::CommonName);
    out.removeDuplicates();
    return out;
}

QString TlsErrors::describe(const QList<QSslError> &errors, const QString &host)
{
    QStringList parts;
    for (const auto &e : errors) {
        if (e.error() == QSslError::HostNameMismatch) {
            const auto held = names(e.certificate());
            parts << (held.isEmpty() ? QStringLiteral("the certificate names no host, and %1 was asked for").arg(host)
                                     : QStringLiteral("the certificate is for %1, not for %2").arg(held.join(QStringLiteral(", ")), host));
        } else {
            QString text = e.errorString();
            if (!text.isEmpty())
                text[0] = text[0].toLower();
            parts << text;
        }
    }
    parts.removeDuplicates();
    return QStringLiteral("TLS handshake failed: %1").arg(parts.isEmpty() ? QStringLiteral("no reason given") : parts.join(QStringLiteral("; ")));
}

} // namespace hookline
