#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace hookline {

class AppContext;
class MainWindow;

// Walks the main window through its screens and writes a PNG of each, for
// the README and for looking at the window on a machine without a desktop
// (packaging/screenshots.sh runs it under Xvfb). Quits when done.
class ScreenshotTour final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScreenshotTour)

public:
    ScreenshotTour(MainWindow &window, AppContext &context, QString directory, QString suffix, QObject *parent = nullptr);
    void start();

private:
    void next();
    void shoot(QWidget *widget, const QString &name);

    MainWindow &m_window;
    AppContext &m_context;
    QString m_directory;
    QString m_suffix;
    QList<std::function<void()>> m_steps;
};

} // namespace hookline
