#include "TimeText.h"

#include <QLocale>
#include <QRegularExpression>

namespace hookline {

QString TimeText::format()
{
    const QLocale locale;
    auto date = locale.dateFormat(QLocale::ShortFormat);
    // "M/d/yy" reads as a riddle in a log: always the four-digit year.
    if (!date.contains(QLatin1StringView("yyyy")))
        date.replace(QLatin1StringView("yy"), QLatin1StringView("yyyy"));
    auto time = locale.timeFormat(QLocale::LongFormat);
    // The long format ends with the zone ("t", "tttt"); local time needs none.
    static const QRegularExpression zone(QStringLiteral("\\s*\\(?t+\\)?"));
    time.remove(zone);
    return date + u' ' + time.trimmed();
}

QString TimeText::absolute(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return QLocale().toString(time.toLocalTime(), format());
}

QString TimeText::exact(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QString TimeText::relative(const QDateTime &time, const QDateTime &now)
{
    if (!time.isValid())
        return {};
    const qint64 s = time.secsTo(now);
    if (s < -60)
        return absolute(time); // the future is rare here: say exactly when
    if (s < 45)
        return tr("just now");
    if (s < 3600)
        return tr("%n min ago", nullptr, int(std::max<qint64>(1, (s + 30) / 60)));
    if (s < 24 * 3600)
        return tr("%n h ago", nullptr, int(s / 3600));
    if (s < 7 * 24 * 3600)
        return tr("%n days ago", nullptr, int(s / 86400));
    return absolute(time);
}

} // namespace hookline
