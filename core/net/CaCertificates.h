#pragma once

#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSslCertificate>
#include <QString>

namespace hookline {

// The installation's extra CA file (the extraCaCertificates setting): read
// when the setting is given, so that a file holding no certificate is refused
// then with what it holds instead, and read the same way by the engine.
class CaCertificates final {
    Q_DECLARE_TR_FUNCTIONS(hookline::CaCertificates)
public:
    static constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024;

    // The PEM certificates in `path`. Refused, naming the file and what was
    // found: no such file, not readable, too large, empty, a DER certificate
    // (with the command that converts it), a private key (alone or beside
    // certificates: a key has no place in a CA file), other PEM blocks, text
    // or bytes that are not PEM at all.
    static Result<QList<QSslCertificate>> read(const QString &path);
};

} // namespace hookline
