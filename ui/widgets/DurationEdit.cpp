#include "DurationEdit.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>

#include <cmath>

namespace hookline {

DurationEdit::DurationEdit(const QString &accessibleName, QWidget *parent)
    : QWidget(parent)
    , m_number(new QDoubleSpinBox(this))
    , m_unit(new QComboBox(this))
{
    m_number->setAccessibleName(accessibleName);
    m_unit->setAccessibleName(tr("%1 unit").arg(accessibleName));
    for (const Unit u : {Seconds, Minutes, Hours, Days})
        m_unit->addItem(QString(), u);
    m_number->setDecimals(3);
    nameUnits();
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_number, 1);
    layout->addWidget(m_unit);
    setFocusProxy(m_number); // a label's buddy, Tab: the number first
    connect(m_number, &QDoubleSpinBox::valueChanged, this, [this] {
        nameUnits();
        if (!m_setting)
            Q_EMIT secondsChanged(seconds());
    });
    connect(m_unit, &QComboBox::currentIndexChanged, this, &DurationEdit::unitChanged);
    applyRange();
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

DurationEdit::Unit DurationEdit::unit() const
{
    return Unit(m_unit->currentData().toInt());
}

double DurationEdit::seconds() const
{
    return m_number->value() * unitSeconds(unit());
}

void DurationEdit::setRange(double minSeconds, double maxSeconds)
{
    m_min = minSeconds;
    m_max = maxSeconds;
    const double now = seconds();
    applyRange();
    setSeconds(std::clamp(now, m_min, m_max));
}

void DurationEdit::applyRange()
{
    const QSignalBlocker block(m_number);
    const double factor = unitSeconds(unit());
    m_number->setRange(m_min / factor, m_max / factor);
}

void DurationEdit::setSeconds(double seconds)
{
    // The largest unit in which the value is a round number (86400 → 1 day, 90 → 1.5 minutes is not: 90 seconds).
    Unit best = Seconds;
    for (const Unit u : {Days, Hours, Minutes}) {
        const double n = seconds / unitSeconds(u);
        if (seconds > 0 && n >= 1 && std::abs(n - std::round(n)) < 1e-9) {
            best = u;
            break;
        }
    }
    m_setting = true;
    {
        const QSignalBlocker block(m_unit);
        m_unit->setCurrentIndex(m_unit->findData(best));
    }
    applyRange();
    m_number->setValue(seconds / unitSeconds(best));
    m_setting = false;
    Q_EMIT secondsChanged(this->seconds());
}

void DurationEdit::nameUnits()
{
    // "1 day", "2 days": the unit agrees with the number beside it.
    const double v = m_number->value();
    const int n = v == 1.0 ? 1 : 2;
    m_unit->setItemText(m_unit->findData(Seconds), tr("seconds", "duration unit", n));
    m_unit->setItemText(m_unit->findData(Minutes), tr("minutes", "duration unit", n));
    m_unit->setItemText(m_unit->findData(Hours), tr("hours", "duration unit", n));
    m_unit->setItemText(m_unit->findData(Days), tr("days", "duration unit", n));
}

void DurationEdit::unitChanged()
{
    // The number stays, its meaning changes (2 minutes → 2 hours): what a
    // person choosing a unit expects. The range follows the unit.
    const double n = m_number->value();
    m_setting = true;
    applyRange();
    m_number->setValue(n);
    m_setting = false;
    Q_EMIT secondsChanged(seconds());
}

} // namespace hookline
