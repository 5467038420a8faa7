#include "DeliveryChart.h"

#include "Theme.h"

#include "AppContext.h"
#include "service/DeliveryService.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QStackedBarSeries>
#include <QVBoxLayout>
#include <QValueAxis>

namespace hookline {

DeliveryChart::DeliveryChart(AppContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_range(new QComboBox(this))
    , m_all(new QCheckBox(tr("&All webhooks"), this))
    , m_view(new QChartView(this))
{
    m_range->addItem(tr("Last 24 hours"), 3600);
    m_range->addItem(tr("Last 30 days"), 86400);
    m_range->setAccessibleName(tr("Chart range"));
    m_all->setAccessibleName(tr("Chart all webhooks"));
    m_view->setAccessibleName(tr("Deliveries over time"));
    m_view->setAccessibleDescription(tr("Succeeded and failed deliveries per period, stacked"));
    m_view->setRenderHint(QPainter::Antialiasing);
    auto *label = new QLabel(tr("Ra&nge:"), this);
    label->setBuddy(m_range);
    auto *top = new QHBoxLayout;
    top->addWidget(label);
    top->addWidget(m_range);
    top->addWidget(m_all);
    top->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    connect(m_range, &QComboBox::currentIndexChanged, this, &DeliveryChart::reload);
    connect(m_all, &QCheckBox::toggled, this, &DeliveryChart::reload);
    // Only finished deliveries are counted: a batch of retries changes nothing.
    connect(&context, &AppContext::deliveriesUpdated, this, [this](const DeliveryUpdates &updates) {
        if (isVisible() && std::any_of(updates.cbegin(), updates.cend(), [](const DeliveryUpdate &u) { return isFinal(u.status); }))
            reload();
    });
}

void DeliveryChart::setWebhook(const QString &webhookId)
{
    m_webhookId = webhookId;
    reload();
}

void DeliveryChart::reload()
{
    if (m_loading) {
        m_reloadAgain = true;
        return;
    }
    m_loading = true;
    const int bucket = m_range->currentData().toInt();
    const auto since = QDateTime::currentDateTimeUtc().addSecs(bucket == 3600 ? -23 * 3600 : -29 * 86400);
    const auto id = m_all->isChecked() ? QString() : m_webhookId;
    m_context.db().run<QList<DeliveryBucket>>(
        [id, since, bucket](QSqlDatabase db) {
            auto buckets = DeliveryService(db).histogram(id, since, bucket);
            return buckets ? *buckets : QList<DeliveryBucket>{};
        },
        this,
        [this, bucket](QList<DeliveryBucket> buckets) {
            m_loading = false;
            // Asked again meanwhile: show this answer, then read the newer one.
            if (std::exchange(m_reloadAgain, false))
                reload();
            auto *succeeded = new QBarSet(tr("Succeeded"));
            auto *failed = new QBarSet(tr("Failed"));

            QStringList categories;
            int peak = 0;
            for (const auto &b : buckets) {
                *succeeded << b.succeeded;
                *failed << b.failed;
                peak = std::max(peak, b.succeeded + b.failed);
                // Short labels fit under every bar; the axis title says what they count.
                categories << QLocale().toString(b.start.toLocalTime(), bucket == 3600 ? QStringLiteral("HH") : QStringLiteral("dd"));
            }
            auto *series = new QStackedBarSeries;
            series->append(succeeded);
            series->append(failed);
            auto *chart = new QChart;
            chart->setTheme(Theme::isDark(palette()) ? QChart::ChartThemeDark : QChart::ChartThemeLight);
            chart->addSeries(series);
            // After the theme, which sets colours of its own.
            succeeded->setColor(Theme::color(Theme::Tone::Success, palette()));
            failed->setColor(Theme::color(Theme::Tone::Error, palette()));
            chart->setTitle(m_all->isChecked() || m_webhookId.isEmpty() ? tr("All webhooks") : tr("This webhook"));
            auto *x = new QBarCategoryAxis;
            x->append(categories);
            x->setTitleText(bucket == 3600 ? tr("Hour of day") : tr("Day of month"));
            // 24 or 30 labels side by side: upright they would be cut to "…" in a narrow pane.
            x->setLabelsAngle(-90);
            auto *y = new QValueAxis;
            y->setRange(0, std::max(1, peak));
            y->setLabelFormat(QStringLiteral("%d"));
            y->applyNiceNumbers(); // 0, 10, 20 … rather than 0, 10.75, 21.5
            y->setTitleText(tr("Deliveries"));
            chart->addAxis(x, Qt::AlignBottom);
            chart->addAxis(y, Qt::AlignLeft);
            series->attachAxis(x);
            series->attachAxis(y);
            chart->legend()->setAlignment(Qt::AlignBottom);
            // What the bars show, in words: a screen reader cannot read a picture.
            int ok = 0;
            int bad = 0;
            for (const auto &b : std::as_const(buckets)) {
                ok += b.succeeded;
                bad += b.failed;
            }
            m_view->setAccessibleDescription(bucket == 3600
                                                 ? tr("Last 24 hours: %1 succeeded, %2 failed; the busiest hour had %3.").arg(ok).arg(bad).arg(peak)
                                                 : tr("Last 30 days: %1 succeeded, %2 failed; the busiest day had %3.").arg(ok).arg(bad).arg(peak));
            auto *old = m_view->chart();
            m_view->setChart(chart);
            delete old;
        });
}

} // namespace hookline
