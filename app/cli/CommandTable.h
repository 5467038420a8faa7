#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace hookline::cli {

class CliContext;

// The one list of hookline-cli's commands: what each word runs and how the
// help describes it. The dispatch in main() and every help text are read
// from here, so a command cannot exist without its help or the reverse.
struct CommandLine final {
    const char *group; // the heading it is listed under ("Webhooks")
    const char *usage; // "webhook add --url URL --events a,b [options]"
    const char *what;  // "create a webhook (prints it, with its secret)"
};

// An option every command accepts, before or after the command word.
struct GlobalOption final {
    const char *name; // "--db PATH"
    const char *what;
};

struct Command final {
    const char *word; // "webhook"
    bool subCommands; // the next word picks the action ("webhook add")
    int (*run)(CliContext &ctx, const QStringList &args);
    QList<CommandLine> lines;
};

class CommandTable final {
public:
    CommandTable() = delete;

    static const QList<Command> &commands();
    static const Command *find(const QString &word);
    static const QList<GlobalOption> &globalOptions();
    // The whole help: the usage line, each group's lines, the global options.
    static QString help();
    // The lines of the help that describe one command word, under its own usage line.
    static QString help(const Command &command);
    // hookline-cli(1), in roff: the same commands, groups and options as help().
    static QString manPage();
};

} // namespace hookline::cli
