#pragma once

#include "model/Plan.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QSpinBox;

namespace hookline {

// A new plan: a name, and a webhook quota and request rate, each a number or unlimited.
class PlanDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlanDialog)
public:
    explicit PlanDialog(QWidget *parent = nullptr);
    Plan plan() const;

private:
    QLineEdit *m_name;
    QSpinBox *m_quota;
    QCheckBox *m_quotaUnlimited;
    QSpinBox *m_rate;
    QCheckBox *m_rateUnlimited;
};

} // namespace hookline
