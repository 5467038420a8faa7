#pragma once

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;

namespace hookline {

// A duration as a person writes it: a number and a unit (seconds, minutes,
// hours, days), not "86400 s". The value is kept in seconds; a value shown
// is put in the largest unit that keeps it a round number.
class DurationEdit final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DurationEdit)

public:
    enum Unit { Seconds, Minutes, Hours, Days };

    explicit DurationEdit(const QString &accessibleName, QWidget *parent = nullptr);

    void setRange(double minSeconds, double maxSeconds);
    void setSeconds(double seconds);
    double seconds() const;
    Unit unit() const;

    QDoubleSpinBox *number() const { return m_number; }
    QComboBox *unitBox() const { return m_unit; }

    static double unitSeconds(Unit unit);

Q_SIGNALS:
    void secondsChanged(double seconds);

private:
    void unitChanged();
    void nameUnits();
    void applyRange();

    QDoubleSpinBox *m_number;
    QComboBox *m_unit;
    double m_min = 0;
    double m_max = 1e9;
    bool m_setting = false;
};

} // namespace hookline
