#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <utility>

namespace hookline::api {

// What a handler answers: a status, a JSON body (or a text one for
// /metrics), and any headers of its own. The server adds the rate-limit
// headers and writes it.
struct ApiReply final {
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<std::pair<QByteArray, QByteArray>> headers;
    bool deferred = false; // the handler answers later, through ApiCall::respond

    static ApiReply json(int status, const QJsonValue &value);
    static ApiReply text(int status, QByteArray body, QByteArray contentType);
    static ApiReply noContent();
    // "Not now": the handler keeps ApiCall::respond and calls it when the answer is ready.
    static ApiReply later();

    // {"error": {"code", "message", "field"}}; `field` is left out when empty.
    static ApiReply error(int status, const QString &code, const QString &message, const QString &field = {});
    // A service's refusal with the status its code stands for (400, 404, 409, 413, 500).
    // A database or internal error says nothing of its internals.
    static ApiReply fromError(const Error &error);
    static ApiReply notFound(const QString &what);
    // 400 "invalid", the message prefixed with the field ("events: must be an array").
    static ApiReply invalid(const QString &field, const QString &message);

    ApiReply &withHeader(QByteArray name, QByteArray value);
};

} // namespace hookline::api
