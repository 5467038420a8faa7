#include "PlanDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>

namespace hookline {

PlanDialog::PlanDialog(QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_quota(new QSpinBox(this))
    , m_quotaUnlimited(new QCheckBox(tr("&Unlimited"), this))
    , m_rate(new QSpinBox(this))
    , m_rateUnlimited(new QCheckBox(tr("Un&limited"), this))
{
    setWindowTitle(tr("New plan"));
    m_name->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Za-z0-9_-]{1,32}")), m_name));
    m_name->setPlaceholderText(tr("GOLD"));
    m_name->setAccessibleName(tr("Plan name"));
    m_quota->setRange(0, Plan::kMaxQuota);
    m_quota->setValue(10);
    m_quota->setAccessibleName(tr("Webhooks allowed"));
    m_quotaUnlimited->setAccessibleName(tr("Unlimited webhooks"));
    m_rate->setRange(1, Plan::kMaxRequestsPerMinute);
    m_rate->setValue(600);
    m_rate->setAccessibleName(tr("API requests a minute"));
    m_rateUnlimited->setAccessibleName(tr("Unlimited API requests"));
    connect(m_quotaUnlimited, &QCheckBox::toggled, m_quota, &QWidget::setDisabled);
    connect(m_rateUnlimited, &QCheckBox::toggled, m_rate, &QWidget::setDisabled);

    const auto row = [this](QSpinBox *spin, QCheckBox *unlimited) {
        auto *box = new QHBoxLayout;
        box->addWidget(spin, 1);
        box->addWidget(unlimited);
        return box;
    };
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Webhooks allowed:"), row(m_quota, m_quotaUnlimited));
    form->addRow(tr("API &requests a minute (per key):"), row(m_rate, m_rateUnlimited));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Add plan"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_name, &QLineEdit::textChanged, this,
            [buttons](const QString &text) { buttons->button(QDialogButtonBox::Ok)->setEnabled(Plan::isValidName(text)); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

Plan PlanDialog::plan() const
{
    Plan p;
    p.name = m_name->text().toUpper();
    if (!m_quotaUnlimited->isChecked())
        p.webhookQuota = m_quota->value();
    if (!m_rateUnlimited->isChecked())
        p.requestsPerMinute = m_rate->value();
    return p;
}

} // namespace hookline
