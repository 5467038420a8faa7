#pragma once

#include <QDateTime>
#include <QHash>
#include <QWidget>

class QLabel;
class QPushButton;

namespace hookline {

class AppContext;

// Sends a webhook.test ping through the engine (off the GUI thread) and shows
// the outcome in place: which webhook, when, status, duration, the start of
// the response, and a button to the attempt. Each webhook keeps its own last
// result; the bar shows the one of the webhook on screen, and keeps its place
// when empty so that nothing below it jumps.
class TestResultBar final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestResultBar)

public:
    explicit TestResultBar(AppContext &context, QWidget *parent = nullptr);

    // The webhook on screen (empty id: a new form, nothing to ping yet).
    void setWebhook(const QString &webhookId, const QString &name);
    void test(const QString &webhookId, const QString &name);
    QLabel *label() const { return m_label; }
    QPushButton *detailsButton() const { return m_details; }

Q_SIGNALS:
    void detailsRequested(const QString &deliveryId);
    void finished(const QString &deliveryId, bool success);

private:
    struct Shown {
        QString text;
        QString deliveryId; // the attempt the Details button opens, when there is one
        bool success = false;
        bool failed = false;
    };

    void showResult(const QString &deliveryId);
    void record(const QString &webhookId, const Shown &shown);
    // The ping never went out (not written, or refused by the engine).
    void recordNotSent(const QString &webhookId, const QDateTime &asked, const QString &why);
    void display();

    AppContext &m_context;
    QLabel *m_label;
    QPushButton *m_details;
    QString m_webhookId;
    QHash<QString, QString> m_names; // webhook id -> name, for the texts
    QHash<QString, Shown> m_results; // webhook id -> its last ping
    struct Pending {
        QString webhookId;
        QDateTime askedAt;
    };
    QHash<QString, Pending> m_pending; // delivery id -> the ping on its way
};

} // namespace hookline
