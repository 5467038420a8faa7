#include "IngestBatcher.h"

#include "IngestWriter.h"

#include <QAbstractEventDispatcher>
#include <QMutexLocker>

namespace hookline::api {

IngestBatcher::IngestBatcher(std::shared_ptr<Installation> installation, QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("hookline-ingest"));
    m_writer = new IngestWriter(*this, std::move(installation));
    m_writer->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    m_thread.start();
    // Without an event loop to wait on (no dispatcher yet), every request
    // starts a group: nothing else would.
    if (auto *dispatcher = QAbstractEventDispatcher::instance(thread()))
        connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, &IngestBatcher::startWriter);
    else
        m_gatherUntilIdle = false;
}

IngestBatcher::~IngestBatcher()
{
    flush();
    QMetaObject::invokeMethod(m_writer, &IngestWriter::release, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void IngestBatcher::submit(EventService::Request request, Done done)
{
    bool schedule = false;
    {
        QMutexLocker lock(&m_mutex);
        m_waiting.append({std::move(request), std::move(done)});
        ++m_submitted;
        if (m_waiting.size() >= kGatherRequests || !m_gatherUntilIdle)
            schedule = !std::exchange(m_writerScheduled, true);
    }
    if (schedule)
        QMetaObject::invokeMethod(m_writer, &IngestWriter::drain, Qt::QueuedConnection);
}

void IngestBatcher::flush()
{
    quint64 target = 0;
    {
        QMutexLocker lock(&m_mutex);
        target = m_submitted;
        if (m_written == target && m_finished.isEmpty())
            return;
        m_flushing = true;
    }
    // A drain of our own, queued behind any the writer has, returns once
    // everything waiting has been written (m_flushing: whatever its size).
    QMetaObject::invokeMethod(m_writer, &IngestWriter::drain, Qt::BlockingQueuedConnection);
    {
        QMutexLocker lock(&m_mutex);
        m_flushing = false;
    }
    answerFinished();
}

qsizetype IngestBatcher::waiting() const
{
    QMutexLocker lock(&m_mutex);
    return m_waiting.size();
}

void IngestBatcher::startWriter()
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_waiting.isEmpty())
            return;
        if (m_writerScheduled) {
            // These will not grow by waiting: the writer takes them as soon
            // as its commit ends, not after this thread has answered it.
            m_readAll = true;
            return;
        }
        m_writerScheduled = true;
    }
    QMetaObject::invokeMethod(m_writer, &IngestWriter::drain, Qt::QueuedConnection);
}

void IngestBatcher::answerFinished()
{
    QList<Finished> finished;
    {
        QMutexLocker lock(&m_mutex);
        finished.swap(m_finished);
    }
    for (auto &f : finished)
        f.done(std::move(f.result));
}

} // namespace hookline::api
