#include "DurationEdit.h"

#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace hookline {

namespace {
constexpr DurationEdit::Unit kUnits[] = {DurationEdit::Seconds, DurationEdit::Minutes, DurationEdit::Hours, DurationEdit::Days};

// What a unit may be typed as: its names in the user's language, singular
// and plural, and the English names and abbreviations.
QStringList spellings(DurationEdit::Unit unit)
{
    QStringList out{DurationEdit::format(1, unit).section(u' ', 1), DurationEdit::format(2, unit).section(u' ', 1)};
    switch (unit) {
    case DurationEdit::Seconds: out << QStringLiteral("s") << QStringLiteral("sec") << QStringLiteral("second") << QStringLiteral("seconds"); break;
    case DurationEdit::Minutes: out << QStringLiteral("m") << QStringLiteral("min") << QStringLiteral("minute") << QStringLiteral("minutes"); break;
    case DurationEdit::Hours: out << QStringLiteral("h") << QStringLiteral("hr") << QStringLiteral("hour") << QStringLiteral("hours"); break;
    case DurationEdit::Days: out << QStringLiteral("d") << QStringLiteral("day") << QStringLiteral("days"); break;
    }
    for (auto &s : out)
        s = s.toLower();
    return out;
}
} // namespace

DurationEdit::DurationEdit(QWidget *parent)
    : QAbstractSpinBox(parent)
{
    setAccelerated(true);
    // What is typed counts when editing ends (Return, Tab, a click away):
    // "4" on the way to "40 days" is never a value of its own.
    connect(this, &QAbstractSpinBox::editingFinished, this, [this] {
        commit();
        showValue();
    });
    showValue();
}

double DurationEdit::unitSeconds(Unit unit)
{
    switch (unit) {
    case Seconds: return 1;
    case Minutes: return 60;
    case Hours: return 3600;
    case Days: return 86400;
    }
    return 1;
}

QString DurationEdit::format(double number, Unit unit)
{
    // "1 day", "2 days": the unit agrees with the number.
    const int n = number == 1.0 ? 1 : 2;
    QString name;
    switch (unit) {
    case Seconds: name = tr("seconds", "duration unit", n); break;
    case Minutes: name = tr("minutes", "duration unit", n); break;
    case Hours: name = tr("hours", "duration unit", n); break;
    case Days: name = tr("days", "duration unit", n); break;
    }
    return QLocale().toString(number, 'g', 6) + u' ' + name;
}

void DurationEdit::setRange(double minSeconds, double maxSeconds)
{
    m_min = minSeconds;
    m_max = maxSeconds;
    setSeconds(std::clamp(m_seconds, m_min, m_max));
}

void DurationEdit::setSeconds(double seconds)
{
    seconds = std::clamp(seconds, m_min, m_max);
    // The largest unit in which the value is a round number: 86400 is 1 day,
    // 90 stays 90 seconds.
    m_unit = Seconds;
    for (const Unit u : {Days, Hours, Minutes}) {
        const double n = seconds / unitSeconds(u);
        if (seconds > 0 && n >= 1 && std::abs(n - std::round(n)) < 1e-9) {
            m_unit = u;
            break;
        }
    }
    const bool changed = seconds != m_seconds;
    m_seconds = seconds;
    showValue();
    if (changed)
        Q_EMIT secondsChanged(m_seconds);
}

void DurationEdit::showValue()
{
    lineEdit()->setText(format(m_seconds / unitSeconds(m_unit), m_unit));
}

std::optional<DurationEdit::Parsed> DurationEdit::parse(const QString &input, bool *incomplete) const
{
    if (incomplete)
        *incomplete = false;
    static const QRegularExpression form(QStringLiteral("^\\s*(\\d+(?:[.,]\\d*)?)\\s*(\\p{L}*)\\.?\\s*$"));
    const auto m = form.match(input);
    if (!m.hasMatch()) {
        if (incomplete)
            *incomplete = input.trimmed().isEmpty();
        return std::nullopt;
    }
    Parsed p;
    bool ok = false;
    p.number = m.captured(1).replace(u',', u'.').toDouble(&ok);
    if (!ok || !std::isfinite(p.number))
        return std::nullopt;
    const auto word = m.captured(2).toLower();
    if (word.isEmpty()) {
        p.unit = m_unit;
        return p;
    }
    bool begun = false;
    for (const Unit u : kUnits) {
        const auto names = spellings(u);
        if (names.contains(word)) {
            p.unit = u;
            return p;
        }
        begun = begun || std::any_of(names.cbegin(), names.cend(), [&](const QString &n) { return n.startsWith(word); });
    }
    if (incomplete)
        *incomplete = begun;
    return std::nullopt;
}

QValidator::State DurationEdit::validate(QString &input, int &pos) const
{
    Q_UNUSED(pos);
    bool incomplete = false;
    const auto p = parse(input, &incomplete);
    if (!p)
        return incomplete ? QValidator::Intermediate : QValidator::Invalid;
    const double s = p->number * unitSeconds(p->unit);
    return s >= m_min && s <= m_max ? QValidator::Acceptable : QValidator::Intermediate;
}

void DurationEdit::fixup(QString &input) const
{
    input = format(m_seconds / unitSeconds(m_unit), m_unit);
}

void DurationEdit::commit()
{
    const auto p = parse(lineEdit()->text());
    if (!p)
        return;
    const double s = p->number * unitSeconds(p->unit);
    if (s < m_min || s > m_max)
        return;
    m_unit = p->unit;
    if (s != m_seconds) {
        m_seconds = s;
        Q_EMIT secondsChanged(m_seconds);
    }
}

void DurationEdit::stepBy(int steps)
{
    // One of the unit shown: a day at a time for days, a second for seconds.
    const double step = unitSeconds(m_unit);
    const double s = std::clamp(m_seconds + steps * step, m_min, m_max);
    if (s == m_seconds)
        return;
    m_seconds = s;
    showValue();
    Q_EMIT secondsChanged(m_seconds);
}

QAbstractSpinBox::StepEnabled DurationEdit::stepEnabled() const
{
    StepEnabled e = StepNone;
    if (m_seconds < m_max)
        e |= StepUpEnabled;
    if (m_seconds > m_min)
        e |= StepDownEnabled;
    return e;
}

QSize DurationEdit::sizeHint() const
{
    auto hint = QAbstractSpinBox::sizeHint();
    hint.setWidth(std::max(hint.width(), fontMetrics().horizontalAdvance(format(888.888, Minutes)) + 40));
    return hint;
}

} // namespace hookline
