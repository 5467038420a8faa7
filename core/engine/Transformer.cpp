#include "Transformer.h"

#include "engine/SpreadRewriter.h"
#include "json/CanonicalJson.h"

#include <QJSEngine>
#include <QJSValue>

namespace hookline {

Transformer::Transformer()
    : m_engine(std::make_unique<QJSEngine>())
    , m_watchdog([this] { watchdogLoop(); })
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
    qDeleteAll(m_functions);
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
            m_engine->setInterrupted(true);
            m_armed = false;
        }
    }
}

QString Transformer::wrap(const QString &script, QString *error) const
{
    const auto rewritten = SpreadRewriter::rewrite(script, error);
    if (!rewritten)
        return {};
    return QStringLiteral("(function (payload) {\n") + *rewritten + QStringLiteral("\n})");
}

std::optional<QString> Transformer::check(const QString &script)
{
    QString error;
    const auto rewritten = SpreadRewriter::rewrite(script, &error);
    if (!rewritten)
        return QStringLiteral("cannot read the script: %1").arg(error);
    QJSEngine engine;
    const auto fn = engine.evaluate(QStringLiteral("(function (payload) {\n") + *rewritten + QStringLiteral("\n})"));
    if (fn.isError())
        return QStringLiteral("line %1: %2").arg(fn.property(QStringLiteral("lineNumber")).toInt() - 1).arg(fn.toString());
    return std::nullopt;
}

Transformer::Output Transformer::apply(const QString &cacheKey, const QString &script, const QByteArray &envelope, int timeoutMs)
{
    QJSValue *fn = m_functions.value(cacheKey);
    if (!fn) {
        QString error;
        const auto source = wrap(script, &error);
        if (source.isEmpty())
            return {{}, QStringLiteral("transformation: cannot read the script: %1").arg(error)};
        auto value = m_engine->evaluate(source);
        if (value.isError())
            return {{}, QStringLiteral("transformation: line %1: %2").arg(value.property(QStringLiteral("lineNumber")).toInt() - 1).arg(value.toString())};
        fn = new QJSValue(value);
        m_functions.insert(cacheKey, fn);
    }

    const auto json = m_engine->globalObject().property(QStringLiteral("JSON"));
    const auto payload = json.property(QStringLiteral("parse")).call({QString::fromUtf8(envelope)});
    {
        std::lock_guard lock(m_mutex);
        m_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        m_armed = true;
    }
    m_wake.notify_all();
    const auto result = fn->call({payload});
    {
        std::lock_guard lock(m_mutex);
        m_armed = false;
    }
    const bool interrupted = m_engine->isInterrupted();
    m_engine->setInterrupted(false);
    if (interrupted)
        return {{}, QStringLiteral("transformation: stopped after %1 ms (time limit)").arg(timeoutMs)};
    if (result.isError())
        return {{}, QStringLiteral("transformation: %1").arg(result.toString())};
    if (!result.isObject() || result.isArray())
        return {{}, QStringLiteral("transformation: must return an object, returned %1").arg(result.isUndefined() ? QStringLiteral("nothing") : result.toString().left(80))};
    const auto text = json.property(QStringLiteral("stringify")).call({result});
    if (text.isError() || !text.isString())
        return {{}, QStringLiteral("transformation: the returned object cannot be serialised: %1").arg(text.toString())};
    JsonParseError error;
    auto canonical = CanonicalJson::canonicalize(text.toString().toUtf8(), &error);
    if (!canonical)
        return {{}, QStringLiteral("transformation: %1").arg(error.message)};
    return {*canonical, {}};
}

} // namespace hookline
