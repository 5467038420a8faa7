#include "Router.h"

#include <algorithm>

namespace hookline::api {

namespace {
bool isCapture(QStringView segment)
{
    return segment.startsWith(u'{') && segment.endsWith(u'}');
}
} // namespace

void Router::add(QByteArray method, const QString &pattern, Handler handler, Access access)
{
    m_routes.append({std::move(method), pattern, pattern.split(u'/', Qt::SkipEmptyParts), access, std::move(handler)});
    rebuildLiterals(); // the list may have moved, and the new route may change an answer
}

void Router::rebuildLiterals()
{
    m_literals.clear();
    for (const auto &route : std::as_const(m_routes)) {
        if (m_literals.contains(route.pattern) || std::any_of(route.segments.cbegin(), route.segments.cend(), isCapture))
            continue;
        Literal literal;
        literal.allowed = matchAll({}, route.pattern).allowed;
        bool plain = true;
        for (const auto &method : std::as_const(literal.allowed)) {
            const auto found = matchAll(method, route.pattern);
            plain = plain && found.params.isEmpty();
            literal.routes.append({method, found.route});
        }
        // A capture route that wins for this path needs its parameters: no shortcut.
        if (plain)
            m_literals.insert(route.pattern, literal);
    }
}

Router::Match Router::match(QByteArrayView method, const QString &path) const
{
    if (const auto it = m_literals.constFind(path); it != m_literals.cend()) {
        Match result;
        result.allowed = it->allowed;
        for (const auto &[routeMethod, route] : it->routes) {
            if (routeMethod == method) {
                result.route = route;
                break;
            }
        }
        return result;
    }
    return matchAll(method, path);
}

Router::Match Router::matchAll(QByteArrayView method, QStringView path) const
{
    // A trailing slash names the same resource; empty segments never match a {capture}.
    const auto parts = path.split(u'/', Qt::SkipEmptyParts);
    Match result;
    for (const auto &route : m_routes) {
        if (route.segments.size() != parts.size())
            continue;
        QHash<QString, QString> params;
        bool fits = true;
        for (qsizetype i = 0; i < parts.size() && fits; ++i) {
            const auto &segment = route.segments.at(i);
            if (isCapture(segment))
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
