#include "DeliveryEngine.h"

#include "engine/DeliveryWorker.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QThread>

namespace hookline {

DeliveryEngine::DeliveryEngine(std::shared_ptr<Database> database, EngineOptions options, QObject *parent)
    : QObject(parent)
    , m_database(std::move(database))
    , m_options(options)
{
    m_options.workers = std::max(1, m_options.workers);
    m_options.concurrency = std::max(1, m_options.concurrency);
}

DeliveryEngine::~DeliveryEngine()
{
    stopAndWait();
}

void DeliveryEngine::start()
{
    if (m_running)
        return;
    m_running = true;
    m_stoppedWorkers = 0;
    for (int i = 0; i < m_options.workers; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("hookline-worker-%1").arg(i));
        auto *worker = new DeliveryWorker(m_database, i, m_options);
        worker->moveToThread(thread);
        connect(thread, &QThread::started, worker, &DeliveryWorker::start);
        connect(worker, &DeliveryWorker::stopped, this, &DeliveryEngine::workerStopped);
        connect(worker, &DeliveryWorker::idle, this, &DeliveryEngine::workerIdle);
        connect(worker, &DeliveryWorker::deliveryFinished, this, &DeliveryEngine::deliveryFinished);
        connect(worker, &DeliveryWorker::webhookDeactivated, this, &DeliveryEngine::webhookDeactivated);
        connect(worker, &DeliveryWorker::webhookDeactivated, this, &DeliveryEngine::forgetWebhook);
        connect(worker, &DeliveryWorker::failure, this, &DeliveryEngine::failure);
        m_threads << thread;
        m_workers << worker;
        thread->start();
    }
    if (m_paused)
        setPaused(true);
}

void DeliveryEngine::stop()
{
    if (!m_running)
        return;
    for (auto *w : std::as_const(m_workers))
        QMetaObject::invokeMethod(w, &DeliveryWorker::stop, Qt::QueuedConnection);
}

void DeliveryEngine::workerStopped()
{
    if (++m_stoppedWorkers < m_workers.size())
        return;
    for (auto *t : std::as_const(m_threads)) {
        t->quit();
        t->wait();
    }
    qDeleteAll(m_workers);
    qDeleteAll(m_threads);
    m_workers.clear();
    m_threads.clear();
    m_running = false;
    Q_EMIT stopped();
}

void DeliveryEngine::stopAndWait()
{
    if (!m_running)
        return;
    stop();
    // Blocks this thread's caller only (the CLI at exit, a destructor): the
    // workers' stopped() signals are queued to this thread, so deliver them here.
    while (m_running) {
        QThread::msleep(5);
        QCoreApplication::sendPostedEvents(this);
    }
}

void DeliveryEngine::forgetWebhook(const QString &webhookId)
{
    // Every worker caches webhooks: the others must learn of a deactivation too.
    for (auto *w : std::as_const(m_workers))
        QMetaObject::invokeMethod(w, [w, webhookId] { w->forgetWebhook(webhookId); }, Qt::QueuedConnection);
}

void DeliveryEngine::wake()
{
    for (auto *w : std::as_const(m_workers))
        QMetaObject::invokeMethod(w, &DeliveryWorker::wake, Qt::QueuedConnection);
}

void DeliveryEngine::setPaused(bool paused)
{
    m_paused = paused;
    for (auto *w : std::as_const(m_workers))
        QMetaObject::invokeMethod(w, [w, paused] { w->setPaused(paused); }, Qt::QueuedConnection);
}

void DeliveryEngine::deliverNow(const QString &deliveryId)
{
    if (m_workers.isEmpty())
        return;
    auto *w = m_workers.first();
    QMetaObject::invokeMethod(w, [w, deliveryId] { w->deliverNow(deliveryId); }, Qt::QueuedConnection);
}

} // namespace hookline
