#pragma once

#include <QWidget>

class QLabel;

namespace hookline {

class AppContext;

// Sends a webhook.test ping through the engine (off the GUI thread) and shows
// the outcome in place: status, duration, the start of the response, and a
// link to the attempt.
class TestResultBar final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestResultBar)

public:
    explicit TestResultBar(AppContext &context, QWidget *parent = nullptr);

    void test(const QString &webhookId);
    QLabel *label() const { return m_label; }

Q_SIGNALS:
    void detailsRequested(const QString &deliveryId);
    void finished(const QString &deliveryId, bool success);

private:
    void showResult(const QString &deliveryId);

    AppContext &m_context;
    QLabel *m_label;
    QString m_pending;
};

} // namespace hookline
