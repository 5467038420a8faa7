// How the window writes times, counts and durations: one date format from
// the user's locale (seconds, four-digit year, local time, the exact instant
// in a tooltip), relative times where a person scans, plurals in English and
// French, durations as a number and a unit.

#include "AlertText.h"
#include "Theme.h"
#include "TimeText.h"
#include "Translations.h"
#include "widgets/DurationEdit.h"

#include <QAccessible>
#include <QApplication>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTranslator>
#include <QVBoxLayout>
#include <QtTest>

#include <cmath>

using namespace hookline;
using namespace Qt::StringLiterals;

class TestUiFormats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void absoluteHasSecondsAndFullYear_data();
    void absoluteHasSecondsAndFullYear();
    void exactIsIsoUtc();
    void relative_data();
    void relative();
    void englishPlurals_data();
    void englishPlurals();
    void frenchPlurals();
    void alertTextFromFacts_data();
    void alertTextFromFacts();

    void durationPicksRoundUnit_data();
    void durationPicksRoundUnit();
    void durationTyped_data();
    void durationTyped();
    void durationTypedThenLeft();
    void durationArrowsStepByTheUnitShown();
    void durationRangeClamps();

    void themeReadsOnLightAndDark_data();
    void themeReadsOnLightAndDark();
};

void TestUiFormats::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(Translations::install(QLocale(QLocale::English)));
}

void TestUiFormats::absoluteHasSecondsAndFullYear_data()
{
    QTest::addColumn<QLocale>("locale");
    QTest::addColumn<QString>("expected");
    // 2026-12-01 04:06:50 UTC, shown in UTC (TZ is set for this test by ctest).
    QTest::newRow("en_US") << QLocale(QLocale::English, QLocale::UnitedStates) << u"12/1/2026 4:06:50 AM"_s;
    QTest::newRow("en_GB") << QLocale(QLocale::English, QLocale::UnitedKingdom) << u"01/12/2026 04:06:50"_s;
    QTest::newRow("fr_FR") << QLocale(QLocale::French, QLocale::France) << u"01/12/2026 04:06:50"_s;
    QTest::newRow("de_DE") << QLocale(QLocale::German, QLocale::Germany) << u"01.12.2026 04:06:50"_s;
}

void TestUiFormats::absoluteHasSecondsAndFullYear()
{
    QFETCH(QLocale, locale);
    QFETCH(QString, expected);
    if (QDateTime::currentDateTime().offsetFromUtc() != 0)
        QSKIP("needs TZ=UTC (set by ctest)");
    QLocale::setDefault(locale);
    const QDateTime t(QDate(2026, 12, 1), QTime(4, 6, 50, 123), Qt::UTC);
    QCOMPARE(TimeText::absolute(t), expected);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestUiFormats::exactIsIsoUtc()
{
    const QDateTime t(QDate(2026, 12, 1), QTime(4, 6, 50, 123), Qt::UTC);
    QCOMPARE(TimeText::exact(t), u"2026-12-01T04:06:50.123Z"_s);
    QCOMPARE(TimeText::exact(t.toOffsetFromUtc(3600)), u"2026-12-01T04:06:50.123Z"_s);
    QVERIFY(TimeText::exact({}).isEmpty());
}

void TestUiFormats::relative_data()
{
    QTest::addColumn<qint64>("secondsAgo");
    QTest::addColumn<QString>("expected");
    QTest::newRow("now") << qint64(5) << u"just now"_s;
    QTest::newRow("1 min") << qint64(60) << u"1 min ago"_s;
    QTest::newRow("3 min") << qint64(185) << u"3 min ago"_s;
    QTest::newRow("2 h") << qint64(2 * 3600 + 100) << u"2 h ago"_s;
    QTest::newRow("1 day") << qint64(86400 + 5) << u"1 day ago"_s;
    QTest::newRow("3 days") << qint64(3 * 86400) << u"3 days ago"_s;
}

void TestUiFormats::relative()
{
    QFETCH(qint64, secondsAgo);
    QFETCH(QString, expected);
    const auto now = QDateTime::currentDateTimeUtc();
    QCOMPARE(TimeText::relative(now.addSecs(-secondsAgo), now), expected);
    // Long ago: the date itself.
    QCOMPARE(TimeText::relative(now.addDays(-40), now), TimeText::absolute(now.addDays(-40)));
}

// clang-format off
void TestUiFormats::englishPlurals_data()
{
    QTest::addColumn<QByteArray>("context");
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("expected");
    QTest::newRow("queue 0") << "hookline::MainWindow"_ba << "%1 — %n deliveries queued"_ba << 0 << u"%1 — 0 deliveries queued"_s;
    QTest::newRow("queue 1") << "hookline::MainWindow"_ba << "%1 — %n deliveries queued"_ba << 1 << u"%1 — 1 delivery queued"_s;
    QTest::newRow("queue 2") << "hookline::MainWindow"_ba << "%1 — %n deliveries queued"_ba << 2 << u"%1 — 2 deliveries queued"_s;
    QTest::newRow("history 1") << "hookline::HistoryView"_ba << "%n deliveries"_ba << 1 << u"1 delivery"_s;
    QTest::newRow("history 7") << "hookline::HistoryView"_ba << "%n deliveries"_ba << 7 << u"7 deliveries"_s;
    QTest::newRow("sent 1") << "hookline::SendEventDialog"_ba << "Event %1 recorded: %n deliveries queued."_ba << 1
                            << u"Event %1 recorded: 1 delivery queued."_s;
    QTest::newRow("attempts 1") << "hookline::AttemptDialog"_ba << "%1 of event %2 (%3) to %4 — %5 after %n attempts"_ba << 1
                                << u"%1 of event %2 (%3) to %4 — %5 after 1 attempt"_s;
}
// clang-format on

void TestUiFormats::englishPlurals()
{
    QFETCH(QByteArray, context);
    QFETCH(QByteArray, source);
    QFETCH(int, n);
    QFETCH(QString, expected);
    QCOMPARE(QCoreApplication::translate(context.constData(), source.constData(), nullptr, n), expected);
}

void TestUiFormats::frenchPlurals()
{
    QTranslator french;
    QVERIFY(french.load(u":/i18n/hookline_fr.qm"_s));
    QCoreApplication::installTranslator(&french);
    QCOMPARE(QCoreApplication::translate("hookline::MainWindow", "%1 — %n deliveries queued", nullptr, 1), u"%1 — 1 livraison en file d’attente"_s);
    QCOMPARE(QCoreApplication::translate("hookline::MainWindow", "%1 — %n deliveries queued", nullptr, 3), u"%1 — 3 livraisons en file d’attente"_s);
    QCOMPARE(QCoreApplication::translate("hookline::HistoryView", "%n deliveries", nullptr, 1), u"1 livraison"_s);
    QCoreApplication::removeTranslator(&french);
}

// An alert's detail said in the window's language from its facts, the
// engine's English words only for an alert without them.
void TestUiFormats::alertTextFromFacts_data()
{
    QTest::addColumn<QJsonObject>("facts");
    QTest::addColumn<QString>("english");
    QTest::addColumn<QString>("french");
    const auto last = u"HTTP 503"_s;
    QTest::newRow("in a row") << QJsonObject{{u"rule"_s, u"inRow"_s}, {u"count"_s, 3}, {u"last"_s, last}}
                              << u"3 deliveries in a row failed (the last: HTTP 503)"_s
                              << u"3 livraisons d’affilée ont échoué (la dernière\u00a0: HTTP 503)"_s;
    QTest::newRow("rate")
        << QJsonObject{{u"rule"_s, u"rate"_s}, {u"succeeded"_s, 4}, {u"total"_s, 11}, {u"minutes"_s, 60}, {u"threshold"_s, 50}, {u"last"_s, last}}
        << u"4 of 11 attempts in the last 60 min succeeded, under the 50 % threshold (the last: HTTP 503)"_s
        << u"4 tentatives réussies sur 11 au cours des 60 dernières minutes, sous le seuil de 50\u00a0% (la dernière\u00a0: HTTP 503)"_s;
    QTest::newRow("auto-disable, one") << QJsonObject{{u"rule"_s, u"autoDisable"_s}, {u"count"_s, 1}, {u"last"_s, last}}
                                       << u"deactivated after 1 delivery failed (the last: HTTP 503)"_s
                                       << u"désactivé après 1 livraison échouée (la dernière\u00a0: HTTP 503)"_s;
    QTest::newRow("gone") << QJsonObject{{u"rule"_s, u"gone"_s}} << u"the receiver answered 410 Gone: it wants no more deliveries"_s
                          << u"le destinataire a répondu 410 Gone\u00a0: il ne veut plus de livraisons"_s;
    QTest::newRow("re-enabled") << QJsonObject{{u"rule"_s, u"reenabled"_s}, {u"by"_s, u"ada (window)"_s}} << u"turned back on by ada (window)"_s
                                << u"réactivé par ada (window)"_s;
    QTest::newRow("no facts: the engine's words") << QJsonObject{} << u"from an older Hookline"_s << u"from an older Hookline"_s;
}

void TestUiFormats::alertTextFromFacts()
{
    QFETCH(QJsonObject, facts);
    QFETCH(QString, english);
    QFETCH(QString, french);
    Alert alert;
    alert.facts = facts;
    alert.detail = u"from an older Hookline"_s;
    QCOMPARE(AlertText::detail(alert), english);
    QTranslator translator;
    QVERIFY(translator.load(u":/i18n/hookline_fr.qm"_s));
    QCoreApplication::installTranslator(&translator);
    const auto said = AlertText::detail(alert);
    QCoreApplication::removeTranslator(&translator);
    QCOMPARE(said, french);
}

void TestUiFormats::durationPicksRoundUnit_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<int>("unit");
    QTest::addColumn<QString>("shown");
    QTest::newRow("1 day") << 86400.0 << int(DurationEdit::Days) << u"1 day"_s;
    QTest::newRow("2 days") << 172800.0 << int(DurationEdit::Days) << u"2 days"_s;
    QTest::newRow("36 h") << 129600.0 << int(DurationEdit::Hours) << u"36 hours"_s;
    QTest::newRow("1 h") << 3600.0 << int(DurationEdit::Hours) << u"1 hour"_s;
    QTest::newRow("5 min") << 300.0 << int(DurationEdit::Minutes) << u"5 minutes"_s;
    QTest::newRow("90 s") << 90.0 << int(DurationEdit::Seconds) << u"90 seconds"_s;
    QTest::newRow("0.5 s") << 0.5 << int(DurationEdit::Seconds) << u"0.5 seconds"_s;
    QTest::newRow("1 s") << 1.0 << int(DurationEdit::Seconds) << u"1 second"_s;
    QTest::newRow("0") << 0.0 << int(DurationEdit::Seconds) << u"0 seconds"_s;
}

// Shown as a person writes it, read the same by a screen reader.
void TestUiFormats::durationPicksRoundUnit()
{
    QFETCH(double, seconds);
    QFETCH(int, unit);
    QFETCH(QString, shown);
    DurationEdit edit;
    edit.setAccessibleName(u"Grace"_s);
    edit.setRange(0, 30 * 86400);
    edit.setSeconds(seconds);
    QCOMPARE(int(edit.unit()), unit);
    QCOMPARE(edit.seconds(), seconds);
    QCOMPARE(edit.text(), shown);
    auto *iface = QAccessible::queryAccessibleInterface(&edit);
    QVERIFY(iface);
    QCOMPARE(iface->role(), QAccessible::SpinBox);
    QCOMPARE(iface->text(QAccessible::Name), u"Grace"_s);
    QCOMPARE(iface->text(QAccessible::Value), shown);
}

void TestUiFormats::durationTyped_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("shown");
    QTest::newRow("hours abbreviated") << u"36 h"_s << 129600.0 << u"36 hours"_s;
    QTest::newRow("minutes") << u"5 min"_s << 300.0 << u"5 minutes"_s;
    QTest::newRow("a day and a half") << u"1.5 days"_s << 129600.0 << u"1.5 days"_s;
    QTest::newRow("comma decimal") << u"0,5 s"_s << 0.5 << u"0.5 seconds"_s;
    QTest::newRow("number alone keeps the unit") << u"3"_s << 3.0 * 86400 << u"3 days"_s;
    QTest::newRow("out of range is not taken") << u"40 days"_s << 86400.0 << u"1 day"_s;
    QTest::newRow("not a duration") << u"soon"_s << 86400.0 << u"1 day"_s;
}

void TestUiFormats::durationTyped()
{
    QFETCH(QString, typed);
    QFETCH(double, seconds);
    QFETCH(QString, shown);
    DurationEdit edit;
    edit.setRange(0, 30 * 86400);
    edit.setSeconds(86400);
    edit.show();
    QVERIFY(QTest::qWaitForWindowExposed(&edit));
    QSignalSpy changed(&edit, &DurationEdit::secondsChanged);
    edit.selectAll();
    QTest::keyClicks(&edit, typed);
    QTest::keyClick(&edit, Qt::Key_Return);
    QCOMPARE(edit.seconds(), seconds);
    QCOMPARE(edit.text(), shown);
    QCOMPARE(changed.isEmpty(), seconds == 86400.0);
}

// Leaving the field counts as finishing the edit (Tab, a click elsewhere).
void TestUiFormats::durationTypedThenLeft()
{
    QWidget host;
    auto *edit = new DurationEdit(&host);
    auto *other = new QLineEdit(&host);
    auto *layout = new QVBoxLayout(&host);
    layout->addWidget(edit);
    layout->addWidget(other);
    edit->setRange(0, 30 * 86400);
    edit->setSeconds(86400);
    host.show();
    QVERIFY(QTest::qWaitForWindowExposed(&host));
    QApplication::setActiveWindow(&host);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, u"5 min"_s);
    other->setFocus();
    QTRY_COMPARE(edit->seconds(), 300.0);
    QCOMPARE(edit->text(), u"5 minutes"_s);
}

void TestUiFormats::durationArrowsStepByTheUnitShown()
{
    DurationEdit edit;
    edit.setRange(0, 30 * 86400);
    edit.setSeconds(7200); // 2 hours
    QSignalSpy changed(&edit, &DurationEdit::secondsChanged);
    edit.stepBy(1);
    QCOMPARE(edit.seconds(), 10800.0);
    QCOMPARE(edit.text(), u"3 hours"_s);
    edit.stepBy(-3);
    QCOMPARE(edit.seconds(), 0.0);
    QCOMPARE(changed.size(), 2);
    edit.setSeconds(30 * 86400);
    edit.stepBy(1); // the top of the range holds
    QCOMPARE(edit.seconds(), 30.0 * 86400);
}

void TestUiFormats::durationRangeClamps()
{
    DurationEdit edit;
    edit.setRange(0.1, 300);
    edit.setSeconds(10);
    QCOMPARE(edit.text(), u"10 seconds"_s);
    edit.setSeconds(1e9);
    QCOMPARE(edit.seconds(), 300.0);
    QCOMPARE(edit.text(), u"5 minutes"_s);
    edit.setSeconds(0);
    QCOMPARE(edit.seconds(), 0.1);
}

namespace {
// WCAG relative luminance and contrast ratio.
double luminance(const QColor &c)
{
    const auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}
} // namespace

void TestUiFormats::themeReadsOnLightAndDark_data()
{
    QTest::addColumn<QColor>("window");
    QTest::addColumn<QColor>("base");
    QTest::newRow("light") << QColor(0xef, 0xef, 0xef) << QColor(Qt::white);
    QTest::newRow("dark") << QColor(0x2b, 0x2b, 0x2b) << QColor(0x1e, 0x1e, 0x1e);
}

// The failure red, the success green, the warning amber and the muted grey
// read (4.5:1, WCAG AA) on the palette in use, light or dark.
void TestUiFormats::themeReadsOnLightAndDark()
{
    QFETCH(QColor, window);
    QFETCH(QColor, base);
    QPalette palette;
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::WindowText, window.lightnessF() < 0.5 ? QColor(Qt::white) : QColor(Qt::black));
    for (const auto tone : {Theme::Tone::Success, Theme::Tone::Warning, Theme::Tone::Error, Theme::Tone::Muted}) {
        const auto c = Theme::color(tone, palette);
        QVERIFY2(contrast(c, window) >= 4.5, qPrintable(u"%1 on %2: %3"_s.arg(c.name(), window.name()).arg(contrast(c, window))));
        QVERIFY2(contrast(c, base) >= 4.5, qPrintable(u"%1 on %2: %3"_s.arg(c.name(), base.name()).arg(contrast(c, base))));
    }
    // The error row background keeps normal text readable.
    QVERIFY(contrast(Theme::errorBackground(palette), palette.color(QPalette::WindowText)) >= 4.5);
}

QTEST_MAIN(TestUiFormats)
#include "tst_ui_formats.moc"
