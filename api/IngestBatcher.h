#pragma once

#include "service/EventService.h"

#include <QObject>
#include <QTimer>
#include <functional>

namespace hookline::api {

// Group commit for POST /events: the requests that arrive while the server
// is busy are written together, in one transaction, once the event loop has
// read what the clients sent (a zero timer) or a group reaches kMaxEvents.
// A commit is most of an ingest's cost on SQLite; shared by a group, it is
// paid once. Each request still gets its own answer, and only after the
// commit that holds its events.
class IngestBatcher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestBatcher)
public:
    using Done = std::function<void(Result<EventService::Recorded>)>;
    static constexpr qsizetype kMaxEvents = 2000;

    IngestBatcher(EventService &service, QObject *parent = nullptr);
    ~IngestBatcher() override;

    void submit(EventService::Request request, Done done);
    // Writes and answers what waits now (before the server stops).
    void flush();

private:
    EventService &m_service;
    QList<EventService::Request> m_requests;
    QList<Done> m_done;
    qsizetype m_events = 0;
    QTimer m_timer;
};

} // namespace hookline::api
