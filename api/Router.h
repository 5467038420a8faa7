#pragma once

#include "ApiCall.h"
#include "ApiReply.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>

namespace hookline::api {

// The API's routes as data: each a method and a path pattern ("/api/v1/
// webhooks/{id}"). The same table answers requests, builds 405's Allow
// header, and is what the OpenAPI test compares with the document.
class Router final {
public:
    using Handler = std::function<ApiReply(ApiCall &)>;
    // Key: any valid key; Admin: an admin key (403 for a tenant's); Open: no
    // key; MetricsRule: no key on loopback, an admin key elsewhere.
    enum class Access { Key, Admin, Open, MetricsRule };

    struct Route {
        QByteArray method;
        QString pattern;
        QStringList segments;
        Access access = Access::Key;
        Handler handler;
    };

    void add(QByteArray method, const QString &pattern, Handler handler, Access access = Access::Key);

    struct Match {
        const Route *route = nullptr; // null: no route for this method
        QHash<QString, QString> params;
        QList<QByteArray> allowed; // the path's methods, when the path exists
    };
    Match match(QByteArrayView method, const QString &path) const;

    const QList<Route> &routes() const { return m_routes; }

private:
    // Every route, in order, without shortcuts.
    Match matchAll(QByteArrayView method, QStringView path) const;
    void rebuildLiterals();

    QList<Route> m_routes;
    // A path spelled exactly as a pattern without captures (most requests:
    // POST /api/v1/events) is answered from here, by one lookup instead of a
    // pass over every route; the same answers as matchAll, computed by it
    // whenever a route is added. Only patterns are keys, so a client's odd
    // spellings of a path never grow it.
    struct Literal {
        QList<QByteArray> allowed;
        QList<std::pair<QByteArray, const Route *>> routes; // by method
    };
    QHash<QString, Literal> m_literals;
};

} // namespace hookline::api
