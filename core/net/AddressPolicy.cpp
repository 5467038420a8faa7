#include "AddressPolicy.h"

#include <QList>
#include <QPair>

namespace hookline {

namespace {
struct Range {
    const char *cidr;
    const char *reason;
};

// IPv4 first; IPv4-mapped IPv6 addresses are converted before the check.
constexpr Range kForbidden[] = {
    {"0.0.0.0/8", "unspecified (0.0.0.0/8)"},
    {"10.0.0.0/8", "private (RFC 1918)"},
    {"100.64.0.0/10", "shared address space (CGNAT, RFC 6598)"},
    {"127.0.0.0/8", "loopback"},
    {"169.254.0.0/16", "link-local (including the cloud metadata service)"},
    {"172.16.0.0/12", "private (RFC 1918)"},
    {"192.0.0.0/24", "IETF protocol assignments"},
    {"192.168.0.0/16", "private (RFC 1918)"},
    {"198.18.0.0/15", "benchmarking (RFC 2544)"},
    {"224.0.0.0/4", "multicast"},
    {"240.0.0.0/4", "reserved"},
    {"::/128", "unspecified"},
    {"::1/128", "loopback"},
    {"fc00::/7", "unique local (IPv6)"},
    {"fe80::/10", "link-local (IPv6)"},
    {"ff00::/8", "multicast (IPv6)"},
    {"64:ff9b::/96", "NAT64"},
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
        return QStringLiteral("not an address");
    for (const auto &[subnet, reason] : ranges()) {
        if (a.isInSubnet(subnet))
            return reason;
    }
    if (a.isBroadcast())
        return QStringLiteral("broadcast");
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
        return QStringLiteral("loopback (localhost)");
    return std::nullopt;
}

} // namespace hookline
