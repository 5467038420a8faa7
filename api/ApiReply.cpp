#include "ApiReply.h"

#include "ApiLog.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace hookline::api {

ApiReply ApiReply::json(int status, const QJsonValue &value)
{
    ApiReply r;
    r.status = status;
    r.body = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                             : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return r;
}

ApiReply ApiReply::text(int status, QByteArray body, QByteArray contentType)
{
    ApiReply r;
    r.status = status;
    r.body = std::move(body);
    r.contentType = std::move(contentType);
    return r;
}

ApiReply ApiReply::noContent()
{
    ApiReply r;
    r.status = 204;
    r.contentType.clear();
    return r;
}

ApiReply ApiReply::later()
{
    ApiReply r;
    r.deferred = true;
    return r;
}

ApiReply ApiReply::error(int status, const QString &code, const QString &message, const QString &field)
{
    QJsonObject e{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    if (!field.isEmpty())
        e.insert(QStringLiteral("field"), field);
    return json(status, QJsonObject{{QStringLiteral("error"), e}});
}

ApiReply ApiReply::fromError(const Error &e)
{
    switch (e.code) {
    case Error::Code::Validation: return error(400, QStringLiteral("invalid"), e.message, e.field);
    case Error::Code::NotFound: return error(404, QStringLiteral("not_found"), e.message, e.field);
    case Error::Code::Conflict: return error(409, QStringLiteral("conflict"), e.message, e.field);
    case Error::Code::Quota: return error(409, QStringLiteral("quota_exceeded"), e.message, e.field);
    case Error::Code::TooLarge: return error(413, QStringLiteral("too_large"), e.message, e.field);
    case Error::Code::Database:
    case Error::Code::Io:
    case Error::Code::Internal: break;
    }
    // The message may name files, tables or SQL: it goes to the log, and the
    // client learns only that the server failed.
    qCWarning(lcApi).noquote() << "internal error:" << e.message;
    return error(500, QStringLiteral("internal"), QStringLiteral("the server could not complete the request; its log says why"));
}

ApiReply ApiReply::notFound(const QString &what)
{
    return error(404, QStringLiteral("not_found"), what);
}

ApiReply ApiReply::invalid(const QString &field, const QString &message)
{
    return error(400, QStringLiteral("invalid"), field.isEmpty() ? message : QStringLiteral("%1: %2").arg(field, message), field);
}

ApiReply &ApiReply::withHeader(QByteArray name, QByteArray value)
{
    headers.append({std::move(name), std::move(value)});
    return *this;
}

} // namespace hookline::api
