#include "Database.h"

#include "store/Migrations.h"
#include "store/Sql.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QStandardPaths>
#include <QThread>

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

Status Database::initialize(bool migrate)
{
    if (m_location.startsWith(QLatin1StringView("postgres"), Qt::CaseInsensitive)) {
        return Error{Error::Code::Validation,
                     tr("PostgreSQL databases are not supported yet; use a SQLite file path"), QStringLiteral("db")};
    }
    const QFileInfo info(m_location);
    if (info.exists() && info.isDir())
        return Error{Error::Code::Io, tr("%1 is a directory, not a database file").arg(m_location), {}};
    if (!info.exists() && !QDir().mkpath(info.absolutePath()))
        return Error{Error::Code::Io, tr("cannot create the folder %1").arg(info.absolutePath()), {}};

    auto db = connection();
    if (!db.isOpen())
        return Error::database(tr("cannot open %1: %2").arg(m_location, db.lastError().text()));

    auto version = Migrations::currentVersion(db);
    if (!version)
        return Error::database(tr("%1 is not a Hookline database: %2").arg(m_location, version.error().message));
    if (!migrate)
        return Ok{};

    m_createdSchema = (*version == 0);
    if (auto s = Migrations::migrate(db); !s) {
        auto error = s.error();
        error.message = m_location + QStringLiteral(": ") + error.message;
        return error;
    }
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

Result<QSqlDatabase> Database::openConnection(const QString &name)
{
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
    return db ? *db : QSqlDatabase::database(name, false);
}

void Database::releaseThreadConnection()
{
    QString name;
    {
        QMutexLocker lock(&m_mutex);
        name = m_connections.take(QThread::currentThreadId());
    }
    if (name.isEmpty())
        return;
    {
        auto db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace hookline
