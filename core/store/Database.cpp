#include "Database.h"

#include "signing/SecretBox.h"
#include "store/Migrations.h"
#include "store/Sql.h"
#include "store/SqliteLibrary.h"
#include "store/WalCheckpointer.h"
#include "util/Log.h"
#include "util/PrivateFiles.h"
#include "util/UrlText.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlError>
#include <QStandardPaths>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

#include <openssl/crypto.h>

namespace hookline {

namespace {
QAtomicInteger<quint32> g_instances;

// The open Databases by instance number, for secretBoxOf(): a connection's
// name is "hookline-<instance>-<thread>".
QMutex g_registryMutex;
QHash<quint32, Database *> g_registry;

const QByteArray kProbePlain = QByteArrayLiteral("hookline master key probe");

// Per connection: WAL keeps readers (the window) and the writer (the engine)
// out of each other's way; NORMAL sync is durable against a process crash in
// WAL mode, which is what at-least-once needs; foreign keys are per connection
// in SQLite and off unless asked for.
const char *const kConnectionPragmas[] = {
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = NORMAL",
};
// With a WalCheckpointer, no connection of the process checkpoints in its commits.
const char kNoAutoCheckpoint[] = "PRAGMA wal_autocheckpoint = 0";
} // namespace

Database::Database(QString location)
    : m_location(std::move(location))
    , m_instance(g_instances.fetchAndAddRelaxed(1))
{
    m_namePrefix = QStringLiteral("hookline-%1-").arg(m_instance);
    QMutexLocker lock(&g_registryMutex);
    g_registry.insert(m_instance, this);
}

Database::~Database()
{
    // Its thread closes its own connection, below the others.
    std::unique_ptr<WalCheckpointer> checkpointer;
    {
        QMutexLocker lock(&m_mutex);
        checkpointer.swap(m_checkpointer);
    }
    checkpointer.reset();
    {
        QMutexLocker lock(&g_registryMutex);
        g_registry.remove(m_instance);
    }
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
    static const QStringList passThrough{QStringLiteral("sslmode"), QStringLiteral("sslrootcert"),     QStringLiteral("sslcert"),
                                         QStringLiteral("sslkey"),  QStringLiteral("connect_timeout"), QStringLiteral("application_name")};
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
        if (auto s = initializeSchema(migrate); !s || !migrate)
            return s;
        return unlockSecrets();
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
    return unlockSecrets();
}

std::shared_ptr<const SecretBox> Database::secretBox() const
{
    QMutexLocker lock(&m_boxMutex);
    return m_box;
}

std::shared_ptr<const SecretBox> Database::secretBoxOf(const QSqlDatabase &connection)
{
    const auto name = connection.connectionName();
    static const QLatin1StringView prefix("hookline-");
    if (!name.startsWith(prefix))
        return nullptr;
    const auto end = name.indexOf(u'-', prefix.size());
    bool ok = false;
    const auto instance = name.mid(prefix.size(), end - prefix.size()).toUInt(&ok);
    if (!ok)
        return nullptr;
    QMutexLocker lock(&g_registryMutex);
    const auto *db = g_registry.value(instance);
    return db ? db->secretBox() : nullptr;
}

Database::KeyInfo Database::keyInfo() const
{
    QMutexLocker lock(&m_boxMutex);
    return m_keyInfo;
}

void Database::replaceSecretBox(std::shared_ptr<const SecretBox> box, KeyInfo info)
{
    QMutexLocker lock(&m_boxMutex);
    m_box = std::move(box);
    m_keyInfo = std::move(info);
}

Result<Database::KeyInfo> Database::rekey(QByteArray *newKeyOut)
{
    const auto old = secretBox();
    if (!old)
        return Error{Error::Code::Internal, tr("the master key is not loaded"), {}};
    auto current = MasterKey::find(m_location);
    if (!current)
        return current.error();
    if (!*current)
        return Error{Error::Code::Validation, tr("the master key was not found; looked in: %1").arg(MasterKey::lookedIn(m_location)), {}};
    const bool fromEnvironment = (*current)->source == MasterKey::Source::Environment;
    if (fromEnvironment && !newKeyOut)
        return Error{Error::Code::Validation,
                     tr("the master key comes from %1, which Hookline cannot change; run again with --print-new-key and set the variable to "
                        "the key it prints")
                         .arg(QLatin1StringView(MasterKey::kEnvironment)),
                     {}};
    MasterKey::Found next(SecretBox::generateKey(), (*current)->source, (*current)->where);
    auto box = SecretBox::fromKey(next.key);
    if (!box)
        return Error{Error::Code::Internal, tr("the system's random number generator failed; nothing was changed"), {}};
    // The new key is safe somewhere before anything is sealed with it.
    if (!fromEnvironment) {
        if (auto s = MasterKey::stage(**current, next.key, m_location); !s)
            return s.error();
    }
    auto db = connection();
    sql::Transaction tx(db);
    const auto abandon = [&](Error e) {
        tx.rollback();
        if (!fromEnvironment)
            MasterKey::discardStaged(**current, m_location);
        return e;
    };
    if (auto s = tx.begin(); !s)
        return abandon(s.error());
    auto resealed = resealSecrets(db, old.get(), *box);
    if (!resealed)
        return abandon(resealed.error());
    if (auto s = saveProbe(db, *box, true); !s)
        return abandon(s.error());
    if (auto s = tx.commit(); !s)
        return abandon(s.error());
    // Committed: from here on only the new key opens the secrets.
    if (!fromEnvironment) {
        if (auto s = MasterKey::promote(**current, m_location); !s)
            return Error{Error::Code::Io,
                         tr("the secrets are encrypted under the new key, but it could not replace the old one: %1; "
                            "it is kept beside it, and the next start finishes the change")
                             .arg(s.error().message),
                         {}};
    } else {
        *newKeyOut = next.key.toBase64();
    }
    qCInfo(lcStore).noquote()
        << tr("%n webhook secret(s) re-encrypted under a new master key (fingerprint %1)", nullptr, *resealed).arg(box->fingerprint());
    return install(std::move(box), next);
}

Status Database::saveProbe(QSqlDatabase &db, const SecretBox &box, bool replace)
{
    // The first sealing inserts: a row another process inserted meanwhile
    // fails it, and its transaction rolls back rather than seal twice.
    auto q = sql::prepare(db, replace ? QStringLiteral("UPDATE secret_key SET fingerprint = ?, probe = ?, created_at = ? WHERE id = 1")
                                      : QStringLiteral("INSERT INTO secret_key (fingerprint, probe, created_at, id) VALUES (?, ?, ?, 1)"));
    q.addBindValue(box.fingerprint());
    q.addBindValue(box.seal(QString::fromLatin1(kProbePlain), probeRow()));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    return sql::exec(q, tr("saving the master key's probe"));
}

Result<int> Database::resealSecrets(QSqlDatabase &db, const SecretBox *from, const SecretBox &to)
{
    auto rows = sql::prepare(db, QStringLiteral("SELECT id, secret FROM webhook_secrets"));
    if (auto s = sql::exec(rows, tr("reading the secrets")); !s)
        return s.error();
    QList<std::pair<qint64, QString>> sealed;
    while (rows.next()) {
        const auto id = rows.value(0).toLongLong();
        auto plain = from ? from->open(rows.value(1).toString(), secretRow(id)) : std::optional(rows.value(1).toString());
        if (!plain)
            return Error::database(tr("secret %1 does not open with the current master key; nothing was changed").arg(id));
        const auto value = to.seal(*plain, secretRow(id));
        if (value.isEmpty())
            return Error::database(tr("encrypting a secret failed; nothing was changed"));
        sealed.append({id, value});
    }
    rows.finish();
    auto update = sql::prepare(db, QStringLiteral("UPDATE webhook_secrets SET secret = ? WHERE id = ?"));
    for (const auto &[id, value] : std::as_const(sealed)) {
        update.addBindValue(value);
        update.addBindValue(id);
        if (auto s = sql::exec(update, tr("encrypting the secrets")); !s)
            return s.error();
    }
    return int(sealed.size());
}

QByteArray Database::secretRow(qint64 id)
{
    return QByteArrayLiteral("webhook_secrets/") + QByteArray::number(id);
}

QByteArray Database::probeRow()
{
    return QByteArrayLiteral("secret_key/1");
}

Database::KeyInfo Database::install(std::shared_ptr<const SecretBox> box, const MasterKey::Found &found)
{
    KeyInfo info{MasterKey::sourceName(found.source), found.where, box->fingerprint()};
    replaceSecretBox(std::move(box), info);
    return info;
}

Status Database::unlockSecrets()
{
    auto db = connection();
    const auto fail = [this](const QString &why) { return Error{Error::Code::Validation, displayLocation() + QStringLiteral(": ") + why, {}}; };
    // What the database says of its key.
    const auto readRow = [&db]() -> Result<std::optional<std::pair<QString, QString>>> {
        auto q = sql::prepare(db, QStringLiteral("SELECT fingerprint, probe FROM secret_key WHERE id = 1"));
        if (auto s = sql::exec(q, tr("reading the master key's probe")); !s)
            return s.error();
        if (!q.next())
            return std::optional<std::pair<QString, QString>>{};
        return std::optional(std::pair{q.value(0).toString(), q.value(1).toString()});
    };
    // The box of `key` when it opens the probe; null otherwise.
    const auto openingProbe = [](const QByteArray &key, const QString &probe) -> std::shared_ptr<const SecretBox> {
        auto box = SecretBox::fromKey(key);
        return box && box->open(probe, probeRow()) == QString::fromLatin1(kProbePlain) ? box : nullptr;
    };

    auto row = readRow();
    if (!row)
        return row.error();
    auto found = MasterKey::find(m_location);
    if (!found)
        return fail(found.error().message);
    if (*row) {
        const auto &[fingerprint, probe] = **row;
        if (!*found)
            return fail(
                tr("the webhook secrets are encrypted, and their master key was not found; looked in: %1").arg(MasterKey::lookedIn(m_location)));
        if (auto box = openingProbe((*found)->key, probe)) {
            install(std::move(box), **found);
            return Ok{};
        }
        // A rekey cut short after its commit: the new key waits beside the old one.
        if (auto staged = MasterKey::findStaged(**found, m_location); staged && *staged) {
            if (auto box = openingProbe((*staged)->key, probe)) {
                if (auto s = MasterKey::promote(**found, m_location); !s)
                    return fail(s.error().message);
                (*staged)->where = (*found)->where;
                install(std::move(box), **staged);
                return Ok{};
            }
        }
        const auto given = SecretBox::fromKey((*found)->key);
        return fail(tr("the master key from %1 (fingerprint %2) is not the one the webhook secrets were encrypted with (fingerprint %3); "
                       "nothing was read or changed")
                        .arg((*found)->where, given ? given->fingerprint() : QStringLiteral("?"), fingerprint));
    }

    // No key yet: a new database, or secrets in plain text from before.
    MasterKey::Found key;
    if (*found) {
        key = std::move(**found);
    } else {
        auto made = MasterKey::create(m_location);
        if (!made && made.error().code == Error::Code::Conflict) {
            // Another process made it first: use that one.
            auto again = MasterKey::find(m_location);
            if (!again || !*again)
                return fail(made.error().message);
            made = std::move(**again);
        }
        if (!made)
            return fail(made.error().message);
        key = std::move(*made);
        qCInfo(lcStore).noquote() << tr("a new master key for the webhook secrets of %1: %2").arg(displayLocation(), key.where);
    }
    auto box = SecretBox::fromKey(key.key);
    if (!box)
        return fail(tr("the master key from %1 is not 32 bytes").arg(key.where));
    // The plain text being replaced is overwritten, not merely freed: a
    // copy of the file must not hold it in a free page (SQLite only).
    if (!m_postgres) {
        if (auto s = sql::exec(db, QStringLiteral("PRAGMA secure_delete = ON"), tr("configuring the connection")); !s)
            return s;
    }
    const auto secureDeleteOff = qScopeGuard([&db, this] {
        if (!m_postgres)
            (void)sql::exec(db, QStringLiteral("PRAGMA secure_delete = OFF"), tr("configuring the connection"));
    });
    sql::Transaction tx(db);
    if (auto s = tx.begin(); !s)
        return s;
    // Another process may have sealed them meanwhile: then check its key.
    auto again = readRow();
    if (!again)
        return again.error();
    if (*again) {
        tx.rollback();
        return unlockSecrets();
    }
    auto sealed = resealSecrets(db, nullptr, *box);
    if (!sealed)
        return fail(sealed.error().message);
    if (auto s = saveProbe(db, *box, false); !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    // The log still holds the pages as they were before: written back and
    // emptied now, not at some later checkpoint.
    if (*sealed > 0 && !m_postgres)
        (void)sql::exec(db, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), tr("writing the log back"));
    if (*sealed > 0)
        qCInfo(lcStore).noquote()
            << tr("%n webhook secret(s) of %1 encrypted under the master key from %2", nullptr, *sealed).arg(displayLocation(), key.where);
    install(std::move(box), key);
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
        for (const auto &statement :
             {QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1").arg(t.schema), QStringLiteral("SET search_path TO %1").arg(t.schema)}) {
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
    SqliteLibrary::configure();
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
    bool background = false;
    {
        QMutexLocker lock(&m_mutex);
        background = m_checkpointer != nullptr;
    }
    if (background) {
        if (auto s = sql::exec(db, QString::fromLatin1(kNoAutoCheckpoint), tr("configuring the connection")); !s)
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

void Database::checkpointInBackground()
{
    if (isPostgres())
        return;
    QString name;
    {
        QMutexLocker lock(&m_mutex);
        if (m_checkpointer)
            return;
        m_checkpointer = std::make_unique<WalCheckpointer>(*this);
        name = m_connections.value(QThread::currentThreadId());
    }
    // This thread's connection may be open already (the migrations ran on it).
    if (!name.isEmpty() && QSqlDatabase::contains(name)) {
        auto db = QSqlDatabase::database(name, false);
        // Should it fail, this one connection goes on checkpointing itself: slower, not wrong.
        if (db.isOpen()) {
            if (auto s = sql::exec(db, QString::fromLatin1(kNoAutoCheckpoint), tr("configuring the connection")); !s)
                qCWarning(lcStore).noquote() << s.error().message;
        }
    }
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
