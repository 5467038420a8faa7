#include "TrayIcon.h"

#include "AppIcon.h"

#include <QAction>
#include <QMenu>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QWidget>

namespace hookline {

TrayIcon::TrayIcon(QWidget *window, QAction *pause, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_tray(new QSystemTrayIcon(AppIcon::icon(), this))
    , m_menu(new QMenu)
{
    m_status = m_menu->addAction(QString());
    m_status->setEnabled(false);
    m_menu->addSeparator();
    m_menu->addAction(tr("&Open Hookline"), this, &TrayIcon::showWindow);
    m_menu->addAction(pause); // the window's: checked while paused, in both places
    m_menu->addSeparator();
    m_menu->addAction(tr("&Quit"), this, &TrayIcon::quitRequested);
    m_tray->setContextMenu(m_menu);
    m_tray->setToolTip(tr("Hookline"));
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            showWindow();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        showWindow();
        Q_EMIT notificationClicked();
    });
    if (QSystemTrayIcon::isSystemTrayAvailable())
        m_tray->show();
}

TrayIcon::~TrayIcon()
{
    delete m_menu; // a context menu has no parent: the tray icon does not own it
}

bool TrayIcon::isVisible() const
{
    return m_tray->isVisible();
}

bool TrayIcon::keepsRunningOnClose() const
{
    return isVisible() && QSettings().value(QString::fromLatin1(kCloseToTrayKey), false).toBool();
}

void TrayIcon::setStatus(const QString &text)
{
    m_status->setText(text);
    m_tray->setToolTip(tr("Hookline: %1").arg(text));
}

void TrayIcon::noteHidden()
{
    if (std::exchange(m_toldHidden, true))
        return;
    m_tray->showMessage(tr("Hookline keeps delivering"), tr("The window is closed; deliveries go on. Open it again or quit from this icon."),
                        AppIcon::icon());
}

bool TrayIcon::notify(const QString &title, const QString &message, bool warning)
{
    Q_EMIT notified(title, message);
    if (!isVisible())
        return false;
    m_tray->showMessage(title, message, warning ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, 15000);
    return true;
}

void TrayIcon::showWindow()
{
    if (!m_window)
        return;
    m_window->show();
    m_window->setWindowState((m_window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    m_window->raise();
    m_window->activateWindow();
}

} // namespace hookline
