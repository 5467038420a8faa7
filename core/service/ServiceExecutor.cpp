#include "ServiceExecutor.h"

namespace hookline {

ServiceExecutor::ServiceExecutor(std::shared_ptr<Installation> installation, QObject *parent)
    : QObject(parent)
    , m_installation(std::move(installation))
{
    m_thread.setObjectName(QStringLiteral("hookline-database"));
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

ServiceExecutor::~ServiceExecutor()
{
    auto installation = m_installation;
    auto *thread = &m_thread;
    // Queued behind the work already posted (a last save on quit must land),
    // and on the executor's thread, which owns the connection.
    QMetaObject::invokeMethod(
        m_worker,
        [installation, thread] {
            installation->releaseThreadConnection();
            thread->quit();
        },
        Qt::QueuedConnection);
    m_thread.wait();
}

void ServiceExecutor::post(std::function<void(QSqlDatabase)> job)
{
    auto installation = m_installation;
    QMetaObject::invokeMethod(
        m_worker, [job = std::move(job), installation] { job(installation->connection()); }, Qt::QueuedConnection);
}

} // namespace hookline
