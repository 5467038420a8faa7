#pragma once

#include "ApiReply.h"
#include "Principal.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrlQuery>
#include <functional>
#include <optional>
#include <utility>

namespace hookline::api {

// One request as a handler sees it: what was asked, the path's {captures},
// and who asks. Plain data, so handlers do not depend on the HTTP server.
struct ApiCall final {
    QByteArray method;
    QString path;
    QUrlQuery query;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHash<QString, QString> params; // {id} of the route's pattern
    Principal principal;
    // Headers every answer to this request carries (the rate limit's).
    QList<std::pair<QByteArray, QByteArray>> replyHeaders;
    // Sends the answer of a handler that returned ApiReply::later(). Set by
    // the server; safe to call after the client went away.
    std::function<void(ApiReply)> respond;

    QByteArray header(QByteArrayView name) const;
    QString param(const QString &name) const { return params.value(name); }

    // The body as a JSON object. Refused with 415 when it is declared as
    // something else than JSON (curl -d's default form type is accepted when
    // the text is JSON, as the seeds' examples send it), 400 when it does not
    // parse or is not an object. An empty body is an empty object when
    // `emptyAllowed`.
    std::optional<ApiReply> readObject(QJsonObject &out, bool emptyAllowed = false) const;
    // Only the declared type (415 as above), for handlers that parse the
    // body themselves (ingestion keeps the data's key order).
    std::optional<ApiReply> checkJsonType() const;
};

} // namespace hookline::api
