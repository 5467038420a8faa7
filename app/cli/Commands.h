#pragma once

#include <QStringList>

namespace hookline::cli {

class CliContext;

// Each takes the arguments after the command words (args[0] names the command).
int webhookCommand(CliContext &ctx, const QStringList &args);
int eventTypesCommand(CliContext &ctx, const QStringList &args);
int emitCommand(CliContext &ctx, const QStringList &args);
int deliveriesCommand(CliContext &ctx, const QStringList &args);
int settingsCommand(CliContext &ctx, const QStringList &args);
int tenantCommand(CliContext &ctx, const QStringList &args);
int planCommand(CliContext &ctx, const QStringList &args);
int secretsCommand(CliContext &ctx, const QStringList &args);
int auditCommand(CliContext &ctx, const QStringList &args);
int alertsCommand(CliContext &ctx, const QStringList &args);
int apiKeyCommand(CliContext &ctx, const QStringList &args);
int signCommand(CliContext &ctx, const QStringList &args);
int verifyCommand(CliContext &ctx, const QStringList &args);
int snippetCommand(CliContext &ctx, const QStringList &args);
int inspectCommand(CliContext &ctx, const QStringList &args);
int deliverCommand(CliContext &ctx, const QStringList &args);
int serveCommand(CliContext &ctx, const QStringList &args);
int webhookTestCommand(CliContext &ctx, const QStringList &args);
int replayCommand(CliContext &ctx, const QStringList &args);
int pruneCommand(CliContext &ctx, const QStringList &args);
int backupCommand(CliContext &ctx, const QStringList &args);
int restoreCommand(CliContext &ctx, const QStringList &args);
int dbCommand(CliContext &ctx, const QStringList &args);

} // namespace hookline::cli
