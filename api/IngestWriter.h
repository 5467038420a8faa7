#pragma once

#include "service/EventService.h"
#include "service/Installation.h"

#include <QObject>
#include <memory>

namespace hookline::api {

class IngestBatcher;

// The thread side of IngestBatcher: owns the writer thread's EventService
// (its connection, caches and prepared statements) and commits groups.
class IngestWriter final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestWriter)
public:
    IngestWriter(IngestBatcher &batcher, std::shared_ptr<Installation> installation);
    ~IngestWriter() override;

    // Takes what waits and commits it; goes on while a full group waits
    // (or flush() waits), else the server thread starts the next one.
    void drain();
    // On the writer thread, before it ends.
    void release();

private:
    IngestBatcher &m_batcher;
    std::shared_ptr<Installation> m_installation;
    std::unique_ptr<EventService> m_service;
};

} // namespace hookline::api
