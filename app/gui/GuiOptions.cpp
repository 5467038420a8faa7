#include "GuiOptions.h"

#include "ManPage.h"

#include <QCommandLineParser>

namespace hookline {

const QList<GuiOption> &GuiOptions::all()
{
    static const QList<GuiOption> options{
        {"db", "PATH|URL",
         "Database: a SQLite file or a postgresql:// URL (default: $HOOKLINE_DB, the Settings dialog's choice, else the user's data folder)."},
        {"lang", "LANG", "Interface language, e.g. en or fr (default: the system's)."},
        {"screenshots", "DIR", "Write PNGs of every screen to DIR, then quit."},
        {"workers", "N", "Delivery worker threads (default 2)."},
        {"palette", "dark|light", "dark or light, whatever the desktop uses (default: the desktop's)."},
    };
    return options;
}

void GuiOptions::addTo(QCommandLineParser &parser)
{
    for (const auto &o : all()) {
        if (o.valueName)
            parser.addOption({QString::fromLatin1(o.name), QString::fromUtf8(o.what), QString::fromLatin1(o.valueName)});
        else
            parser.addOption({QString::fromLatin1(o.name), QString::fromUtf8(o.what)});
    }
}

QString GuiOptions::manPage()
{
    ManPage page(QStringLiteral("hookline"), 1, QStringLiteral("administer outgoing webhooks and their deliveries"));
    page.introduce(QStringLiteral("hookline [OPTIONS]"),
                   QStringLiteral("hookline is the desktop window of Hookline: it configures webhooks (URL, events, signing scheme, retries), "
                                  "shows each webhook's delivery history and charts, sends test pings, rotates secrets and copies them to the "
                                  "clipboard, and runs the delivery engine while it is open. Network and database work never block the window."));
    page.paragraph(QStringLiteral("The same database can be used by hookline-cli(1), for scripts and for the headless server."));
    page.section(QStringLiteral("Options"));
    for (const auto &o : all()) {
        const QString name = QStringLiteral("--") + QString::fromLatin1(o.name);
        page.item(o.valueName ? name + u' ' + QString::fromLatin1(o.valueName) : name, QString::fromUtf8(o.what));
    }
    page.item(QStringLiteral("-h, --help"), QStringLiteral("Show the options."));
    page.item(QStringLiteral("-v, --version"), QStringLiteral("Show the version."));
    page.environment();
    page.section(QStringLiteral("See also"));
    page.paragraph(QStringLiteral("hookline-cli(1)"));
    return page.toRoff();
}

} // namespace hookline
