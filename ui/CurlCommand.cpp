#include "CurlCommand.h"

#include <QStringList>

namespace hookline {

QString CurlCommand::shellQuote(const QString &text)
{
    QString out = text;
    out.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + out + u'\'';
}

QString CurlCommand::build(const QString &url, const QList<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QStringList parts{QStringLiteral("curl -sS -X POST"), shellQuote(url)};
    for (const auto &[name, value] : headers)
        parts << QStringLiteral("\\\n  -H %1").arg(shellQuote(QString::fromUtf8(name + ": " + value)));
    // --data-binary sends the bytes as they are: the signature covers them exactly.
    parts << QStringLiteral("\\\n  --data-binary %1").arg(shellQuote(QString::fromUtf8(body)));
    return parts.join(u' ');
}

} // namespace hookline
