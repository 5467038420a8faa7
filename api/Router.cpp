#include "Router.h"

namespace hookline::api {

void Router::add(QByteArray method, const QString &pattern, Handler handler, Access access)
{
    m_routes.append({std::move(method), pattern, pattern.split(u'/', Qt::SkipEmptyParts), access, std::move(handler)});
}

Router::Match Router::match(QByteArrayView method, const QString &path) const
{
    // A trailing slash names the same resource; empty segments never match a {capture}.
    const auto parts = QStringView(path).split(u'/', Qt::SkipEmptyParts);
    Match result;
    for (const auto &route : m_routes) {
        if (route.segments.size() != parts.size())
            continue;
        QHash<QString, QString> params;
        bool fits = true;
        for (qsizetype i = 0; i < parts.size() && fits; ++i) {
            const auto &segment = route.segments.at(i);
            if (segment.startsWith(u'{') && segment.endsWith(u'}'))
                params.insert(segment.mid(1, segment.size() - 2), parts.at(i).toString());
            else
                fits = segment == parts.at(i);
        }
        if (!fits)
            continue;
        if (!result.allowed.contains(route.method))
            result.allowed.append(route.method);
        // A literal segment wins over a capture: /webhooks/events/available
        // is not the webhook "events" (routes are added literal ones first).
        if (route.method == method && !result.route) {
            result.route = &route;
            result.params = std::move(params);
        }
    }
    return result;
}

} // namespace hookline::api
