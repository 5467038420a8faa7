#pragma once

#include "store/Database.h"

#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

namespace hookline {

// Runs database work on a thread of its own (with its own connection) and
// hands the result back to the thread of `context`, so that a window never
// waits on a locked database. Jobs run one after another, in order.
class DatabaseExecutor final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatabaseExecutor)

public:
    explicit DatabaseExecutor(std::shared_ptr<Database> database, QObject *parent = nullptr);
    ~DatabaseExecutor() override;

    std::shared_ptr<Database> database() const { return m_database; }

    // `job` runs on the executor's thread; `done` on context's thread, only
    // if context still exists by then.
    template <typename T>
    void run(std::function<T(QSqlDatabase)> job, QObject *context, std::function<void(T)> done)
    {
        QPointer<QObject> guard(context);
        auto database = m_database;
        QMetaObject::invokeMethod(m_worker, [job = std::move(job), done = std::move(done), guard, database]() mutable {
            T result = job(database->connection());
            if (!guard)
                return;
            QMetaObject::invokeMethod(guard.data(), [guard, done = std::move(done), result = std::move(result)]() mutable {
                if (guard)
                    done(std::move(result));
            }, Qt::QueuedConnection);
        }, Qt::QueuedConnection);
    }

    // Work with no answer (writes whose outcome nobody waits for).
    void post(std::function<void(QSqlDatabase)> job);

private:
    std::shared_ptr<Database> m_database;
    QThread m_thread;
    QObject *m_worker = nullptr;
};

} // namespace hookline
