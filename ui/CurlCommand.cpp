#include "CurlCommand.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace hookline {

QString CurlCommand::shellQuote(const QString &text)
{
    QString out = text;
    out.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + out + u'\'';
}

QList<std::pair<QByteArray, QByteArray>> CurlCommand::parseHeaders(const QByteArray &json)
{
    QList<std::pair<QByteArray, QByteArray>> out;
    const auto array = QJsonDocument::fromJson(json).array();
    for (const auto &pair : array) {
        const auto p = pair.toArray();
        if (p.size() == 2)
            out.append({p.at(0).toString().toUtf8(), p.at(1).toString().toUtf8()});
    }
    return out;
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
