#include "ApiCall.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace hookline::api {

QByteArray ApiCall::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

std::optional<ApiReply> ApiCall::checkJsonType() const
{
    const QByteArray type = header("content-type").split(';').constFirst().trimmed().toLower();
    if (type.isEmpty() || type == "application/json" || type.endsWith("+json"))
        return std::nullopt;
    // curl -d sends JSON as a form unless told otherwise: text that starts
    // like JSON is read as JSON.
    const QByteArray trimmed = body.trimmed();
    if (type == "application/x-www-form-urlencoded" && (trimmed.isEmpty() || trimmed.startsWith('{') || trimmed.startsWith('[')))
        return std::nullopt;
    return ApiReply::error(415, QStringLiteral("unsupported_media_type"),
                           QStringLiteral("the body must be JSON (Content-Type: application/json), not %1").arg(QString::fromLatin1(type)));
}

std::optional<ApiReply> ApiCall::readObject(QJsonObject &out, bool emptyAllowed) const
{
    if (auto refusal = checkJsonType())
        return refusal;
    if (body.trimmed().isEmpty()) {
        if (emptyAllowed) {
            out = {};
            return std::nullopt;
        }
        return ApiReply::error(400, QStringLiteral("invalid_json"), QStringLiteral("the request has no body; a JSON object was expected"));
    }
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return ApiReply::error(400, QStringLiteral("invalid_json"),
                               QStringLiteral("malformed JSON at byte %1: %2").arg(error.offset).arg(error.errorString()));
    if (!doc.isObject())
        return ApiReply::error(400, QStringLiteral("invalid_json"), QStringLiteral("the body must be a JSON object"));
    out = doc.object();
    return std::nullopt;
}

} // namespace hookline::api
