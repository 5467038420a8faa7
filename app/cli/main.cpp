// hookline-cli: the command-line face of the Hookline engine.
#include "CliContext.h"
#include "Commands.h"

#include <QCoreApplication>

#include <cstdio>

using namespace hookline::cli;

namespace {
const char kHelp[] =
    "Usage: hookline-cli [--db PATH] [--json] COMMAND ...\n"
    "\n"
    "Webhooks\n"
    "  webhook add --url URL --events a,b [options]   create a webhook (prints it, with its secret)\n"
    "  webhook list | show ID | update ID ... | delete ID\n"
    "  webhook rotate-secret ID [--grace SECONDS]     new secret; the old one signs beside it meanwhile\n"
    "Events\n"
    "  event-types list | import FILE | export [-o FILE]\n"
    "  emit TYPE --data JSON|@FILE [--tenant T]       record an event and its deliveries\n"
    "  emit --batch FILE                              JSON Lines, one event a line\n"
    "  deliveries [--webhook ID] [--status S] [--limit N] [--attempts]\n"
    "Delivery\n"
    "  deliver [--until-idle] [--workers N]           run the delivery engine (Ctrl-C stops cleanly)\n"
    "  webhook test ID                                send a webhook.test ping now, print the attempt\n"
    "  replay DELIVERY_ID | --webhook ID [--status failed] [--since ISO_TIME]\n"
    "Signatures\n"
    "  sign --scheme S --secret SECRET (--body TEXT | --body-file F) [--id ID] [--timestamp UNIX]\n"
    "  verify --secret SECRET --header 'Name: value'... (--body TEXT | --body-file F) [--scheme S]\n"
    "Installation\n"
    "  settings list | get KEY | set KEY VALUE | reset KEY\n"
    "  tenant list | add ID --plan PLAN | set-plan ID --plan PLAN\n"
    "\n"
    "Global options: --db PATH (default $HOOKLINE_DB, else the user's data folder), --json,\n"
    "--catalogs LIST (catalogs of a new database: all, none, or names). COMMAND --help for details.\n";
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("hookline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HOOKLINE_VERSION));

    const QStringList all = QCoreApplication::arguments().mid(1);
    // Global options before the command word; everything from the command on is its own.
    QStringList global;
    qsizetype i = 0;
    for (; i < all.size(); ++i) {
        const auto &a = all.at(i);
        if (!a.startsWith(u'-'))
            break;
        global << a;
        if ((a == u"--db" || a == u"--catalogs") && i + 1 < all.size())
            global << all.at(++i);
    }
    CliContext ctx(QStringLiteral("hookline-cli"), global);
    if (global.contains(QStringLiteral("--version"))) {
        ctx.print(QStringLiteral("hookline-cli %1").arg(QCoreApplication::applicationVersion()));
        return Success;
    }
    const QString command = all.value(i);
    QStringList rest = all.mid(i + 1);
    rest = global + rest; // sub-command parsers accept the global options too
    const bool askedForHelp = command == u"help" || global.contains(QStringLiteral("--help")) || global.contains(QStringLiteral("-h"));
    if (command.isEmpty() || askedForHelp) {
        // Help that was asked for goes to stdout; help shown because a command is missing is an error.
        std::fputs(kHelp, askedForHelp ? stdout : stderr);
        return askedForHelp ? Success : Usage;
    }
    // Sub-commands with a second word keep it first.
    const auto withSub = [&](auto handler) {
        QStringList args = all.mid(i + 1);
        const QString sub = args.value(0);
        if (sub == u"--help" || sub == u"-h") {
            // The command's own lines of the overall help.
            QStringList lines;
            for (const auto &line : QString::fromLatin1(kHelp).split(u'\n')) {
                if (line.trimmed().startsWith(command + u' '))
                    lines << line;
            }
            ctx.print(QStringLiteral("Usage: hookline-cli %1 SUB-COMMAND ...\n").arg(command) + lines.join(u'\n')
                      + QStringLiteral("\n\nhookline-cli %1 SUB-COMMAND --help for the options of each.").arg(command));
            return int(Success);
        }
        return handler(ctx, QStringList{sub} + global + args.mid(1));
    };
    if (command == u"webhook")
        return withSub(webhookCommand);
    if (command == u"event-types")
        return withSub(eventTypesCommand);
    if (command == u"settings")
        return withSub(settingsCommand);
    if (command == u"tenant")
        return withSub(tenantCommand);
    if (command == u"emit")
        return emitCommand(ctx, rest);
    if (command == u"deliveries")
        return deliveriesCommand(ctx, rest);
    if (command == u"sign")
        return signCommand(ctx, rest);
    if (command == u"verify")
        return verifyCommand(ctx, rest);
    if (command == u"deliver")
        return deliverCommand(ctx, rest);
    if (command == u"replay")
        return replayCommand(ctx, rest);
    return ctx.fail(QStringLiteral("unknown command \"%1\"; run hookline-cli --help").arg(command), Usage);
}
