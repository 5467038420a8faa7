#include "Database.h"

#include "store/Migrations.h"
#include "store/Sql.h"
#include "util/Log.h"
#include "util/PrivateFiles.h"
#include "util/UrlText.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QStandardPaths>
#include <QRegularExpression>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

namespace hookline {

namespace {
QAtomicInteger<quint32> g_instances;

// Per connection: WAL keeps readers (the window) and the writer (the engine)
// out of each other's way; NORMAL sync is durable against a process crash in
// WAL mode, which is what at-least-once needs; foreign keys are per connection
// in SQLite and off unless asked for.
const char *const kConnectionPragmas[] = {
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = NORMAL",
};
} // namespace

Database::Database(QString location)
    : m_location(std::move(location))
    , m_namePrefix(QStringLiteral("hookline-%1-").arg(g_instances.fetchAndAddRelaxed(1)))
{
}

Database::~Database()
{
    QMutexLocker lock(&m_mutex);
    for (const auto &name : std::as_const(m_connections)) {
        {
            auto db = QSqlDatabase::database(name, false);
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
}

QString Database::defaultLocation()
{
    const auto env = qEnvironmentVariable("HOOKLINE_DB");
    if (!env.isEmpty())
        return env;
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("hookline.db"));
}

Result<std::shared_ptr<Database>> Database::open(const QString &location)
{
    std::shared_ptr<Database> db(new Database(location.isEmpty() ? defaultLocation() : location));
    if (auto s = db->initialize(true); !s)
        return s.error();
    return db;
}

Result<std::shared_ptr<Database>> Database::openUnmigrated(const QString &location)
{
    std::shared_ptr<Database> db(new Database(location.isEmpty() ? defaultLocation() : location));
    if (auto s = db->initialize(false); !s)
        return s.error();
    return db;
}

bool Database::isPostgresUrl(const QString &location)
{
    return location.startsWith(QLatin1StringView("postgresql://"), Qt::CaseInsensitive)
        || location.startsWith(QLatin1StringView("postgres://"), Qt::CaseInsensitive);
}

QString Database::displayLocation() const
{
    if (!isPostgresUrl(m_location))
        return m_location;
    return QUrl(m_location).toString(QUrl::RemovePassword);
}

Result<Database::PostgresTarget> Database::parsePostgresUrl(const QString &location)
{
    const auto invalid = [](const QString &why) {
        return Error{Error::Code::Validation, tr("invalid PostgreSQL URL: %1 (expected postgresql://user:password@host:port/dbname)").arg(why),
                     QStringLiteral("db")};
    };
    if (const auto problem = UrlText::problem(location))
        return invalid(*problem); // in Hookline's words: Qt's own quote the URL, password and all
    const QUrl url(location, QUrl::StrictMode);
    PostgresTarget t;
    t.host = url.host();
    if (t.host.isEmpty())
        return invalid(tr("no host"));
    if (url.port() == 0)
        return invalid(tr("port 0"));
    t.port = url.port(5432);
    t.user = url.userName();
    t.password = url.password();
    t.database = url.path().mid(1);
    if (t.database.isEmpty() || t.database.contains(u'/'))
        return invalid(tr("no database name after the host"));
    static const QStringList passThrough{QStringLiteral("sslmode"), QStringLiteral("sslrootcert"), QStringLiteral("sslcert"),
                                         QStringLiteral("sslkey"), QStringLiteral("connect_timeout"), QStringLiteral("application_name")};
    QStringList options;
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == u"schema") {
            static const QRegularExpression identifier(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
            if (!identifier.match(value).hasMatch())
                return invalid(tr("schema must be a lower-case identifier: %1").arg(value));
            t.schema = value;
        } else if (passThrough.contains(key)) {
            if (value.contains(u';') || value.contains(u' '))
                return invalid(tr("%1 may not contain spaces or ';'").arg(key));
            options << key + u'=' + value;
        } else {
            return invalid(tr("unknown parameter %1 (known: schema, %2)").arg(key, passThrough.join(QStringLiteral(", "))));
        }
    }
    // libpq waits for an unreachable server forever unless told otherwise.
    if (!query.hasQueryItem(QStringLiteral("connect_timeout")))
        options << QStringLiteral("connect_timeout=10");
    t.options = options.join(u';');
    return t;
}

Status Database::initialize(bool migrate)
{
    if (isPostgresUrl(m_location)) {
        auto target = parsePostgresUrl(m_location);
        if (!target)
            return target.error();
        m_postgres = *target;
        return initializeSchema(migrate);
    }
    const QFileInfo info(m_location);
    if (info.exists() && info.isDir())
        return Error{Error::Code::Io, tr("%1 is a directory, not a database file").arg(m_location), {}};
    const bool existed = info.exists();
    if (existed) {
        // Said once, when the installation opens it; nothing is changed on
        // the owner's behalf (a shared group may be deliberate).
        if (auto exposed = PrivateFiles::exposure(m_location))
            qCWarning(lcStore).noquote() << *exposed;
    } else if (auto s = PrivateFiles::createFile(m_location); !s) {
        return s; // created 0600 before SQLite opens it: its -wal and -shm take that mode
    }
    if (!existed && migrate) {
        // Pages freed by retention go back to the system bit by bit
        // (QueueKeeper, hookline-cli prune). Only a file without tables can
        // take it; an older file gets it from `hookline-cli prune --vacuum`.
        if (auto s = sql::exec(connection(), QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"), tr("configuring the connection")); !s)
            return s;
    }

    if (auto s = initializeSchema(migrate); !s)
        return s;
    if (!migrate)
        return Ok{};
    auto db = connection();
    // WAL is a property of the file: set once, after the schema is ours (a
    // refused file keeps its journal mode).
    auto q = sql::prepare(db, QStringLiteral("PRAGMA journal_mode"));
    if (auto s = sql::exec(q, tr("reading the journal mode")); !s)
        return s;
    const bool isWal = q.next() && q.value(0).toString().compare(QLatin1StringView("wal"), Qt::CaseInsensitive) == 0;
    q.finish(); // an unfinished statement holds a read transaction, and WAL cannot be set inside one
    if (!isWal) {
        if (auto s = sql::exec(db, QStringLiteral("PRAGMA journal_mode = WAL"), tr("enabling WAL")); !s)
            return s;
    }
    return Ok{};
}

Status Database::initializeSchema(bool migrate)
{
    auto db = connection();
    if (!db.isOpen())
        return Error::database(tr("cannot open %1: %2").arg(displayLocation(), m_openError));

    auto version = Migrations::currentVersion(db);
    if (!version)
        return Error::database(tr("%1 is not a Hookline database: %2").arg(displayLocation(), version.error().message));
    if (!migrate)
        return Ok{};

    m_createdSchema = (*version == 0);
    if (auto s = Migrations::migrate(db); !s) {
        auto error = s.error();
        error.message = displayLocation() + QStringLiteral(": ") + error.message;
        return error;
    }
    return Ok{};
}

Result<QSqlDatabase> Database::openPostgres(const QString &name)
{
    const auto &t = *m_postgres;
    auto db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    db.setHostName(t.host);
    db.setPort(t.port);
    db.setUserName(t.user);
    db.setPassword(t.password);
    db.setDatabaseName(t.database);
    db.setConnectOptions(t.options);
    if (!db.open())
        return Error::database(db.lastError().text().trimmed());
    // Notices ("already exists, skipping") would reach stderr through libpq.
    if (auto s = sql::exec(db, QStringLiteral("SET client_min_messages TO WARNING"), tr("configuring the connection")); !s)
        return s.error();
    if (!t.schema.isEmpty()) {
        // One schema per installation (or per test): created on first use.
        // The name was checked to be a plain identifier.
        for (const auto &statement : {QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1").arg(t.schema),
                                      QStringLiteral("SET search_path TO %1").arg(t.schema)}) {
            if (auto s = sql::exec(db, statement, tr("choosing the schema")); !s)
                return s.error();
        }
    }
    return db;
}

Result<QSqlDatabase> Database::openConnection(const QString &name)
{
    if (m_postgres)
        return openPostgres(name);
    auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(m_location);
    // Writers wait for each other instead of failing with SQLITE_BUSY.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=15000"));
    if (!db.open())
        return Error::database(db.lastError().text());
    for (const char *pragma : kConnectionPragmas) {
        if (auto s = sql::exec(db, QString::fromLatin1(pragma), tr("configuring the connection")); !s)
            return s.error();
    }
    return db;
}

QSqlDatabase Database::connection()
{
    const auto thread = QThread::currentThreadId();
    QString name;
    {
        QMutexLocker lock(&m_mutex);
        name = m_connections.value(thread);
        if (name.isEmpty()) {
            name = m_namePrefix + QString::number(quintptr(thread), 16);
            m_connections.insert(thread, name);
        }
    }
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name, false);
    auto db = openConnection(name);
    if (!db) {
        QMutexLocker lock(&m_mutex);
        m_openError = db.error().message;
    }
    return db ? *db : QSqlDatabase::database(name, false);
}

QString Database::listenerName() const
{
    return m_namePrefix + QStringLiteral("listen-") + QString::number(quintptr(QThread::currentThreadId()), 16);
}

QSqlDatabase Database::listenerConnection()
{
    const QString name = listenerName();
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name, false);
    auto db = openConnection(name);
    return db ? *db : QSqlDatabase::database(name, false);
}

void Database::releaseThreadConnection()
{
    QString name;
    {
        QMutexLocker lock(&m_mutex);
        name = m_connections.take(QThread::currentThreadId());
    }
    const QString listener = listenerName();
    for (const auto &n : {name, listener}) {
        if (n.isEmpty() || !QSqlDatabase::contains(n))
            continue;
        {
            auto db = QSqlDatabase::database(n, false);
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(n);
    }
}

} // namespace hookline
