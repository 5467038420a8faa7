#include "net/CaCertificates.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringList>

namespace hookline {

namespace {
// The labels of the PEM blocks in `data` ("CERTIFICATE", "PRIVATE KEY", …), in order.
QStringList pemLabels(const QByteArray &data)
{
    static const QRegularExpression begin(QStringLiteral("-----BEGIN ([A-Z0-9 ]{1,40})-----"));
    QStringList labels;
    for (auto it = begin.globalMatch(QString::fromLatin1(data)); it.hasNext();)
        labels << it.next().captured(1);
    return labels;
}
} // namespace

Result<QList<QSslCertificate>> CaCertificates::read(const QString &path)
{
    const auto refuse = [&path](const QString &why) { return Error{Error::Code::Validation, tr("%1: %2").arg(path, why), {}}; };
    const QFileInfo info(path);
    if (!info.exists())
        return refuse(tr("no such file"));
    if (!info.isFile())
        return refuse(tr("not a file"));
    if (info.size() > kMaxFileBytes)
        return refuse(tr("%1 bytes, more than a CA file holds (at most 16 MB)").arg(info.size()));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refuse(tr("cannot be read: %1").arg(file.errorString()));
    const QByteArray data = file.readAll();
    if (data.trimmed().isEmpty())
        return refuse(tr("the file is empty"));

    const auto labels = pemLabels(data);
    const auto keys = labels.filter(QStringLiteral("PRIVATE KEY"));
    if (!keys.isEmpty())
        return refuse(tr("holds a private key (%1), which has no place in a CA file; give a file of CA certificates only").arg(keys.first()));
    const auto certificates = QSslCertificate::fromData(data, QSsl::Pem);
    if (!certificates.isEmpty() && !certificates.first().isNull())
        return certificates;
    if (!labels.isEmpty())
        return refuse(tr("holds no certificate, only PEM blocks of other kinds (%1)").arg(labels.join(QStringLiteral(", "))));
    const auto der = QSslCertificate::fromData(data, QSsl::Der);
    if (!der.isEmpty() && !der.first().isNull())
        return refuse(tr("holds a certificate in DER form; give it in PEM form (openssl x509 -inform der -in %1 -out ca.pem)").arg(path));
    return refuse(tr("holds no certificate: expected PEM text with -----BEGIN CERTIFICATE----- blocks"));
}

} // namespace hookline
