#pragma once

#include "model/TransferReport.h"
#include "util/Keychain.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>

namespace hookline {

class Database;

// The installation's database as a front end sees it: found, opened,
// migrated, and a new one started with its catalogs. The store behind it
// stays private to core; the engine and the executor take database().
class Installation final {
    Q_DECLARE_TR_FUNCTIONS(hookline::Installation)
public:
    Q_DISABLE_COPY_MOVE(Installation)
    ~Installation();

    // Opens `location` (a SQLite path or a postgresql:// URL; empty means
    // defaultLocation()), creating and migrating it. A database created now
    // starts with the built-in catalogs named in `catalogs`. The names are
    // checked before anything is created: a typo never leaves a database
    // without the catalogs it was meant to have.
    static Result<std::shared_ptr<Installation>> open(const QString &location, const QStringList &catalogs);
    // The same with every built-in catalog.
    static Result<std::shared_ptr<Installation>> open(const QString &location);

    // $HOOKLINE_DB, else hookline.db in the user's application data folder.
    static QString defaultLocation();
    static bool isPostgresUrl(const QString &location);
    // Connects once to a PostgreSQL URL without changing it: to check an
    // address before it is kept. Blocks for as long as the server takes.
    static Status tryConnect(const QString &location);

    // This thread's connection, for the services.
    QSqlDatabase connection();
    // Closes this thread's connection (a thread that hands its work to others).
    void releaseThreadConnection();
    // For a process that writes for long (delivers, serves the API): a
    // SQLite log is checkpointed on a thread of its own, never inside one of
    // this process's commits. Call before the writers start.
    void checkpointInBackground();
    // The location without a password, for messages and the window.
    QString displayLocation() const;
    bool isPostgres() const;
    // Where the master key of the webhook secrets comes from.
    struct KeyInfo {
        QString source; // "a key file", "the system keychain", "the environment variable HOOKLINE_MASTER_KEY"
        QString where;
        QString fingerprint; // names the key without revealing it
    };
    KeyInfo keyInfo() const;
    // Re-encrypts every secret under a new master key (Database::rekey).
    // With the key in HOOKLINE_MASTER_KEY, `newKeyOut` must be given: it
    // receives the new key (base64) to put in the variable.
    Result<KeyInfo> rekey(QByteArray *newKeyOut = nullptr);
    // A consistent copy of this (SQLite) database while it is in use, into
    // the new file `file`; checked and audited.
    Result<TransferReport> backup(const QString &file);
    // A backup's rows in place of this database's, in one transaction, after
    // checking it (DatabaseTransfer::restore); audited in the restored data.
    Result<TransferReport> restore(const QString &file);
    // Everything into the empty PostgreSQL schema at `url`, in one
    // transaction, checked table by table; the master key goes along.
    Result<TransferReport> copyTo(const QString &url);
    // What a backup file holds, read-only.
    static Result<TransferReport> inspect(const QString &file);

    // The system keychain that holds master keys (and PostgreSQL passwords
    // given in the window), for the whole process (the desktop
    // application's); install before open(). keychain() is null without one.
    static void setKeychain(std::shared_ptr<Keychain> keychain);
    static std::shared_ptr<Keychain> keychain();

    // A PostgreSQL password given in a URL is kept in the keychain, not in a
    // settings file: keepPassword() stores it there and returns the URL
    // without it (an error, nothing stored, when there is a password and no
    // keychain); withKeptPassword() puts it back for opening. Other
    // locations pass through both unchanged. Both block on the keychain.
    static Result<QString> keepPassword(const QString &location);
    static QString withKeptPassword(const QString &location);
    static QString passwordAccount(const QString &location);

    // For the engine and the executor, which open connections of their own.
    std::shared_ptr<Database> database() const { return m_database; }

private:
    explicit Installation(std::shared_ptr<Database> database);

    std::shared_ptr<Database> m_database;
};

} // namespace hookline
