#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

class QJSEngine;
class QJSValue;

namespace hookline {

// Runs a webhook's transformation: the body of a JavaScript
// function of `payload` (the parsed envelope) whose return value is sent,
// canonicalised like any body. One engine per worker thread; the script sees
// only the ECMAScript built-ins (no files, no network, no Qt objects), and a
// watchdog interrupts it after the time limit, or as soon as the process has
// grown by kMaxMemoryBytes while it runs (a script that allocates without end
// would otherwise take gigabytes within its 100 ms); the engine that ran it
// is dropped then, and its memory with it. Each script version gets an
// engine of its own, so that one webhook's script cannot change the globals
// (JSON.parse, Object, …) another webhook's script runs with.
class Transformer final {
public:
    Transformer();
    ~Transformer();
    Q_DISABLE_COPY_MOVE(Transformer)

    struct Output {
        QByteArray body; // canonical JSON
        QString error;   // the script's error, a time-out, or a bad return value
        bool ok() const { return error.isEmpty(); }
    };

    // `cacheKey` identifies this version of the script (webhook id + update time).
    Output apply(const QString &cacheKey, const QString &script, const QByteArray &envelope, int timeoutMs = kDefaultTimeoutMs);

    // Compiles the script without running it: nullopt when it compiles, else why not.
    static std::optional<QString> check(const QString &script);

    static constexpr int kDefaultTimeoutMs = 100;
    static constexpr qint64 kMaxMemoryBytes = 64 * 1024 * 1024;

private:
    struct Sandbox;
    void watchdogLoop();
    Sandbox *sandbox(const QString &cacheKey, const QString &script, QString *error);

    QHash<QString, Sandbox *> m_sandboxes;
    QList<QString> m_sandboxOrder;  // least recently created first
    QJSEngine *m_running = nullptr; // the engine the watchdog may interrupt
    static constexpr int kMaxSandboxes = 32;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_quit = false;
    bool m_armed = false;
    enum class Stop { None, Time, Memory };
    Stop m_stopped = Stop::None;
    qint64 m_baselineRss = 0; // the process's resident bytes when the script started
    std::chrono::steady_clock::time_point m_deadline;
    std::thread m_watchdog;
};

} // namespace hookline
