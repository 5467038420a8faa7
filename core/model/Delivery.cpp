#include "Delivery.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace hookline {

QList<std::pair<QByteArray, QByteArray>> headersFromJson(const QByteArray &json)
{
    QList<std::pair<QByteArray, QByteArray>> out;
    const auto pairs = QJsonDocument::fromJson(json).array();
    for (const auto &pair : pairs) {
        const auto p = pair.toArray();
        if (p.size() == 2)
            out.append({p.at(0).toString().toUtf8(), p.at(1).toString().toUtf8()});
    }
    return out;
}

} // namespace hookline
