#include "CliContext.h"
#include "Commands.h"
#include "model/ModelJson.h"

#include "service/CatalogService.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSaveFile>

#include <cstdio>

namespace hookline::cli {

namespace {

int list(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("group"), QStringLiteral("Only this group."), QStringLiteral("GROUP")});
    if (!ctx.parse(p, args, QStringLiteral("event-types list [--group G] [--json]")))
        return Usage;
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    auto types = CatalogService(db).list();
    if (!types)
        return ctx.fail(types.error());
    const auto group = p.value(QStringLiteral("group"));
    QJsonArray json;
    QList<QStringList> rows{{QStringLiteral("NAME"), QStringLiteral("GROUP"), QStringLiteral("CATALOG"), QStringLiteral("DESCRIPTION")}};
    for (const auto &t : std::as_const(*types)) {
        if (!group.isEmpty() && t.group != group)
            continue;
        json.append(toJson(t));
        rows << QStringList{t.name, t.group, t.catalog, t.description};
    }
    if (ctx.jsonOutput())
        ctx.printJson(json);
    else
        ctx.print(formatTable(rows));
    return Success;
}

QString reportText(const CatalogService::ImportReport &r)
{
    QString out = QStringLiteral("%1 added, %2 updated, %3 unchanged").arg(r.added.size()).arg(r.updated.size()).arg(r.unchanged.size());
    for (const auto &n : r.added)
        out += QStringLiteral("\n  + %1").arg(n);
    for (const auto &n : r.updated)
        out += QStringLiteral("\n  ~ %1").arg(n);
    return out;
}

int import(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Catalog JSON file, or a built-in catalog name with --builtin."));
    p.addOption(
        {QStringLiteral("builtin"), QStringLiteral("Import built-in catalogs by name (finance-dashboard, crm, audit-trail, lead-crm, case-tool).")});
    if (!ctx.parse(p, args, QStringLiteral("event-types import FILE | --builtin NAME...")))
        return Usage;
    const auto positional = p.positionalArguments();
    if (positional.isEmpty() || (!p.isSet(QStringLiteral("builtin")) && positional.size() != 1))
        return ctx.usage(QStringLiteral("give one catalog file"));
    Result<CatalogService::ImportReport> report = CatalogService::ImportReport{};
    if (p.isSet(QStringLiteral("builtin"))) {
        auto db = ctx.database();
        if (!db.isValid())
            return Failure;
        report = CatalogService(db).importBuiltin(positional);
    } else {
        auto text = textOrFile(u'@' + positional.first());
        if (!text)
            return ctx.fail(text.error());
        // Parsed before the database is opened: a malformed file changes nothing.
        auto types = CatalogService::parse(*text);
        if (!types)
            return ctx.fail(types.error());
        auto db = ctx.database();
        if (!db.isValid())
            return Failure;
        report = CatalogService(db).import(*types);
    }
    if (!report)
        return ctx.fail(report.error());
    if (ctx.jsonOutput()) {
        ctx.printJson(QJsonObject{{QStringLiteral("added"), QJsonArray::fromStringList(report->added)},
                                  {QStringLiteral("updated"), QJsonArray::fromStringList(report->updated)},
                                  {QStringLiteral("unchanged"), QJsonArray::fromStringList(report->unchanged)}});
    } else {
        ctx.print(reportText(*report));
    }
    return Success;
}

int exportCatalog(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption(
        {{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Write to FILE instead of standard output."), QStringLiteral("FILE")});
    if (!ctx.parse(p, args, QStringLiteral("event-types export [-o FILE]")))
        return Usage;
    auto db = ctx.database();
    if (!db.isValid())
        return Failure;
    auto text = CatalogService(db).exportCatalog();
    if (!text)
        return ctx.fail(text.error());
    if (!p.isSet(QStringLiteral("output"))) {
        std::fwrite(text->constData(), 1, size_t(text->size()), stdout);
        return Success;
    }
    QSaveFile file(p.value(QStringLiteral("output")));
    if (!file.open(QIODevice::WriteOnly) || file.write(*text) != text->size() || !file.commit())
        return ctx.fail(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    return Success;
}

} // namespace

int eventTypesCommand(CliContext &ctx, const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub == u"list")
        return list(ctx, args.mid(1));
    if (sub == u"import")
        return import(ctx, args.mid(1));
    if (sub == u"export")
        return exportCatalog(ctx, args.mid(1));
    return ctx.usage(QStringLiteral("event-types needs a sub-command: list, import, export"));
}

} // namespace hookline::cli
