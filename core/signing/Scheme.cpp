#include "Scheme.h"

#include "signing/SchemeDescriptor.h"

namespace hookline {

QString schemeName(Scheme scheme)
{
    const SchemeDescriptor *d = SchemeDescriptor::find(scheme);
    return d ? d->name.toString() : QString();
}

std::optional<Scheme> schemeFromName(QStringView name)
{
    const SchemeDescriptor *d = SchemeDescriptor::find(name);
    return d ? std::optional<Scheme>(d->scheme) : std::nullopt;
}

QStringList schemeNames()
{
    QStringList names;
    names.reserve(qsizetype(SchemeDescriptor::all().size()));
    for (const SchemeDescriptor &d : SchemeDescriptor::all())
        names.append(d.name.toString());
    return names;
}

bool schemeUsesTimestamp(Scheme scheme)
{
    const SchemeDescriptor *d = SchemeDescriptor::find(scheme);
    return d && d->usesTimestamp();
}

} // namespace hookline
