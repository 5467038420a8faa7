#include "util/UrlText.h"

#include <QUrl>

namespace hookline {

namespace {
bool isHex(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

// RFC 3986: unreserved, sub-delims, ':', '@', '/', '?' and '%' (checked apart).
bool allowedInPathOrQuery(QChar c)
{
    if (c.unicode() >= 0x80)
        return true; // international text: QUrl encodes it
    if (c.isLetterOrNumber())
        return true;
    return QStringView(u"-._~!$&'()*+,;=:@/?%#[]").contains(c);
}

QString describe(QChar c)
{
    if (c == u' ')
        return UrlText::tr("a space");
    if (c == u'\t')
        return UrlText::tr("a tab");
    if (c.unicode() < 0x20 || c.unicode() == 0x7f)
        return UrlText::tr("a control character (U+%1)").arg(c.unicode(), 4, 16, QLatin1Char('0'));
    return QStringLiteral("\"%1\"").arg(c);
}
} // namespace

UrlText::Parts UrlText::split(const QString &text)
{
    Parts p;
    qsizetype from = 0;
    if (const auto sep = text.indexOf(QLatin1StringView("://")); sep >= 0) {
        p.scheme = text.left(sep);
        p.hasSeparator = true;
        from = sep + 3;
    }
    qsizetype end = text.size();
    for (const QChar stop : {u'/', u'?', u'#'}) {
        const auto at = text.indexOf(stop, from);
        if (at >= 0 && at < end)
            end = at;
    }
    QString authority = text.mid(from, end - from);
    p.rest = text.mid(end);
    if (const auto at = authority.lastIndexOf(u'@'); at >= 0) {
        p.userInfo = authority.left(at);
        authority = authority.mid(at + 1);
    }
    if (authority.startsWith(u'[')) {
        const auto close = authority.indexOf(u']');
        p.host = authority.mid(1, close < 0 ? -1 : close - 1);
        if (close >= 0 && authority.mid(close + 1).startsWith(u':'))
            p.port = authority.mid(close + 2);
    } else if (const auto colon = authority.lastIndexOf(u':'); colon >= 0) {
        p.host = authority.left(colon);
        p.port = authority.mid(colon + 1);
    } else {
        p.host = authority;
    }
    return p;
}

QString UrlText::withoutUserInfo(const QString &text)
{
    const auto p = split(text);
    if (p.userInfo.isEmpty())
        return text;
    const auto at = text.indexOf(p.userInfo);
    return text.left(at) + QStringLiteral("***") + text.mid(at + p.userInfo.size());
}

std::optional<QString> UrlText::problem(const QString &text)
{
    const auto p = split(text);
    // A '@' anywhere may mean credentials, typed in a way that splits them
    // differently than intended (a '/' in a password): then no part is quoted.
    const bool mayQuote = !text.contains(u'@');
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace() || c.unicode() < 0x20 || c.unicode() == 0x7f) {
            // Where, not what surrounds it: the surroundings may be a password.
            return tr("contains %1 at character %2; a URL has none (write a space in a path or query as %20)").arg(describe(c)).arg(i + 1);
        }
    }
    if (!p.hasSeparator)
        return tr("has no scheme (such as https://) before its host");
    if (p.host.isEmpty())
        return tr("has no host after %1://").arg(p.scheme);
    if (!p.port.isEmpty()) {
        bool ok = false;
        const int port = p.port.toInt(&ok);
        if (!ok || port < 1 || port > 65535 || !p.port.front().isDigit())
            return mayQuote ? tr("has a port, \"%1\", that is not a number from 1 to 65535").arg(p.port)
                            : tr("has a port that is not a number from 1 to 65535");
    }
    QUrl host;
    host.setHost(p.host, QUrl::StrictMode);
    if (!host.isValid() || host.host().isEmpty())
        return mayQuote ? tr("has a host, \"%1\", that is not a valid host name or address").arg(p.host)
                        : tr("has a host that is not a valid host name or address");
    for (qsizetype i = 0; i < p.rest.size(); ++i) {
        const QChar c = p.rest.at(i);
        if (c == u'%' && !(i + 2 < p.rest.size() && isHex(p.rest.at(i + 1)) && isHex(p.rest.at(i + 2))))
            return tr("has a %-sign that is not followed by two hex digits in its path or query (write a literal % as %25)");
        if (!allowedInPathOrQuery(c))
            return tr("has %1 in its path or query, which must be percent-encoded").arg(describe(c));
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return tr("is not a well-formed URL");
    return std::nullopt;
}

} // namespace hookline
