#pragma once

#include "util/Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QMutex>
#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <optional>

namespace hookline {

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
    bool isNew() const { return m_createdSchema; }

private:
    // What a PostgreSQL URL says, checked once at open.
    struct PostgresTarget {
        QString host;
        int port = 5432;
        QString user;
        QString password;
        QString database;
        QString schema;        // empty: the server's default search_path
        QString options;       // libpq keywords for QPSQL (sslmode, connect_timeout, …)
    };
    static Result<PostgresTarget> parsePostgresUrl(const QString &location);

    explicit Database(QString location);
    Result<QSqlDatabase> openConnection(const QString &name);
    Result<QSqlDatabase> openPostgres(const QString &name);
    Status initialize(bool migrate);
    Status initializeSchema(bool migrate);
    QString listenerName() const; // this thread's listening connection

    QString m_location;
    std::optional<PostgresTarget> m_postgres;
    QString m_namePrefix;
    bool m_createdSchema = false;
    QString m_openError;          // why the last connection could not be opened
    QMutex m_mutex;
    QMutex m_writeTurn;
    QHash<Qt::HANDLE, QString> m_connections;
};

} // namespace hookline
