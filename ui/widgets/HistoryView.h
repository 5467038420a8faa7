#pragma once

#include "model/DeliveryStatus.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPushButton;
class QTableView;

namespace hookline {

class AppContext;
class DeliveryHistoryModel;

// The delivery history of one webhook (or all): filters by status, event type
// and date range; retry now, copy as curl, copy payload, attempt details.
class HistoryView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryView)

public:
    explicit HistoryView(AppContext &context, QWidget *parent = nullptr);

    void setWebhook(const QString &webhookId); // empty: every webhook
    void setEventTypes(const QStringList &names);
    void showDetails(const QString &deliveryId);
    // Filters on this status (the other filters are cleared).
    void showStatus(DeliveryStatus status);

    DeliveryHistoryModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *curlButton() const { return m_curl; }
    QPushButton *payloadButton() const { return m_payload; }
    QPushButton *detailsButton() const { return m_details; }

private:
    void applyFilter();
    void updateButtons();
    QString currentDeliveryId() const;
    void retryNow();
    void copyCurl();
    void copyPayload();

    AppContext &m_context;
    DeliveryHistoryModel *m_model;
    QString m_webhookId;
    QTableView *m_view;
    QComboBox *m_status;
    QComboBox *m_event;
    QCheckBox *m_useSince;
    QDateTimeEdit *m_since;
    QCheckBox *m_useUntil;
    QDateTimeEdit *m_until;
    QLabel *m_count;
    QLabel *m_message;
    QPushButton *m_retry = nullptr;
    QPushButton *m_curl = nullptr;
    QPushButton *m_payload = nullptr;
    QPushButton *m_details = nullptr;
    QString m_retried; // the delivery "Retry now" queued, until its attempt is recorded
    bool m_showsLoadError = false;
};

} // namespace hookline
