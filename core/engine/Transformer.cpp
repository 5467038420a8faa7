#include "Transformer.h"

#include "engine/SpreadRewriter.h"
#include "json/CanonicalJson.h"

#include <QJSEngine>
#include <QJSValue>

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

void Transformer::watchdogLoop()
{
    std::unique_lock lock(m_mutex);
    while (!m_quit) {
        if (!m_armed) {
            m_wake.wait(lock);
            continue;
        }
        if (m_wake.wait_until(lock, m_deadline) == std::cv_status::timeout && m_armed && std::chrono::steady_clock::now() >= m_deadline) {
            // QJSEngine::setInterrupted is the one call meant for another thread.
            if (m_running)
                m_running->setInterrupted(true);
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

    const auto payload = box->parse.call({QString::fromUtf8(envelope)});
    {
        std::lock_guard lock(m_mutex);
        m_running = &box->engine;
        // Real time, not Clock: the limit bounds a script's CPU, and a clock
        // moved by hand could not interrupt a script that is running.
        m_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        m_armed = true;
    }
    m_wake.notify_all();
    const auto result = box->function.call({payload});
    {
        std::lock_guard lock(m_mutex);
        m_armed = false;
        m_running = nullptr;
    }
    const bool interrupted = box->engine.isInterrupted();
    box->engine.setInterrupted(false);
    if (interrupted)
        return {{}, QStringLiteral("transformation: stopped after %1 ms (time limit)").arg(timeoutMs)};
    if (result.isError())
        return {{}, QStringLiteral("transformation: %1").arg(result.toString())};
    if (!result.isObject() || result.isArray())
        return {{}, QStringLiteral("transformation: must return an object, returned %1").arg(result.isUndefined() ? QStringLiteral("nothing") : result.toString().left(80))};
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
