#pragma once

#include <QAbstractSpinBox>

#include <optional>

namespace hookline {

// A duration as a person writes it: "1 day", "90 seconds", "2 hours", not
// "86400 s". One spin box, so its label names it for a screen reader and its
// text is read as it is shown. Typing takes a number and a unit ("36 h",
// "5 min", "1.5 days"; a number alone keeps the unit shown); the arrows step
// by one of the unit shown. The value is kept in seconds, and shown in the
// largest unit that keeps it a round number.
class DurationEdit final : public QAbstractSpinBox {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DurationEdit)
    // The value for assistive tools' value interface, in seconds.
    Q_PROPERTY(double value READ seconds WRITE setSeconds NOTIFY secondsChanged USER true)

public:
    enum Unit { Seconds, Minutes, Hours, Days };

    explicit DurationEdit(QWidget *parent = nullptr);

    void setRange(double minSeconds, double maxSeconds);
    void setSeconds(double seconds);
    double seconds() const { return m_seconds; }
    Unit unit() const { return m_unit; }

    // "1 day", "2.5 hours", in the user's language.
    static QString format(double number, Unit unit);
    static double unitSeconds(Unit unit);

    void stepBy(int steps) override;
    QSize sizeHint() const override;

Q_SIGNALS:
    void secondsChanged(double seconds);

protected:
    QValidator::State validate(QString &input, int &pos) const override;
    void fixup(QString &input) const override;
    StepEnabled stepEnabled() const override;

private:
    struct Parsed {
        double number = 0;
        Unit unit = Seconds;
    };
    // nullopt: not a duration; a unit that is only begun is Intermediate.
    std::optional<Parsed> parse(const QString &input, bool *incomplete = nullptr) const;
    void commit();
    void showValue();

    double m_seconds = 0;
    double m_min = 0;
    double m_max = 1e9;
    Unit m_unit = Seconds;
};

} // namespace hookline
