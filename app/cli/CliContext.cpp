#include "CliContext.h"

#include "SystemKeychain.h"

#include "service/CatalogService.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "util/Clock.h"
#include "util/Log.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTextStream>

#include <cstdio>

namespace hookline::cli {

namespace {
const QCommandLineOption kDbOption(
    QStringLiteral("db"),
    QStringLiteral(
        "Database: a SQLite file or a postgresql://user:password@host:port/dbname URL (default: $HOOKLINE_DB, else hookline.db in the user's data folder)."),
    QStringLiteral("PATH|URL"));
const QCommandLineOption kJsonOption(QStringLiteral("json"), QStringLiteral("Print JSON."));
const QCommandLineOption kVerboseOption({QStringLiteral("v"), QStringLiteral("verbose")},
                                        QStringLiteral("Log what the engine decides (hookline.* at debug level) to stderr."));
const QCommandLineOption kCatalogsOption(QStringLiteral("catalogs"),
                                         QStringLiteral("Catalogs a new database starts with: comma-separated names, \"all\" (default) or \"none\"."),
                                         QStringLiteral("LIST"));
const QCommandLineOption kHelpOption({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));

void writeOut(FILE *stream, const QByteArray &text)
{
    std::fwrite(text.constData(), 1, size_t(text.size()), stream);
    std::fflush(stream);
}
} // namespace

CliContext::CliContext(QString program, QStringList globalArgs)
    : m_program(std::move(program))
{
    // Global options may come before the command; sub-command parsers accept them too.
    for (qsizetype i = 0; i < globalArgs.size(); ++i) {
        const auto &a = globalArgs.at(i);
        if (a == u"--json")
            m_json = true;
        else if (a == u"-v" || a == u"--verbose")
            Log::enableDebug();
        else if (a.startsWith(QLatin1StringView("--db=")))
            m_dbLocation = a.mid(5);
        else if (a == u"--db" && i + 1 < globalArgs.size())
            m_dbLocation = globalArgs.at(++i);
        else if (a.startsWith(QLatin1StringView("--catalogs=")))
            m_catalogs = a.mid(11).split(u',', Qt::SkipEmptyParts);
        else if (a == u"--catalogs" && i + 1 < globalArgs.size())
            m_catalogs = globalArgs.at(++i).split(u',', Qt::SkipEmptyParts);
    }
}

bool CliContext::parse(QCommandLineParser &parser, const QStringList &args, const QString &synopsis, const QString &notes)
{
    parser.addOption(kDbOption);
    parser.addOption(kJsonOption);
    parser.addOption(kVerboseOption);
    parser.addOption(kCatalogsOption);
    parser.addOption(kHelpOption);
    QStringList full = args;
    full.prepend(m_program);
    if (!parser.parse(full)) {
        usage(parser.errorText());
        return false;
    }
    if (parser.isSet(kHelpOption)) {
        print(QStringLiteral("Usage: %1 %2\n\n%3").arg(m_program, synopsis, parser.helpText().section(u'\n', 2))
              + (notes.isEmpty() ? QString() : u'\n' + notes));
        std::exit(Success);
    }
    if (parser.isSet(kJsonOption))
        m_json = true;
    if (parser.isSet(kVerboseOption))
        Log::enableDebug();
    if (parser.isSet(kDbOption))
        m_dbLocation = parser.value(kDbOption);
    if (parser.isSet(kCatalogsOption))
        m_catalogs = parser.value(kCatalogsOption).split(u',', Qt::SkipEmptyParts);
    m_usageText = synopsis;
    return true;
}

std::optional<QString> CliContext::parseWebhookId(QCommandLineParser &parser, const QStringList &args, const QString &synopsis)
{
    parser.addPositionalArgument(QStringLiteral("id"), QStringLiteral("Webhook id."));
    if (!parse(parser, args, synopsis))
        return std::nullopt;
    if (parser.positionalArguments().size() != 1) {
        usage(QStringLiteral("give exactly one webhook id"));
        return std::nullopt;
    }
    return parser.positionalArguments().first();
}

QSqlDatabase CliContext::database()
{
    if (m_installation)
        return m_installation->connection();
    QStringList names = m_catalogs;
    if (names.isEmpty() || names == QStringList{QStringLiteral("all")})
        names = CatalogService::builtinCatalogs();
    if (names == QStringList{QStringLiteral("none")})
        names.clear();
    // The keychain the window keeps the master key in, when this session has
    // one (a server has none: HOOKLINE_MASTER_KEY or the key file).
    if (auto keychain = SystemKeychain::probe())
        Installation::setKeychain(std::move(keychain));
    auto opened = Installation::open(m_dbLocation, names);
    if (!opened) {
        // The service names the field "catalogs"; here it is the option, which also takes all and none.
        if (opened.error().field == u"catalogs")
            fail(QStringLiteral("--%1; or all, none").arg(opened.error().message));
        else
            fail(opened.error());
        return {};
    }
    m_installation = *opened;
    return m_installation->connection();
}

std::optional<WebhookSigning> webhookSigning(CliContext &ctx, const QString &webhookId)
{
    auto db = ctx.database();
    if (!db.isValid())
        return std::nullopt;
    auto webhook = WebhookService(db).get(webhookId);
    if (!webhook) {
        ctx.fail(webhook.error());
        return std::nullopt;
    }
    auto values = Settings(db).values();
    if (!values) {
        ctx.fail(values.error());
        return std::nullopt;
    }
    WebhookSigning signing{{}, webhook->scheme, values->value(QString::fromLatin1(Settings::kHeaderPrefix)).toUtf8()};
    for (const auto &s : webhook->secrets)
        signing.secrets << s.secret;
    return signing;
}

Result<std::pair<QHostAddress, quint16>> listenAddress(const QString &text, const QString &from, const QHostAddress &emptyHost)
{
    const auto bad
        = [&text, &from] { return Error::validation(from, QStringLiteral("\"%1\" is not HOST:PORT (e.g. 127.0.0.1:8787 or [::1]:8787)").arg(text)); };
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon < 0)
        return bad();
    QString host = text.first(colon);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return bad();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address = host.isEmpty() ? emptyHost : QHostAddress(host);
    if (address.isNull())
        return bad();
    return std::pair{address, quint16(port)};
}

QString CliContext::location() const
{
    return m_dbLocation.isEmpty() ? Installation::defaultLocation() : m_dbLocation;
}

std::shared_ptr<Installation> CliContext::installation()
{
    return database().isValid() ? m_installation : nullptr;
}

int CliContext::fail(const Error &error) const
{
    return fail(error.message);
}

int CliContext::fail(const QString &message, int code) const
{
    // One line, always: scripts read the first line of stderr.
    QString line = message;
    line.replace(u'\n', u' ');
    writeOut(stderr, (m_program + QStringLiteral(": ") + line + u'\n').toUtf8());
    return code;
}

int CliContext::usage(const QString &message) const
{
    return fail(message + (m_usageText.isEmpty() ? QString() : QStringLiteral(" (usage: %1 %2)").arg(m_program, m_usageText)), Usage);
}

void CliContext::printJson(const QJsonValue &value) const
{
    QByteArray text;
    if (value.isObject())
        text = QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented);
    else if (value.isArray())
        text = QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented);
    else
        text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1) + '\n';
    writeOut(stdout, text);
}

void CliContext::print(const QString &text) const
{
    writeOut(stdout, (text.endsWith(u'\n') ? text : text + u'\n').toUtf8());
}

void CliContext::note(const QString &text) const
{
    writeOut(stderr, (m_program + QStringLiteral(": note: ") + text + u'\n').toUtf8());
}

QString formatTable(const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const auto &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (widths.size() <= i)
                widths << 0;
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    QString out;
    for (const auto &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row[i].leftJustified(widths[i] + 2) : row[i];
        out += line + u'\n';
    }
    return out;
}

Result<int> intOption(const QCommandLineParser &parser, const QString &name, int min, int max)
{
    bool ok = false;
    const auto text = parser.value(name);
    const int v = text.toInt(&ok);
    if (!ok || v < min || v > max)
        return Error::validation(QStringLiteral("--") + name,
                                 QStringLiteral("expected a whole number from %1 to %2, got \"%3\"").arg(min).arg(max).arg(text));
    return v;
}

Result<double> doubleOption(const QCommandLineParser &parser, const QString &name, double min, double max)
{
    bool ok = false;
    const auto text = parser.value(name);
    const double v = text.toDouble(&ok);
    if (!ok || !(v >= min && v <= max))
        return Error::validation(QStringLiteral("--") + name,
                                 QStringLiteral("expected a number from %1 to %2, got \"%3\"").arg(min).arg(max).arg(text));
    return v;
}

Result<QByteArray> textOrFile(const QString &value)
{
    if (!value.startsWith(u'@'))
        return value.toUtf8();
    QFile file;
    const auto path = value.mid(1);
    const bool opened = path == u"-" ? file.open(stdin, QIODevice::ReadOnly) : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened)
        return Error{Error::Code::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()), {}};
    return file.readAll();
}

Result<QDateTime> sinceOption(const QCommandLineParser &parser, const QString &name)
{
    if (!parser.isSet(name))
        return QDateTime();
    const auto text = parser.value(name).trimmed();
    static const QRegularExpression age(QStringLiteral("^(\\d{1,9})\\s*(s|m|min|h|d)$"));
    if (const auto m = age.match(text); m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const auto unit = m.captured(2);
        const qint64 seconds = n * (unit == u"s" ? 1 : unit == u"h" ? 3600 : unit == u"d" ? 86400 : 60);
        return Clock::now().addSecs(-seconds);
    }
    const auto time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return Error::validation(
            QStringLiteral("--") + name,
            QStringLiteral("\"%1\" is neither an ISO 8601 time such as 2026-01-01T10:00:00Z nor an age such as 30m, 2h or 7d").arg(text));
    return time;
}

Result<QByteArray> readBody(const QCommandLineParser &parser, const QString &textOption, const QString &fileOption)
{
    const bool hasText = parser.isSet(textOption);
    const bool hasFile = parser.isSet(fileOption);
    if (hasText == hasFile)
        return Error::validation(QString(), QStringLiteral("give exactly one of --%1 and --%2").arg(textOption, fileOption));
    if (hasText)
        return parser.value(textOption).toUtf8();
    return textOrFile(u'@' + parser.value(fileOption));
}

void addEngineOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("workers"), QStringLiteral("Delivery worker threads (default: the number of cores)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("concurrency"), QStringLiteral("Requests in flight per worker (default 32)."), QStringLiteral("N")});
}

Result<EngineOptions> engineOptions(const QCommandLineParser &parser)
{
    EngineOptions options;
    if (parser.isSet(QStringLiteral("workers"))) {
        auto n = intOption(parser, QStringLiteral("workers"), 1, 64);
        if (!n)
            return n.error();
        options.workers = *n;
    }
    if (parser.isSet(QStringLiteral("concurrency"))) {
        auto n = intOption(parser, QStringLiteral("concurrency"), 1, 1024);
        if (!n)
            return n.error();
        options.concurrency = *n;
    }
    return options;
}

} // namespace hookline::cli
