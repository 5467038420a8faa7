#pragma once

#include <QObject>
#include <QPointer>

class QAction;
class QMenu;
class QSystemTrayIcon;
class QWidget;

namespace hookline {

// The notification-area icon while the window runs the engine: its state
// and queue depth, pause and resume (the window's own checkable action),
// open the window, quit. With "close to the tray" set, closing the window
// only hides it and deliveries go on.
class TrayIcon final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    // QSettings key of the "close to the tray" choice (off by default).
    static constexpr const char *kCloseToTrayKey = "window/closeToTray";

    TrayIcon(QWidget *window, QAction *pause, QObject *parent = nullptr);
    ~TrayIcon() override;

    // Whether a tray exists on this desktop and the icon is shown in it.
    bool isVisible() const;
    // Whether closing the window should hide it here (the setting, and a tray to come back from).
    bool keepsRunningOnClose() const;
    // The engine's state and queue depth, as the window's status bar says it.
    void setStatus(const QString &text);
    // The window was hidden into the tray: say so, the first time only.
    void noteHidden();
    // A desktop notification (alerts); false when there is no tray to show it.
    bool notify(const QString &title, const QString &message, bool warning);

Q_SIGNALS:
    void quitRequested();
    // Every notification asked for, shown or not (tests count them).
    void notified(const QString &title, const QString &message);
    // The last notification was clicked: the window is shown.
    void notificationClicked();

private:
    void showWindow();

    QPointer<QWidget> m_window;
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    QAction *m_status = nullptr;
    bool m_toldHidden = false;
};

} // namespace hookline
