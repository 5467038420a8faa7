// hookline-cli: the command-line face of the Hookline engine.
#include "CliContext.h"
#include "CommandTable.h"
#include "Commands.h"

#include "service/AuditLog.h"
#include "util/Allocator.h"

#include <QCoreApplication>

#include <cstdio>

using namespace hookline::cli;

int main(int argc, char *argv[])
{
    hookline::keepFreedMemoryForReuse(); // before any thread starts
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("hookline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HOOKLINE_VERSION));
    hookline::AuditLog::setChannel(QStringLiteral("cli"));

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
    if (command == u"help" && rest.contains(QStringLiteral("--man"))) {
        std::fputs(CommandTable::manPage().toUtf8().constData(), stdout); // packaging builds hookline-cli.1 from this
        return Success;
    }
    if (command.isEmpty() || askedForHelp) {
        // Help that was asked for goes to stdout; help shown because a command is missing is an error.
        std::fputs(CommandTable::help().toLocal8Bit().constData(), askedForHelp ? stdout : stderr);
        return askedForHelp ? Success : Usage;
    }
    const auto *found = CommandTable::find(command);
    if (found && !found->subCommands)
        return found->run(ctx, rest);
    if (found) {
        // Sub-commands with a second word keep it first.
        QStringList args = all.mid(i + 1);
        const QString sub = args.value(0);
        if (sub == u"--help" || sub == u"-h") {
            ctx.print(CommandTable::help(*found));
            return int(Success);
        }
        return found->run(ctx, QStringList{sub} + global + args.mid(1));
    }
    return ctx.fail(QStringLiteral("unknown command \"%1\"; run hookline-cli --help").arg(command), Usage);
}
