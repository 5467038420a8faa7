#include "Scheme.h"

#include <array>

namespace hookline {

namespace {

struct SchemeEntry final {
    Scheme scheme;
    QStringView name;
};

// Single source of truth for the name <-> enum mapping.
constexpr std::array<SchemeEntry, 6> kSchemes{{
    {Scheme::Standard, u"standard"},
    {Scheme::HmacHex, u"hmac-hex"},
    {Scheme::HmacBase64, u"hmac-base64"},
    {Scheme::Timestamped, u"timestamped"},
    {Scheme::Github, u"github"},
    {Scheme::Stripe, u"stripe"},
}};

} // namespace

QString schemeName(Scheme scheme)
{
    for (const SchemeEntry &entry : kSchemes) {
        if (entry.scheme == scheme)
            return entry.name.toString();
    }
    // Only reachable with a value cast from an out-of-range integer.
    return QString();
}

std::optional<Scheme> schemeFromName(QStringView name)
{
    for (const SchemeEntry &entry : kSchemes) {
        if (entry.name == name)
            return entry.scheme;
    }
    return std::nullopt;
}

QStringList schemeNames()
{
    QStringList names;
    names.reserve(qsizetype(kSchemes.size()));
    for (const SchemeEntry &entry : kSchemes)
        names.append(entry.name.toString());
    return names;
}

bool schemeUsesTimestamp(Scheme scheme)
{
    switch (scheme) {
    case Scheme::Standard:
    case Scheme::Timestamped:
    case Scheme::Stripe:
        return true;
    case Scheme::HmacHex:
    case Scheme::HmacBase64:
    case Scheme::Github:
        return false;
    }
    return false;
}

} // namespace hookline
