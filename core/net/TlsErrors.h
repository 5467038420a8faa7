#pragma once

#include <QList>
#include <QSslError>
#include <QString>

namespace hookline {

// What a failed TLS handshake is recorded as on the attempt: every error the
// handshake found, not only the first (a certificate that expired and comes
// from an unknown issuer says both), and for a name mismatch the name asked
// for beside the names the certificate holds.
class TlsErrors final {
public:
    TlsErrors() = delete;

    static QString describe(const QList<QSslError> &errors, const QString &host);
    // The DNS names a certificate is for: its subject alternative names, or
    // its common name when it has none.
    static QStringList names(const QSslCertificate &certificate);
};

} // namespace hookline
