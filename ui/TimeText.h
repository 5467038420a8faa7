#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace hookline {

// The one way the window writes a time: the user's locale, local time, with
// seconds, a four-digit year; the exact UTC instant (ISO 8601) goes in the
// tooltip. Where a person scans a list, a relative form ("3 min ago").
class TimeText final {
    Q_DECLARE_TR_FUNCTIONS(TimeText)

public:
    TimeText() = delete;

    static QString absolute(const QDateTime &time);
    static QString exact(const QDateTime &time); // 2026-12-01T04:06:50.123Z
    static QString relative(const QDateTime &time, const QDateTime &now = QDateTime::currentDateTimeUtc());
    // The locale's date and time format, with seconds and without a time zone.
    static QString format();
};

} // namespace hookline
