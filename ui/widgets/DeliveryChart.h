#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QChartView;

namespace hookline {

class AppContext;

// Deliveries over time, succeeded and failed stacked: the last 24 hours by
// hour or the last 30 days by day, for one webhook or all.
class DeliveryChart final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryChart)

public:
    explicit DeliveryChart(AppContext &context, QWidget *parent = nullptr);

    void setWebhook(const QString &webhookId);
    void reload();
    QComboBox *rangeBox() const { return m_range; }

private:
    AppContext &m_context;
    QString m_webhookId;
    QComboBox *m_range;
    QCheckBox *m_all;
    QChartView *m_view;
    bool m_loading = false;
    bool m_reloadAgain = false;
};

} // namespace hookline
