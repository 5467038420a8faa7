#pragma once

#include "service/Installation.h"

#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

namespace hookline {

// Runs service calls on a thread of its own (with its own connection) and
// hands the result back to the thread of `context`, so that a window never
// waits on the network or a locked database. Jobs run one after another, in
// order: the one executor every call of a window goes through.
class ServiceExecutor final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceExecutor)

public:
    explicit ServiceExecutor(std::shared_ptr<Installation> installation, QObject *parent = nullptr);
    ~ServiceExecutor() override;

    Installation &installation() const { return *m_installation; }

    // `job` runs on the executor's thread; `done` on context's thread, only
    // if context still exists by then.
    template <typename T>
    void run(std::function<T(QSqlDatabase)> job, QObject *context, std::function<void(T)> done)
    {
        QPointer<QObject> guard(context);
        auto installation = m_installation;
        QMetaObject::invokeMethod(
            m_worker,
            [job = std::move(job), done = std::move(done), guard, installation]() mutable {
                T result = job(installation->connection());
                if (!guard)
                    return;
                QMetaObject::invokeMethod(
                    guard.data(),
                    [guard, done = std::move(done), result = std::move(result)]() mutable {
                        if (guard)
                            done(std::move(result));
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }

    // Work with no answer (writes whose outcome nobody waits for).
    void post(std::function<void(QSqlDatabase)> job);

private:
    std::shared_ptr<Installation> m_installation;
    QThread m_thread;
    QObject *m_worker = nullptr;
};

} // namespace hookline
