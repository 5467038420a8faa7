#include "AlertText.h"

#include "TimeText.h"

#include <QDateTime>

namespace hookline {

QString AlertText::detail(const Alert &alert)
{
    const auto &f = alert.facts;
    const auto rule = f.value(QStringLiteral("rule")).toString();
    const auto last = f.value(QStringLiteral("last")).toString();
    const int count = f.value(QStringLiteral("count")).toInt();
    if (rule == u"inRow")
        return tr("%n deliveries in a row failed (the last: %1)", nullptr, count).arg(last);
    if (rule == u"rate")
        return tr("%1 of %2 attempts in the last %3 min succeeded, under the %4 % threshold (the last: %5)")
            .arg(f.value(QStringLiteral("succeeded")).toInt())
            .arg(f.value(QStringLiteral("total")).toInt())
            .arg(f.value(QStringLiteral("minutes")).toInt())
            .arg(f.value(QStringLiteral("threshold")).toInt())
            .arg(last);
    if (rule == u"autoDisable")
        return tr("deactivated after %n deliveries in a row failed (the last: %1)", nullptr, count).arg(last);
    if (rule == u"gone")
        return tr("the receiver answered 410 Gone: it wants no more deliveries");
    if (rule == u"recovered")
        return tr("delivers again after failing since %1")
            .arg(TimeText::absolute(QDateTime::fromMSecsSinceEpoch(qint64(f.value(QStringLiteral("since")).toDouble()), Qt::UTC)));
    if (rule == u"reenabled")
        return tr("turned back on by %1").arg(f.value(QStringLiteral("by")).toString());
    return alert.detail;
}

} // namespace hookline
