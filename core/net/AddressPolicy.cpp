#include "AddressPolicy.h"

#include <QCoreApplication>
#include <QList>
#include <QPair>

namespace hookline {

namespace {
struct Range {
    const char *cidr;
    const char *reason;
};

// IPv4 first; IPv4-mapped IPv6 addresses are converted before the check. The
// reasons stay English here (the engine writes them into delivery attempts);
// translatedReason() gives them in the reader's language.
constexpr Range kForbidden[] = {
    {"0.0.0.0/8", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "unspecified (0.0.0.0/8)")},
    {"10.0.0.0/8", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "private (RFC 1918)")},
    {"100.64.0.0/10", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "shared address space (CGNAT, RFC 6598)")},
    {"127.0.0.0/8", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "loopback")},
    {"169.254.0.0/16", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "link-local (including the cloud metadata service)")},
    {"172.16.0.0/12", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "private (RFC 1918)")},
    {"192.0.0.0/24", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "IETF protocol assignments")},
    {"192.168.0.0/16", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "private (RFC 1918)")},
    {"198.18.0.0/15", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "benchmarking (RFC 2544)")},
    {"224.0.0.0/4", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "multicast")},
    {"240.0.0.0/4", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "reserved")},
    {"::/128", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "unspecified")},
    {"::1/128", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "loopback")},
    {"fc00::/7", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "unique local (IPv6)")},
    {"fe80::/10", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "link-local (IPv6)")},
    {"ff00::/8", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "multicast (IPv6)")},
    {"64:ff9b::/96", QT_TRANSLATE_NOOP("hookline::AddressPolicy", "NAT64")},
};

const QList<QPair<QPair<QHostAddress, int>, QString>> &ranges()
{
    static const auto list = [] {
        QList<QPair<QPair<QHostAddress, int>, QString>> out;
        for (const auto &r : kForbidden)
            out.append({QHostAddress::parseSubnet(QString::fromLatin1(r.cidr)), QString::fromLatin1(r.reason)});
        return out;
    }();
    return list;
}
} // namespace

std::optional<QString> AddressPolicy::whyForbidden(const QHostAddress &address)
{
    QHostAddress a = address;
    bool mapped = false;
    const quint32 v4 = a.toIPv4Address(&mapped);
    if (mapped)
        a = QHostAddress(v4);
    if (a.isNull())
        return QString::fromLatin1(QT_TRANSLATE_NOOP("hookline::AddressPolicy", "not an address"));
    for (const auto &[subnet, reason] : ranges()) {
        if (a.isInSubnet(subnet))
            return reason;
    }
    if (a.isBroadcast())
        return QString::fromLatin1(QT_TRANSLATE_NOOP("hookline::AddressPolicy", "broadcast"));
    return std::nullopt;
}

std::optional<QString> AddressPolicy::whyForbiddenHost(const QString &host)
{
    QString h = host;
    if (h.startsWith(u'[') && h.endsWith(u']'))
        h = h.mid(1, h.size() - 2);
    const QHostAddress literal(h);
    if (!literal.isNull())
        return whyForbidden(literal);
    const auto lower = h.toLower();
    if (lower == u"localhost" || lower.endsWith(QLatin1StringView(".localhost")) || lower == u"localhost.")
        return QString::fromLatin1(QT_TRANSLATE_NOOP("hookline::AddressPolicy", "loopback (localhost)"));
    return std::nullopt;
}

QString AddressPolicy::translatedReason(const QString &reason)
{
    return QCoreApplication::translate("hookline::AddressPolicy", reason.toUtf8().constData());
}

} // namespace hookline
