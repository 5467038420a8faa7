#include "CommandTable.h"

#include "CliContext.h"
#include "Commands.h"

#include "ManPage.h"

#include "signing/Scheme.h"

namespace hookline::cli {

const QList<Command> &CommandTable::commands()
{
    // In the order of the help; a group's lines may come from several commands
    // ("webhook test" is listed with the delivery commands).
    // One row per line, as the table is read.
    // clang-format off
    static const QList<Command> table{
        {"webhook", true, webhookCommand,
         {{"Webhooks", "webhook add --url URL --events a,b [options]", "create a webhook (prints it, with its secret)"},
          {"Webhooks", "webhook list | show ID | update ID ... | delete ID", ""},
          {"Webhooks", "webhook rotate-secret ID [--grace SECONDS]", "new secret; the old one signs beside it meanwhile"},
          {"Delivery", "webhook test ID", "send a webhook.test ping now, print the attempt"}}},
        {"event-types", true, eventTypesCommand, {{"Events", "event-types list | import FILE | export [-o FILE]", ""}}},
        {"emit", false, emitCommand,
         {{"Events", "emit TYPE --data JSON|@FILE [--tenant T]", "record an event and its deliveries"},
          {"Events", "emit --batch FILE", "JSON Lines, one event a line"}}},
        {"deliveries", false, deliveriesCommand, {{"Events", "deliveries [--webhook ID] [--status S] [--limit N] [--after ID] [--attempts]", ""}}},
        {"deliver", false, deliverCommand, {{"Delivery", "deliver [--until-idle] [--workers N]", "run the delivery engine (Ctrl-C stops cleanly)"}}},
        {"serve", false, serveCommand,
         {{"Delivery", "serve [--listen HOST:PORT] [--no-engine] [--workers N] [--tls-cert F --tls-key F]", "the REST API (and the engine), headless"}}},
        {"inspect", false, inspectCommand,
         {{"Delivery", "inspect [--listen HOST:PORT] [--status CODE] [--delay MS] [--drop] [--webhook ID]", "a loopback receiver: watch deliveries arrive"}}},
        {"replay", false, replayCommand, {{"Delivery", "replay DELIVERY_ID | --webhook ID [--status failed] [--since WHEN]", ""}}},
        {"alerts", false, alertsCommand,
         {{"Delivery", "alerts [--since WHEN] [--webhook ID] [--open] [--limit N]", "webhooks that failed, were deactivated, recovered"}}},
        {"prune", false, pruneCommand, {{"Delivery", "prune [--webhook ID] [--vacuum]", "remove deliveries beyond retention now"}}},
        {"sign", false, signCommand,
         {{"Signatures", "sign --scheme S --secret SECRET (--body TEXT | --body-file F) [--id ID] [--timestamp UNIX]", ""}}},
        {"verify", false, verifyCommand,
         {{"Signatures", "verify (--secret S... | --webhook ID) --header 'Name: value'... (--body TEXT | --body-file F)", "verify, and name the usual mistakes"}}},
        {"snippet", false, snippetCommand,
         {{"Signatures", "snippet (--webhook ID | --scheme S) --language node|python|php|go|java", "a receiver that verifies, to copy"}}},
        {"settings", true, settingsCommand, {{"Installation", "settings list | get KEY | set KEY VALUE | reset KEY", ""}}},
        {"tenant", true, tenantCommand, {{"Installation", "tenant list | add ID [--plan PLAN] | set-plan ID --plan PLAN", ""}}},
        {"plan", true, planCommand,
         {{"Installation", "plan list | add NAME --webhooks N --requests-per-minute N | update NAME ...", "what a tenant may do (N or unlimited)"}}},
        {"apikey", true, apiKeyCommand,
         {{"Installation", "apikey create --tenant T [--name N] | create --admin | list | revoke ID", "keys of the REST API (shown once)"}}},
        {"backup", false, backupCommand,
         {{"Installation", "backup FILE", "a consistent copy of the SQLite database, while it runs"}}},
        {"restore", false, restoreCommand,
         {{"Installation", "restore FILE", "put a backup back (checked first; one transaction)"}}},
        {"db", true, dbCommand,
         {{"Installation", "db copy --to postgresql://...", "move this installation to an empty PostgreSQL schema"}}},
        {"audit", false, auditCommand,
         {{"Installation", "audit [--since WHEN] [--object ID] [--limit N]", "who changed what, when"}}},
        {"secrets", true, secretsCommand,
         {{"Installation", "secrets status | rekey [--print-new-key]", "the master key webhook secrets are encrypted with"}}},
    };
    // clang-format on
    return table;
}

const QList<GlobalOption> &CommandTable::globalOptions()
{
    static const QList<GlobalOption> options{
        {"--db PATH", "the database: a SQLite file or a postgresql:// URL (default $HOOKLINE_DB, else the user's data folder)"},
        {"--json", "print results as JSON"},
        {"-v, --verbose", "log the engine's decisions to stderr (or QT_LOGGING_RULES=\"hookline.*.debug=true\")"},
        {"--catalogs LIST", "the event catalogs a new database starts with: all (default), none, or names"},
        {"-h, --help", "this help (help --man writes it as a man page); COMMAND --help describes a command's options"},
        {"--version", "the version"},
    };
    return options;
}

const Command *CommandTable::find(const QString &word)
{
    for (const auto &c : commands()) {
        if (word == QLatin1StringView(c.word))
            return &c;
    }
    return nullptr;
}

namespace {
QString line(const CommandLine &l)
{
    const auto usage = QString::fromLatin1(l.usage);
    if (!*l.what)
        return QStringLiteral("  ") + usage;
    // A synopsis too long for its column puts the description on a line of its own.
    constexpr int kColumn = 47;
    if (usage.size() >= kColumn)
        return QStringLiteral("  %1\n  %2%3").arg(usage, QString(kColumn, u' '), QString::fromUtf8(l.what));
    return QStringLiteral("  %1%2").arg(usage.leftJustified(kColumn), QString::fromUtf8(l.what));
}

// The order a new user needs them in; a group not listed here comes last.
QStringList groupsInOrder()
{
    QStringList groups{QStringLiteral("Webhooks"), QStringLiteral("Events"), QStringLiteral("Delivery"), QStringLiteral("Signatures"),
                       QStringLiteral("Installation")};
    for (const auto &c : CommandTable::commands()) {
        for (const auto &l : c.lines) {
            if (!groups.contains(QLatin1StringView(l.group)))
                groups << QString::fromLatin1(l.group);
        }
    }
    return groups;
}
} // namespace

QString CommandTable::help()
{
    const QStringList groups = groupsInOrder();
    QStringList out{QStringLiteral("Usage: hookline-cli [--db PATH] [--json] COMMAND ..."), QString()};
    for (const auto &g : std::as_const(groups)) {
        out << g;
        for (const auto &c : commands()) {
            for (const auto &l : c.lines) {
                if (g == QLatin1StringView(l.group))
                    out << line(l);
            }
        }
    }
    out << QString() << QStringLiteral("Global options");
    for (const auto &o : globalOptions())
        out << line({"", o.name, o.what});
    out << QString() << QStringLiteral("Signing schemes: %1 (sign --help describes each).").arg(schemeNames().join(QStringLiteral(", ")));
    return out.join(u'\n') + u'\n';
}

QString CommandTable::help(const Command &command)
{
    QStringList out{QStringLiteral("Usage: hookline-cli %1 SUB-COMMAND ...").arg(QString::fromLatin1(command.word))};
    for (const auto &l : command.lines)
        out << line(l);
    out << QString() << QStringLiteral("hookline-cli %1 SUB-COMMAND --help for the options of each.").arg(QString::fromLatin1(command.word));
    return out.join(u'\n');
}

QString CommandTable::manPage()
{
    ManPage page(QStringLiteral("hookline-cli"), 1, QStringLiteral("manage and run Hookline's outgoing webhooks from the command line"));
    page.introduce(QStringLiteral("hookline-cli [--db PATH] [--json] [-v] COMMAND [ARGUMENTS...]"),
                   QStringLiteral("hookline-cli manages the webhooks of a Hookline installation, records events, runs the delivery engine and "
                                  "the REST API (serve), and signs or verifies webhook requests. It works on the same database as the "
                                  "hookline window: a SQLite file or a PostgreSQL server. Every COMMAND answers --help with its options."));
    for (const auto &g : groupsInOrder()) {
        page.section(g);
        for (const auto &c : commands()) {
            for (const auto &l : c.lines) {
                if (g == QLatin1StringView(l.group))
                    page.item(QString::fromLatin1(l.usage), QString::fromUtf8(l.what));
            }
        }
    }
    page.section(QStringLiteral("Global options"));
    for (const auto &o : globalOptions())
        page.item(QString::fromLatin1(o.name), QString::fromUtf8(o.what));
    page.section(QStringLiteral("Signing schemes"));
    page.paragraph(schemeNames().join(QStringLiteral(", ")) + QStringLiteral(". hookline-cli sign --help describes each."));
    page.environment();
    page.section(QStringLiteral("Exit status"));
    page.item(QString::number(Success), QStringLiteral("success"));
    page.item(QString::number(Failure), QStringLiteral("the command failed (the reason is on standard error)"));
    page.item(QString::number(Usage), QStringLiteral("the command line was wrong"));
    page.section(QStringLiteral("Example"));
    page.example({QStringLiteral("hookline-cli webhook add --name CRM --url https://crm.example.com/hooks --events 'lead.*'"),
                  QStringLiteral("hookline-cli emit lead.created --data '{\"id\": 42}'"), QStringLiteral("hookline-cli deliver --until-idle")});
    page.section(QStringLiteral("See also"));
    page.paragraph(QStringLiteral("hookline(1)"));
    return page.toRoff();
}

} // namespace hookline::cli
