#include "DatabaseExecutor.h"

namespace hookline {

DatabaseExecutor::DatabaseExecutor(std::shared_ptr<Database> database, QObject *parent)
    : QObject(parent)
    , m_database(std::move(database))
{
    m_thread.setObjectName(QStringLiteral("hookline-database"));
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

DatabaseExecutor::~DatabaseExecutor()
{
    auto database = m_database;
    auto *thread = &m_thread;
    // Queued behind the work already posted (a last save on quit must land),
    // and on the executor's thread, which owns the connection.
    QMetaObject::invokeMethod(m_worker, [database, thread] {
        database->releaseThreadConnection();
        thread->quit();
    }, Qt::QueuedConnection);
    m_thread.wait();
}

void DatabaseExecutor::post(std::function<void(QSqlDatabase)> job)
{
    auto database = m_database;
    QMetaObject::invokeMethod(m_worker, [job = std::move(job), database] { job(database->connection()); }, Qt::QueuedConnection);
}

} // namespace hookline
