#include "DeliveryEngine.h"

#include "engine/DeliveryWorker.h"
#include "engine/QueueKeeper.h"

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
    const auto startThread = [this](QObject *object, const QString &name) {
        auto *thread = new QThread;
        thread->setObjectName(name);
        object->moveToThread(thread);
        m_threads << thread;
        return thread;
    };
    m_keeper = new QueueKeeper(m_database, m_options);
    auto *keeperThread = startThread(m_keeper, QStringLiteral("hookline-queue"));
    connect(keeperThread, &QThread::started, m_keeper, &QueueKeeper::start);
    connect(m_keeper, &QueueKeeper::stopped, this, &DeliveryEngine::keeperStopped);
    connect(m_keeper, &QueueKeeper::idle, this, &DeliveryEngine::idle);
    connect(m_keeper, &QueueKeeper::deliveriesUpdated, this, &DeliveryEngine::deliveriesUpdated);
    connect(m_keeper, &QueueKeeper::deliveryRefused, this, &DeliveryEngine::deliveryRefused);
    connect(m_keeper, &QueueKeeper::webhookDeactivated, this, &DeliveryEngine::webhookDeactivated);
    connect(m_keeper, &QueueKeeper::alertsRaised, this, &DeliveryEngine::alertsRaised);
    connect(m_keeper, &QueueKeeper::laneChanged, this, &DeliveryEngine::webhookLaneChanged);
    connect(m_keeper, &QueueKeeper::failure, this, &DeliveryEngine::failure);
    for (int i = 0; i < m_options.workers; ++i) {
        auto *worker = new DeliveryWorker(m_database, i, m_options);
        auto *thread = startThread(worker, QStringLiteral("hookline-worker-%1").arg(i));
        connect(thread, &QThread::started, worker, &DeliveryWorker::start);
        connect(worker, &DeliveryWorker::stopped, this, &DeliveryEngine::workerStopped);
        connect(worker, &DeliveryWorker::failure, this, &DeliveryEngine::failure);
        // Worker -> keeper: queued (another thread), in the order sent; a
        // worker's last results reach the keeper before finish() does.
        connect(worker, &DeliveryWorker::workWanted, m_keeper, &QueueKeeper::request);
        connect(worker, &DeliveryWorker::attemptsFinished, m_keeper, &QueueKeeper::record);
        connect(worker, &DeliveryWorker::handedBack, m_keeper, &QueueKeeper::handBack);
        connect(worker, &DeliveryWorker::requestWaiting, m_keeper, &QueueKeeper::requestWaiting);
        m_workers << worker;
    }
    // Keeper -> one worker: the keeper names a worker by index; this routes it
    // (run on the keeper's thread, then one queued call to that worker only).
    m_keeper->setWorkerCount(int(m_workers.size()));
    const auto workers = m_workers;
    connect(
        m_keeper, &QueueKeeper::jobsFor, m_keeper,
        [workers](int i, const QList<DeliveryJob> &jobs, bool forced) {
            auto *w = workers.value(i);
            if (w)
                QMetaObject::invokeMethod(
                    w, [w, jobs, forced] { w->accept(jobs, forced); }, Qt::QueuedConnection);
        },
        Qt::DirectConnection);
    connect(
        m_keeper, &QueueKeeper::recordedFor, m_keeper,
        [workers](int i, const QStringList &failed, const QStringList &deactivated) {
            auto *w = workers.value(i);
            if (w)
                QMetaObject::invokeMethod(
                    w, [w, failed, deactivated] { w->recorded(failed, deactivated); }, Qt::QueuedConnection);
        },
        Qt::DirectConnection);
    for (auto *t : std::as_const(m_threads))
        t->start();
    if (m_paused)
        setPaused(true);
}

void DeliveryEngine::stop()
{
    if (!m_running || m_stopping)
        return;
    m_stopping = true;
    QMetaObject::invokeMethod(m_keeper, &QueueKeeper::stopServing, Qt::QueuedConnection);
    for (auto *w : std::as_const(m_workers))
        QMetaObject::invokeMethod(w, &DeliveryWorker::stop, Qt::QueuedConnection);
}

void DeliveryEngine::workerStopped()
{
    if (++m_stoppedWorkers < m_workers.size())
        return;
    // Every worker has queued its last results and hand-backs to the keeper
    // before it said stopped: finish() comes after them in the keeper's queue.
    QMetaObject::invokeMethod(m_keeper, &QueueKeeper::finish, Qt::QueuedConnection);
}

void DeliveryEngine::keeperStopped()
{
    for (auto *t : std::as_const(m_threads)) {
        t->quit();
        t->wait();
    }
    qDeleteAll(m_workers);
    delete m_keeper;
    m_keeper = nullptr;
    qDeleteAll(m_threads);
    m_workers.clear();
    m_threads.clear();
    m_running = false;
    m_stopping = false;
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

void DeliveryEngine::wake()
{
    if (m_keeper)
        QMetaObject::invokeMethod(m_keeper, &QueueKeeper::wake, Qt::QueuedConnection);
}

void DeliveryEngine::setPaused(bool paused)
{
    m_paused = paused;
    if (m_keeper) {
        auto *keeper = m_keeper;
        QMetaObject::invokeMethod(
            keeper, [keeper, paused] { keeper->setPaused(paused); }, Qt::QueuedConnection);
    }
    for (auto *w : std::as_const(m_workers))
        QMetaObject::invokeMethod(
            w, [w, paused] { w->setPaused(paused); }, Qt::QueuedConnection);
}

void DeliveryEngine::deliverNow(const QString &deliveryId)
{
    if (!m_keeper)
        return;
    auto *keeper = m_keeper;
    QMetaObject::invokeMethod(
        keeper, [keeper, deliveryId] { keeper->deliverNow(deliveryId); }, Qt::QueuedConnection);
}

} // namespace hookline
