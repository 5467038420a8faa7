#include "RetryTimeline.h"

#include <QListWidget>
#include <QLocale>
#include <QVBoxLayout>

namespace hookline {

RetryTimeline::RetryTimeline(QWidget *parent)
    : QWidget(parent)
    , m_list(new QListWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_list);
    m_list->setAccessibleName(tr("Retry timeline"));
    m_list->setAccessibleDescription(tr("When each attempt of a failing delivery would be made"));
    m_list->setFocusPolicy(Qt::TabFocus);
    m_list->setWordWrap(true);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

QString RetryTimeline::duration(double s)
{
    if (s < 1)
        return tr("%1 ms").arg(qRound(s * 1000));
    if (s < 120)
        return tr("%1 s").arg(QLocale().toString(s, 'g', 3));
    if (s < 2 * 3600)
        return tr("%1 min").arg(QLocale().toString(s / 60, 'g', 3));
    if (s < 2 * 86400)
        return tr("%1 h").arg(QLocale().toString(s / 3600, 'g', 3));
    return tr("%1 days").arg(QLocale().toString(s / 86400, 'g', 3));
}

QList<RetryTimeline::Step> RetryTimeline::steps(const RetryPolicy &policy)
{
    QList<Step> out{{tr("Attempt 1: at once"), 0, 0, 0}};
    double at = 0;
    double lo = 0;
    double hi = 0;
    for (int n = 1; n <= policy.retryCount(); ++n) {
        at += policy.baseDelaySeconds(n).value_or(0);
        lo += policy.minDelaySeconds(n);
        hi += policy.maxDelaySeconds(n);
        out.append({tr("Retry %1 (attempt %2)").arg(n).arg(n + 1), at, lo, hi});
    }
    out.append({tr("Delivery fails for good"), at, lo, hi});
    return out;
}

void RetryTimeline::setPolicy(const RetryPolicy &policy)
{
    m_list->clear();
    for (const auto &step : steps(policy)) {
        QString when = step.atSeconds == 0 ? tr("now") : tr("+%1").arg(duration(step.atSeconds));
        if (step.maxSeconds > step.minSeconds)
            when += tr(" (between +%1 and +%2 with jitter)").arg(duration(step.minSeconds), duration(step.maxSeconds));
        m_list->addItem(QStringLiteral("%1 — %2").arg(step.label, when));
    }
    if (policy.autoDisableAfter > 0)
        m_list->addItem(tr("The webhook is deactivated when %n deliveries in a row fail", nullptr, policy.autoDisableAfter));
    else
        m_list->addItem(tr("The webhook is never deactivated automatically"));
}

} // namespace hookline
