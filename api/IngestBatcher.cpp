#include "IngestBatcher.h"

#include "IngestWriter.h"

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
    // The writer is scheduled whenever something waits; a drain of our own,
    // queued behind it, returns once that has been written.
    QMetaObject::invokeMethod(m_writer, &IngestWriter::drain, Qt::BlockingQueuedConnection);
    {
        QMutexLocker lock(&m_mutex);
        m_flushing = false;
    }
    answerFinished();
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
