#pragma once

#include "store/MasterKey.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QMutex>
#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <optional>

namespace hookline {

class SecretBox;
class WalCheckpointer;

// The installation's database. QSqlDatabase connections belong to the thread
// that opened them, so every thread asks connection() for its own named one.
class Database final {
    Q_DECLARE_TR_FUNCTIONS(hookline::Database)
public:
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    // Opens (creating when missing) and migrates to the latest schema.
    // `location` is a SQLite file path or a PostgreSQL URL
    // (postgresql://user:password@host:port/dbname?schema=S&sslmode=…);
    // empty means defaultLocation().
    static Result<std::shared_ptr<Database>> open(const QString &location);
    // Opens without migrating, for tools and tests that manage the schema themselves.
    static Result<std::shared_ptr<Database>> openUnmigrated(const QString &location);

    // $HOOKLINE_DB, else hookline.db in the user's application data folder.
    static QString defaultLocation();

    // This thread's connection, opened on first use.
    QSqlDatabase connection();
    // Closes this thread's connection: call before a worker thread ends.
    void releaseThreadConnection();
    // A second connection of this thread, under its own name, that only
    // listens (PostgreSQL LISTEN); closed by releaseThreadConnection() too.
    // A connection that also runs the thread's queries did not deliver
    // notifications reliably through Qt's driver.
    QSqlDatabase listenerConnection();

    QString location() const { return m_location; }
    // The location without a password, for messages and the window.
    QString displayLocation() const;
    bool isPostgres() const { return m_postgres.has_value(); }
    static bool isPostgresUrl(const QString &location);

    // The engine's writer (QueueKeeper) takes this before it asks SQLite for
    // its write lock, so that engines of one process wait on each other here
    // and wake the moment the other commits, where SQLite's busy handler would
    // poll in sleeps of 1 to 100 ms. Other writers (the services on the
    // window's executor, other processes) are kept apart by SQLite itself
    // (busy timeout).
    QMutex &writeTurn() { return m_writeTurn; }
    // For the processes that write for long (the engine, the API server):
    // SQLite's log is checkpointed on a thread of its own (WalCheckpointer)
    // instead of inside a commit, for every connection this Database opens
    // from now on and for the calling thread's. Nothing for PostgreSQL.
    void checkpointInBackground();
    bool isNew() const { return m_createdSchema; }

    // The box the webhook secrets are sealed with; null for a database opened
    // unmigrated (its stores refuse to read or write secrets).
    std::shared_ptr<const SecretBox> secretBox() const;
    // The same for the Database a connection belongs to: the stores see only
    // connections.
    static std::shared_ptr<const SecretBox> secretBoxOf(const QSqlDatabase &connection);
    // Where the master key came from, for Settings.
    struct KeyInfo {
        QString source; // MasterKey::sourceName
        QString where;  // the variable, the keychain entry, the key file's path
        QString fingerprint;
    };
    KeyInfo keyInfo() const;
    // A new master key: every secret re-sealed under it in one transaction,
    // then the new key takes the old one's place (its file or keychain
    // entry; staged beside it before the commit, so a rekey cut short is
    // finished at the next open). A key from HOOKLINE_MASTER_KEY cannot be
    // replaced by Hookline: then `newKeyOut` receives the new key for the
    // caller to show, and the variable must be changed by hand.
    Result<KeyInfo> rekey(QByteArray *newKeyOut = nullptr);
    // Associated data of a sealed value: the row it belongs to.
    static QByteArray secretRow(qint64 id);
    static QByteArray probeRow();

private:
    // What a PostgreSQL URL says, checked once at open.
    struct PostgresTarget {
        QString host;
        int port = 5432;
        QString user;
        QString password;
        QString database;
        QString schema;  // empty: the server's default search_path
        QString options; // libpq keywords for QPSQL (sslmode, connect_timeout, …)
    };
    static Result<PostgresTarget> parsePostgresUrl(const QString &location);

    explicit Database(QString location);
    Result<QSqlDatabase> openConnection(const QString &name);
    Result<QSqlDatabase> openPostgres(const QString &name);
    Status initialize(bool migrate);
    Status initializeSchema(bool migrate);
    // Finds the master key and checks it against the database's probe;
    // seals plain-text secrets (a database from before) in one transaction.
    Status unlockSecrets();
    // Makes `box` the one secrets are sealed with, its key found as `found` says.
    KeyInfo install(std::shared_ptr<const SecretBox> box, const MasterKey::Found &found);
    // The key's fingerprint and a probe sealed under it (secret_key), in the
    // caller's transaction: inserted by the first sealing, replaced by a rekey.
    static Status saveProbe(QSqlDatabase &db, const SecretBox &box, bool replace);
    // Every secret row read (as plain text when `from` is null, else opened
    // with it) and written back sealed by `to`, in the caller's transaction;
    // how many.
    static Result<int> resealSecrets(QSqlDatabase &db, const SecretBox *from, const SecretBox &to);
    void replaceSecretBox(std::shared_ptr<const SecretBox> box, KeyInfo info);
    QString listenerName() const; // this thread's listening connection

    QString m_location;
    std::optional<PostgresTarget> m_postgres;
    QString m_namePrefix;
    bool m_createdSchema = false;
    QString m_openError; // why the last connection could not be opened
    QMutex m_mutex;
    QMutex m_writeTurn;
    QHash<Qt::HANDLE, QString> m_connections;
    std::unique_ptr<WalCheckpointer> m_checkpointer; // under m_mutex
    quint32 m_instance = 0;
    mutable QMutex m_boxMutex;
    std::shared_ptr<const SecretBox> m_box;
    KeyInfo m_keyInfo;
};

} // namespace hookline
