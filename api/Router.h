#pragma once

#include "ApiCall.h"
#include "ApiReply.h"

#include <QByteArray>
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
    QList<Route> m_routes;
};

} // namespace hookline::api
