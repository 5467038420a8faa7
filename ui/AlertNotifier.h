#pragma once

#include "model/Alert.h"

#include <QObject>
#include <QPointer>

#include <optional>

class QWidget;

namespace hookline {

class AppContext;
class TrayIcon;

// Turns the alerts the window hears of into desktop notifications: one for
// each batch, naming the webhook (or how many), never one per delivery —
// an incident raises a single alert. Recoveries are told too; a webhook the
// administrator turned back on is not news to them.
class AlertNotifier final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertNotifier)

public:
    struct Note {
        QString title;
        QString message;
        bool warning = false;
        QString webhookId; // the one to show when it is clicked (the first)
    };
    // What to say about these alerts, if anything.
    static std::optional<Note> noteFor(const Alerts &alerts);

    AlertNotifier(AppContext &context, TrayIcon &tray, QWidget *window, QObject *parent = nullptr);

Q_SIGNALS:
    // Every note, shown in the tray or not (the status bar says it too).
    void told(const QString &text);
    // The notification was clicked: show this webhook.
    void webhookRequested(const QString &webhookId);

private:
    void tell(const Alerts &alerts);

    TrayIcon &m_tray;
    QPointer<QWidget> m_window;
    QString m_lastWebhookId;
};

} // namespace hookline
