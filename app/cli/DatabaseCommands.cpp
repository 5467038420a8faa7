// backup, restore and db copy: whole-database moves (Installation, DatabaseTransfer).
#include "CliContext.h"
#include "Commands.h"

#include "service/Installation.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace hookline::cli {

namespace {
void printReport(CliContext &ctx, const QString &what, const TransferReport &report)
{
    if (ctx.jsonOutput()) {
        QJsonArray tables;
        for (const auto &t : report.tables) {
            tables.append(QJsonObject{
                {QStringLiteral("table"), t.table}, {QStringLiteral("rows"), t.rows}, {QStringLiteral("checksum"), QString::fromLatin1(t.checksum)}});
        }
        ctx.printJson(QJsonObject{{QStringLiteral("location"), report.location},
                                  {QStringLiteral("schemaVersion"), report.schemaVersion},
                                  {QStringLiteral("masterKeyFingerprint"), report.keyFingerprint},
                                  {QStringLiteral("tables"), tables}});
        return;
    }
    qint64 rows = 0;
    QList<QStringList> lines{{QStringLiteral("TABLE"), QStringLiteral("ROWS"), QStringLiteral("CHECKSUM")}};
    for (const auto &t : report.tables) {
        rows += t.rows;
        lines << QStringList{t.table, QString::number(t.rows), QString::fromLatin1(t.checksum.left(16))};
    }
    ctx.print(formatTable(lines));
    ctx.print(QStringLiteral("%1 %2: schema version %3, %4 tables, %5 rows, secrets sealed with the master key %6")
                  .arg(what, report.location)
                  .arg(report.schemaVersion)
                  .arg(report.tables.size())
                  .arg(rows)
                  .arg(report.keyFingerprint));
}

std::optional<QString> oneFile(CliContext &ctx, QCommandLineParser &p, const QStringList &args, const QString &synopsis, const QString &notes)
{
    if (!ctx.parse(p, args, synopsis, notes))
        return std::nullopt;
    if (p.positionalArguments().size() != 1) {
        ctx.usage(QStringLiteral("give one FILE"));
        return std::nullopt;
    }
    return p.positionalArguments().constFirst();
}
} // namespace

int backupCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    const auto file = oneFile(ctx, p, args, QStringLiteral("backup FILE"),
                              QStringLiteral("A consistent copy of the SQLite database, taken while engines and windows go on working,\n"
                                             "into a new file (mode 0600), then checked. The master key is not in it: keep the key\n"
                                             "(hookline-cli secrets status) with the backup. PostgreSQL: pg_dump (README.md)."));
    if (!file)
        return Usage;
    auto installation = ctx.installation();
    if (!installation)
        return Failure;
    auto report = installation->backup(*file);
    if (!report)
        return ctx.fail(report.error());
    printReport(ctx, QStringLiteral("backed up to"), *report);
    return Success;
}

int restoreCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    const auto file = oneFile(ctx, p, args, QStringLiteral("restore FILE"),
                              QStringLiteral("Puts a backup's data in place of the database's, in one transaction, after checking the\n"
                                             "file: intact, not from a newer Hookline (an older one is upgraded), sealed with this\n"
                                             "installation's master key, and no engine delivering. The file itself is not changed."));
    if (!file)
        return Usage;
    const QString location = ctx.location();
    if (!Installation::isPostgresUrl(location) && !QFileInfo::exists(location))
        return ctx.fail(QStringLiteral("%1 does not exist: restore puts a backup back into an installation; to start one from a "
                                       "backup, copy the file there and open it with its master key in HOOKLINE_MASTER_KEY")
                            .arg(location));
    auto installation = ctx.installation();
    if (!installation)
        return Failure;
    auto report = installation->restore(*file);
    if (!report)
        return ctx.fail(report.error());
    printReport(ctx, QStringLiteral("restored"), *report);
    return Success;
}

int dbCommand(CliContext &ctx, const QStringList &args)
{
    const QString sub = args.value(0);
    QCommandLineParser p;
    p.addOption({QStringLiteral("to"), QStringLiteral("The empty PostgreSQL schema to copy into."), QStringLiteral("URL")});
    if (!ctx.parse(p, args.mid(1), QStringLiteral("db copy --to postgresql://USER:PASSWORD@HOST/DB[?schema=S]"),
                   QStringLiteral("Copies everything (tenants, catalog, webhooks and their sealed secrets, events, deliveries,\n"
                                  "attempts, settings, audit) from this SQLite installation into an empty PostgreSQL schema in\n"
                                  "one transaction, checks every table's row count and checksum, and keeps the master key for\n"
                                  "it. Stop the engines first; pending deliveries go on from the copy.")))
        return Usage;
    if (sub != u"copy" || !p.positionalArguments().isEmpty())
        return ctx.usage(QStringLiteral("db needs a sub-command: copy --to URL"));
    if (!p.isSet(QStringLiteral("to")))
        return ctx.usage(QStringLiteral("db copy needs --to URL"));
    auto installation = ctx.installation();
    if (!installation)
        return Failure;
    auto report = installation->copyTo(p.value(QStringLiteral("to")));
    if (!report)
        return ctx.fail(report.error());
    printReport(ctx, QStringLiteral("copied to"), *report);
    return Success;
}

} // namespace hookline::cli
