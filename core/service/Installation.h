#pragma once

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
    // The location without a password, for messages and the window.
    QString displayLocation() const;
    bool isPostgres() const;
    // For the engine and the executor, which open connections of their own.
    std::shared_ptr<Database> database() const { return m_database; }

private:
    explicit Installation(std::shared_ptr<Database> database);

    std::shared_ptr<Database> m_database;
};

} // namespace hookline
