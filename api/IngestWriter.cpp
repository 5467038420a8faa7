#include "IngestWriter.h"

#include "ApiLog.h"
#include "IngestBatcher.h"

#include <QElapsedTimer>
#include <QMutexLocker>

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
            QMutexLocker lock(&m_batcher.m_mutex);
            group.swap(m_batcher.m_waiting);
            m_batcher.m_readAll = false;
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
        bool more = true;
        {
            QMutexLocker lock(&m_batcher.m_mutex);
            for (qsizetype i = 0; i < group.size(); ++i)
                m_batcher.m_finished.append({std::move(group[i].done), std::move(results[i])});
            m_batcher.m_written += quint64(group.size());
            // A few requests came in meanwhile: the server thread starts
            // their group once it has read the rest of what is ready.
            // Decided before the answers are posted, so that the pass that
            // answers them cannot miss the requests left waiting.
            if (m_batcher.m_gatherUntilIdle && !m_batcher.m_flushing && !m_batcher.m_readAll
                && m_batcher.m_waiting.size() < IngestBatcher::kGatherRequests) {
                m_batcher.m_writerScheduled = false;
                more = false;
            }
        }
        // Answered on the server thread, where the sockets live.
        QMetaObject::invokeMethod(&m_batcher, &IngestBatcher::answerFinished, Qt::QueuedConnection);
        if (!more)
            return;
    }
}

void IngestWriter::release()
{
    m_service.reset();
    m_installation->releaseThreadConnection();
}

} // namespace hookline::api
