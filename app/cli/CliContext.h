#pragma once

#include "engine/EngineOptions.h"
#include "service/Installation.h"
#include "signing/Scheme.h"
#include "util/Result.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QHostAddress>
#include <QJsonValue>
#include <QSqlDatabase>
#include <QStringList>

#include <memory>
#include <optional>

namespace hookline::cli {

// Exit codes of hookline-cli.
enum Exit : int { Success = 0, Failure = 1, Usage = 2 };

// What every sub-command shares: the global options, the database, and the
// two ways of printing (human text, or JSON with --json).
class CliContext final {
public:
    CliContext(QString program, QStringList globalArgs);
    Q_DISABLE_COPY_MOVE(CliContext)

    // Parses a sub-command's arguments (`args[0]` is the sub-command's name).
    // Adds the common options (--db, --json, --help). Prints usage errors.
    // `notes` follow the options in --help.
    bool parse(QCommandLineParser &parser, const QStringList &args, const QString &synopsis, const QString &notes = QString());
    // The same, for commands that take exactly one webhook id: the id, or
    // nullopt after the usage error was printed.
    std::optional<QString> parseWebhookId(QCommandLineParser &parser, const QStringList &args, const QString &synopsis);

    // Opens (and migrates) the database on first use; prints the error and returns null on failure.
    QSqlDatabase database();
    // The same installation, for components that open their own connections (the engine).
    std::shared_ptr<Installation> installation();
    bool jsonOutput() const { return m_json; }

    int fail(const Error &error) const;
    int fail(const QString &message, int code = Failure) const;
    int usage(const QString &message) const;
    void printJson(const QJsonValue &value) const;
    void print(const QString &text) const;
    // A line on stderr worth knowing that is not an error ("program: note: …").
    void note(const QString &text) const;

    QString program() const { return m_program; }
    // The database this command works on (--db, else HOOKLINE_DB, else the default), before it is opened.
    QString location() const;

private:
    QString m_program;
    QString m_dbLocation;
    QStringList m_catalogs;
    bool m_json = false;
    std::shared_ptr<Installation> m_installation;
    QString m_usageText;
};

// What a webhook's signatures are checked against (verify, inspect, snippet):
// its secrets, current first, its scheme, and the installation's header prefix.
struct WebhookSigning final {
    QStringList secrets;
    Scheme scheme = Scheme::Standard;
    QByteArray headerPrefix;
};
// The webhook's, or nullopt after the error was printed.
std::optional<WebhookSigning> webhookSigning(CliContext &ctx, const QString &webhookId);

// A listening address, "127.0.0.1:8787", "[::1]:8787" or ":8787" (no host:
// `emptyHost`); `from` names the option or variable in the error.
Result<std::pair<QHostAddress, quint16>> listenAddress(const QString &text, const QString &from,
                                                       const QHostAddress &emptyHost = QHostAddress(QHostAddress::Any));

// Rows as aligned columns; the first row is the heading.
QString formatTable(const QList<QStringList> &rows);

// Option values, with a clear message when they do not parse.
Result<int> intOption(const QCommandLineParser &parser, const QString &name, int min, int max);
Result<double> doubleOption(const QCommandLineParser &parser, const QString &name, double min, double max);
// --since: an ISO 8601 time (2026-01-01T10:00:00Z) or an age back from now
// (90s, 30m, 2h, 7d); an invalid QDateTime when the option is not set.
Result<QDateTime> sinceOption(const QCommandLineParser &parser, const QString &name = QStringLiteral("since"));
Result<QByteArray> readBody(const QCommandLineParser &parser, const QString &textOption, const QString &fileOption);
// --workers and --concurrency, for the commands that run the engine (deliver, serve).
void addEngineOptions(QCommandLineParser &parser);
Result<EngineOptions> engineOptions(const QCommandLineParser &parser);

// "@file" or "@-" reads a file or standard input; anything else is the text itself.
Result<QByteArray> textOrFile(const QString &value);

} // namespace hookline::cli
