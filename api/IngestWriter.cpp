#include "IngestWriter.h"

#include "ApiLog.h"
#include "IngestBatcher.h"

#include <QElapsedTimer>
#include <QMutexLocker>
#include <QThread>

namespace hookline::api {

IngestWriter::IngestWriter(IngestBatcher &batcher, std::shared_ptr<Installation> installation)
    : m_batcher(batcher)
    , m_installation(std::move(installation))
{
}

IngestWriter::~IngestWriter() = default;

void IngestWriter::drain()
{
    for (;;) {
        QList<IngestBatcher::Item> group;
        {
            // A few requests waiting: let more join them for a moment. A
            // commit costs the same for one request as for fifty, and this
            // thread shares the CPU with the one that reads the requests.
            QMutexLocker lock(&m_batcher.m_mutex);
            if (m_batcher.m_waiting.size() < kGatherRequests && !m_batcher.m_flushing) {
                lock.unlock();
                QThread::usleep(kGatherMicroseconds);
                lock.relock();
            }
            group.swap(m_batcher.m_waiting);
            if (group.isEmpty()) {
                m_batcher.m_writerScheduled = false;
                return;
            }
        }
        if (!m_service) {
            m_service = std::make_unique<EventService>(m_installation->connection());
            m_service->keepCachesBetweenCalls();
        }
        QList<EventService::Request> requests;
        requests.reserve(group.size());
        for (auto &item : group)
            requests.append(std::move(item.request));
        QElapsedTimer timer;
        timer.start();
        auto results = m_service->recordMany(requests);
        qCDebug(lcApi) << "group commit:" << requests.size() << "requests in" << double(timer.nsecsElapsed()) / 1e6 << "ms";
        {
            QMutexLocker lock(&m_batcher.m_mutex);
            for (qsizetype i = 0; i < group.size(); ++i)
                m_batcher.m_finished.append({std::move(group[i].done), std::move(results[i])});
            m_batcher.m_written += quint64(group.size());
        }
        // Answered on the server thread, where the sockets live.
        QMetaObject::invokeMethod(&m_batcher, &IngestBatcher::answerFinished, Qt::QueuedConnection);
    }
}

void IngestWriter::release()
{
    m_service.reset();
    m_installation->releaseThreadConnection();
}

} // namespace hookline::api
