#pragma once

#include "service/EventService.h"
#include "service/Installation.h"

#include <QMutex>
#include <QObject>
#include <QThread>
#include <functional>
#include <memory>

namespace hookline::api {

class IngestWriter;

// Group commit for POST /events, on a thread of its own. The server thread
// reads requests and hands them over; the writer thread takes everything
// handed over since its last commit and writes it in one transaction
// (EventService::recordMany), with its own database connection. While it
// commits one group the next one gathers, so the groups grow with the load
// and the server thread never waits for the disk. Each request is answered
// on the server thread after the commit that holds its events.
//
// When a group starts: as soon as kGatherRequests wait, else when the
// server thread has read everything its sockets had ready (its event loop
// is about to wait again). A commit costs about the same for one request as
// for fifty, so the requests that arrive together are written together,
// and nothing sleeps to wait for them. If the writer was busy when the
// server thread had read everything, it goes on with what waits as soon as
// its commit ends: waiting for the server thread to answer the group first
// would leave the writer idle for as long as that takes.
class IngestBatcher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestBatcher)
public:
    using Done = std::function<void(Result<EventService::Recorded>)>;

    explicit IngestBatcher(std::shared_ptr<Installation> installation, QObject *parent = nullptr);
    ~IngestBatcher() override; // writes what waits, then stops the thread

    static constexpr qsizetype kGatherRequests = 32;

    void submit(EventService::Request request, Done done);
    // Waits until everything submitted so far is committed and answered:
    // before a change the ingested events were checked against, and at stop.
    void flush();
    // Requests handed over and not yet taken into a group.
    qsizetype waiting() const;

private:
    friend class IngestWriter;
    struct Item {
        EventService::Request request;
        Done done;
    };
    struct Finished {
        Done done;
        Result<EventService::Recorded> result;
    };
    void answerFinished();
    void startWriter(); // on the server thread, between two passes of its event loop

    QThread m_thread;
    IngestWriter *m_writer = nullptr;
    // Shared with the writer thread.
    mutable QMutex m_mutex;
    QList<Item> m_waiting;
    QList<Finished> m_finished;
    bool m_writerScheduled = false;
    bool m_gatherUntilIdle = true; // false: a group starts with every request
    bool m_flushing = false;       // flush() waits: no gathering
    bool m_readAll = false;        // the server thread read all it had while the writer was busy
    quint64 m_submitted = 0;
    quint64 m_written = 0;
};

} // namespace hookline::api
