#include "IngestBatcher.h"

namespace hookline::api {

IngestBatcher::IngestBatcher(EventService &service, QObject *parent) : QObject(parent), m_service(service)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &IngestBatcher::flush);
}

IngestBatcher::~IngestBatcher()
{
    flush();
}

void IngestBatcher::submit(EventService::Request request, Done done)
{
    m_events += request.events.size();
    m_requests.append(std::move(request));
    m_done.append(std::move(done));
    if (m_events >= kMaxEvents)
        flush();
    else if (!m_timer.isActive())
        m_timer.start();
}

void IngestBatcher::flush()
{
    m_timer.stop();
    if (m_requests.isEmpty())
        return;
    const auto requests = std::exchange(m_requests, {});
    const auto done = std::exchange(m_done, {});
    m_events = 0;
    auto results = m_service.recordMany(requests);
    for (qsizetype i = 0; i < done.size(); ++i)
        done.at(i)(std::move(results[i]));
}

} // namespace hookline::api
