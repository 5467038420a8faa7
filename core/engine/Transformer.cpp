#include "Transformer.h"

#include "engine/SpreadRewriter.h"
#include "json/CanonicalJson.h"

#include <QJSEngine>
#include <QJSValue>

#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

namespace hookline {

// One engine and what the host needs from it, taken before any script ran.
struct Transformer::Sandbox {
    QJSEngine engine;
    QJSValue function;
    QJSValue parse;
    QJSValue stringify;
};

Transformer::Transformer()
    : m_watchdog([this] { watchdogLoop(); })
{
}

Transformer::~Transformer()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_all();
    m_watchdog.join();
    qDeleteAll(m_sandboxes);
}

namespace {
// How often the watchdog looks at the memory while a script runs: what a
// script can allocate between two looks is what may pass the limit.
constexpr auto kMemoryPoll = std::chrono::milliseconds(2);

// The process's resident bytes (/proc/self/statm): one read, no allocation.
qint64 residentBytes()
{
    static const long page = sysconf(_SC_PAGESIZE);
    const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char text[128];
    const auto n = ::read(fd, text, sizeof text - 1);
    ::close(fd);
    if (n <= 0)
        return 0;
    text[n] = '\0';
    long size = 0;
    long resident = 0;
    if (std::sscanf(text, "%ld %ld", &size, &resident) != 2)
        return 0;
    return qint64(resident) * page;
}
} // namespace

void Transformer::watchdogLoop()
{
    std::unique_lock lock(m_mutex);
    while (!m_quit) {
        if (!m_armed) {
            m_wake.wait(lock);
            continue;
        }
        const auto now = std::chrono::steady_clock::now();
        m_wake.wait_until(lock, std::min(m_deadline, now + kMemoryPoll));
        if (!m_armed || m_quit)
            continue;
        Stop stop = Stop::None;
        if (std::chrono::steady_clock::now() >= m_deadline)
            stop = Stop::Time;
        else if (m_baselineRss > 0 && residentBytes() - m_baselineRss > kMaxMemoryBytes)
            stop = Stop::Memory;
        if (stop != Stop::None) {
            // QJSEngine::setInterrupted is the one call meant for another thread.
            if (m_running)
                m_running->setInterrupted(true);
            m_stopped = stop;
            m_armed = false;
        }
    }
}

namespace {
QString wrapped(const QString &rewritten)
{
    return QStringLiteral("(function (payload) {\n") + rewritten + QStringLiteral("\n})");
}

QString compileError(const QJSValue &value)
{
    return QStringLiteral("line %1: %2").arg(value.property(QStringLiteral("lineNumber")).toInt() - 1).arg(value.toString());
}
} // namespace

std::optional<QString> Transformer::check(const QString &script)
{
    QString error;
    const auto rewritten = SpreadRewriter::rewrite(script, &error);
    if (!rewritten)
        return QStringLiteral("cannot read the script: %1").arg(error);
    QJSEngine engine;
    const auto fn = engine.evaluate(wrapped(*rewritten));
    if (fn.isError())
        return compileError(fn);
    return std::nullopt;
}

Transformer::Sandbox *Transformer::sandbox(const QString &cacheKey, const QString &script, QString *error)
{
    if (auto *found = m_sandboxes.value(cacheKey))
        return found;
    const auto rewritten = SpreadRewriter::rewrite(script, error);
    if (!rewritten) {
        *error = QStringLiteral("cannot read the script: %1").arg(*error);
        return nullptr;
    }
    auto box = std::make_unique<Sandbox>();
    const auto json = box->engine.globalObject().property(QStringLiteral("JSON"));
    box->parse = json.property(QStringLiteral("parse"));
    box->stringify = json.property(QStringLiteral("stringify"));
    box->function = box->engine.evaluate(wrapped(*rewritten));
    if (box->function.isError()) {
        *error = compileError(box->function);
        return nullptr;
    }
    if (m_sandboxOrder.size() >= kMaxSandboxes)
        delete m_sandboxes.take(m_sandboxOrder.takeFirst());
    m_sandboxOrder.append(cacheKey);
    auto *raw = box.release();
    m_sandboxes.insert(cacheKey, raw);
    return raw;
}

Transformer::Output Transformer::apply(const QString &cacheKey, const QString &script, const QByteArray &envelope, int timeoutMs)
{
    QString error;
    auto *box = sandbox(cacheKey, script, &error);
    if (!box)
        return {{}, QStringLiteral("transformation: %1").arg(error)};

    QJSValue payload = box->parse.call({QString::fromUtf8(envelope)});
    {
        std::lock_guard lock(m_mutex);
        m_running = &box->engine;
        // Real time, not Clock: the limit bounds a script's CPU, and a clock
        // moved by hand could not interrupt a script that is running.
        m_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        m_baselineRss = residentBytes();
        m_stopped = Stop::None;
        m_armed = true;
    }
    m_wake.notify_all();
    QJSValue result = box->function.call({payload});
    Stop stopped = Stop::None;
    {
        std::lock_guard lock(m_mutex);
        m_armed = false;
        m_running = nullptr;
        stopped = m_stopped;
    }
    const bool interrupted = box->engine.isInterrupted();
    box->engine.setInterrupted(false);
    if (interrupted && stopped == Stop::Memory) {
        // What it allocated goes with its engine; the next run starts afresh.
        // Its values are let go first: they live in that engine's memory.
        result = QJSValue();
        payload = QJSValue();
        m_sandboxOrder.removeAll(cacheKey);
        delete m_sandboxes.take(cacheKey);
        return {{}, QStringLiteral("transformation: stopped after using more than %1 MB (memory limit)").arg(kMaxMemoryBytes / (1024 * 1024))};
    }
    if (interrupted)
        return {{}, QStringLiteral("transformation: stopped after %1 ms (time limit)").arg(timeoutMs)};
    if (result.isError())
        return {{}, QStringLiteral("transformation: %1").arg(result.toString())};
    if (!result.isObject() || result.isArray())
        return {{},
                QStringLiteral("transformation: must return an object, returned %1")
                    .arg(result.isUndefined() ? QStringLiteral("nothing") : result.toString().left(80))};
    const auto text = box->stringify.call({result});
    if (text.isError() || !text.isString())
        return {{}, QStringLiteral("transformation: the returned object cannot be serialised: %1").arg(text.toString())};
    JsonParseError parseError;
    auto canonical = CanonicalJson::canonicalize(text.toString().toUtf8(), &parseError);
    if (!canonical)
        return {{}, QStringLiteral("transformation: %1").arg(parseError.message)};
    return {*canonical, {}};
}

} // namespace hookline
