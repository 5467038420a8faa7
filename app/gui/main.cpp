// hookline: the desktop administration application.
#include "AppContext.h"
#include "MainWindow.h"
#include "ScreenshotTour.h"
#include "engine/DeliveryEngine.h"
#include "service/CatalogService.h"
#include "store/Database.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QTranslator>

using namespace hookline;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("hookline"));
    QApplication::setApplicationDisplayName(QStringLiteral("Hookline"));
    QApplication::setApplicationVersion(QStringLiteral(HOOKLINE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Hookline: outgoing webhooks, signed, delivered and kept."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("db"), QStringLiteral("Database: a SQLite file or a postgresql:// URL (default: $HOOKLINE_DB, the Settings dialog's choice, else the user's data folder)."), QStringLiteral("PATH|URL")});
    parser.addOption({QStringLiteral("lang"), QStringLiteral("Interface language, e.g. en or fr (default: the system's)."), QStringLiteral("LANG")});
    parser.addOption({QStringLiteral("screenshots"), QStringLiteral("Write PNGs of every screen to DIR, then quit."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("workers"), QStringLiteral("Delivery worker threads (default 2)."), QStringLiteral("N")});
    parser.process(app);

    // --lang, else the language chosen in the Settings dialog, else the system's.
    const auto chosen = QSettings().value(QStringLiteral("language")).toString();
    const QLocale locale = parser.isSet(QStringLiteral("lang")) ? QLocale(parser.value(QStringLiteral("lang")))
                           : !chosen.isEmpty()                  ? QLocale(chosen)
                                                                : QLocale::system();
    QLocale::setDefault(locale);
    QTranslator qtTranslator;
    if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(locale, QStringLiteral("hookline"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    QString location = parser.value(QStringLiteral("db"));
    if (location.isEmpty() && qEnvironmentVariableIsEmpty("HOOKLINE_DB"))
        location = QSettings().value(QStringLiteral("database")).toString();
    auto database = Database::open(location);
    if (!database) {
        QMessageBox::critical(nullptr, QObject::tr("Hookline"), database.error().message);
        return 1;
    }
    if ((*database)->isNew()) {
        if (auto s = CatalogService((*database)->connection()).initializeNewDatabase(CatalogService::builtinCatalogs()); !s) {
            QMessageBox::critical(nullptr, QObject::tr("Hookline"), s.error().message);
            return 1;
        }
    }
    // The GUI thread keeps no connection: everything goes through the executor.
    (*database)->releaseThreadConnection();

    const int workers = parser.isSet(QStringLiteral("workers")) ? std::max(1, parser.value(QStringLiteral("workers")).toInt()) : 2;
    AppContext context(*database, workers);
    context.engine().start();
    MainWindow window(context);
    window.resize(1400, 860);
    window.show();
    std::unique_ptr<ScreenshotTour> tour;
    if (parser.isSet(QStringLiteral("screenshots"))) {
        const QString suffix = locale.language() == QLocale::English ? QString() : u'-' + locale.name().section(u'_', 0, 0);
        tour = std::make_unique<ScreenshotTour>(window, context, parser.value(QStringLiteral("screenshots")), suffix);
        tour->start();
    }
    return QApplication::exec();
}
