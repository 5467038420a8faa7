// hookline: the desktop administration application.
#include "AppContext.h"
#include "AppIcon.h"
#include "GuiOptions.h"
#include "MainWindow.h"
#include "ScreenshotTour.h"
#include "SystemKeychain.h"
#include "Theme.h"
#include "Translations.h"
#include "engine/DeliveryEngine.h"
#include "service/AuditLog.h"
#include "service/Installation.h"
#include "util/Allocator.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>

#include <cstdio>
#include <cstring>

using namespace hookline;

int main(int argc, char *argv[])
{
    hookline::keepFreedMemoryForReuse(); // before any thread starts
    // Before QApplication: packaging writes hookline.1 where there is no display.
    if (argc == 2 && std::strcmp(argv[1], "--man") == 0) {
        std::fputs(GuiOptions::manPage().toUtf8().constData(), stdout);
        return 0;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("hookline"));
    QApplication::setApplicationDisplayName(QStringLiteral("Hookline"));
    QApplication::setApplicationVersion(QStringLiteral(HOOKLINE_VERSION));
    // The desktop matches the window to its .desktop file (menu entry, icon, taskbar grouping) by this id.
    QGuiApplication::setDesktopFileName(QStringLiteral(HOOKLINE_APP_ID));
    QApplication::setWindowIcon(AppIcon::icon());
    AuditLog::setChannel(QStringLiteral("window"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Hookline: outgoing webhooks, signed, delivered and kept."));
    parser.addHelpOption();
    parser.addVersionOption();
    GuiOptions::addTo(parser);
    parser.process(app);
    const auto palette = parser.value(QStringLiteral("palette"));
    if (!palette.isEmpty() && palette != u"dark" && palette != u"light") {
        QMessageBox::critical(nullptr, QStringLiteral("Hookline"), QStringLiteral("--palette takes dark or light, not \"%1\".").arg(palette));
        return 2;
    }
    if (!palette.isEmpty())
        Theme::applyPalette(palette == u"dark");

    // --lang, else the language chosen in the Settings dialog, else the system's.
    const auto chosen = QSettings().value(QStringLiteral("language")).toString();
    const QLocale locale = parser.isSet(QStringLiteral("lang")) ? QLocale(parser.value(QStringLiteral("lang")))
                           : !chosen.isEmpty()                  ? QLocale(chosen)
                                                                : QLocale::system();
    QLocale::setDefault(locale);
    Translations::install(locale);

    // The master key of the webhook secrets goes in the desktop's keychain
    // when one answers; otherwise in a key file beside the database. So does
    // the password of a PostgreSQL URL chosen in the Settings dialog.
    if (auto keychain = SystemKeychain::probe())
        Installation::setKeychain(std::move(keychain));
    QString location = parser.value(QStringLiteral("db"));
    if (location.isEmpty() && qEnvironmentVariableIsEmpty("HOOKLINE_DB")) {
        location = QSettings().value(QStringLiteral("database")).toString();
        // A password kept in the settings file by an older version moves to the keychain.
        if (auto kept = Installation::keepPassword(location); kept && *kept != location)
            QSettings().setValue(QStringLiteral("database"), *kept);
        location = Installation::withKeptPassword(location);
    }
    auto installation = Installation::open(location);
    if (!installation) {
        QMessageBox::critical(nullptr, QObject::tr("Hookline"), installation.error().message);
        return 1;
    }
    // The GUI thread keeps no connection: everything goes through the executor.
    (*installation)->releaseThreadConnection();

    const int workers = parser.isSet(QStringLiteral("workers")) ? std::max(1, parser.value(QStringLiteral("workers")).toInt()) : 2;
    AppContext context(*installation, workers);
    context.engine().start();
    MainWindow window(context);
    window.resize(1400, 860);
    window.show();
    std::unique_ptr<ScreenshotTour> tour;
    if (parser.isSet(QStringLiteral("screenshots"))) {
        QString suffix = locale.language() == QLocale::English ? QString() : u'-' + locale.name().section(u'_', 0, 0);
        if (palette == u"dark")
            suffix += QStringLiteral("-dark");
        tour = std::make_unique<ScreenshotTour>(window, context, parser.value(QStringLiteral("screenshots")), suffix);
        tour->start();
    }
    return QApplication::exec();
}
