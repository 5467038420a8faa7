#pragma once

#include "util/Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QMutex>
#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace hookline {

// The installation's database. QSqlDatabase connections belong to the thread
// that opened them, so every thread asks connection() for its own named one.
class Database final {
    Q_DECLARE_TR_FUNCTIONS(hookline::Database)
public:
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    // Opens (creating when missing) and migrates to the latest schema.
    // `location` is a file path; empty means defaultLocation().
    static Result<std::shared_ptr<Database>> open(const QString &location);
    // Opens without migrating, for tools and tests that manage the schema themselves.
    static Result<std::shared_ptr<Database>> openUnmigrated(const QString &location);

    // $HOOKLINE_DB, else hookline.db in the user's application data folder.
    static QString defaultLocation();

    // This thread's connection, opened on first use.
    QSqlDatabase connection();
    // Closes this thread's connection: call before a worker thread ends.
    void releaseThreadConnection();

    QString location() const { return m_location; }

    // Writers of this process take turns here before they ask SQLite for its
    // write lock: a waiting thread wakes the moment the other commits, where
    // SQLite's busy handler would poll in sleeps of 1 to 100 ms. Other
    // processes are still kept apart by SQLite itself (busy timeout).
    QMutex &writeTurn() { return m_writeTurn; }
    bool isNew() const { return m_createdSchema; }

private:
    explicit Database(QString location);
    Result<QSqlDatabase> openConnection(const QString &name);
    Status initialize(bool migrate);

    QString m_location;
    QString m_namePrefix;
    bool m_createdSchema = false;
    QMutex m_mutex;
    QMutex m_writeTurn;
    QHash<Qt::HANDLE, QString> m_connections;
};

} // namespace hookline
