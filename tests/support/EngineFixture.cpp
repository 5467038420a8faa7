#include "EngineFixture.h"

#include "TestLocation.h"

#include "model/EventType.h"
#include "service/CatalogService.h"
#include "service/EventService.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "store/Database.h"
#include "store/DeliveryStore.h"
#include "store/EventStore.h"

#include <QDebug>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

namespace hookline::test {

EngineFixture::EngineFixture()
{
    m_listening = m_receiver.listen();
    if (!m_listening)
        qWarning() << "the test receiver cannot listen on 127.0.0.1";
    m_location = databaseLocation(m_dir);
    auto opened = Database::open(m_location);
    if (!opened) {
        qWarning() << "cannot open the database:" << opened.error().message;
        return;
    }
    m_database = *opened;
    setting("allowInsecureUrls", "true");
    setting("allowPrivateAddresses", "true");
    CatalogService catalog(conn());
    for (const auto *name : {"lead.created", "lead.updated", "deal.won"}) {
        EventType t;
        t.name = QString::fromLatin1(name);
        t.group = EventType::groupOf(t.name);
        t.description = QStringLiteral("test type");
        t.samplePayload = QByteArrayLiteral("{}");
        t.catalog = QStringLiteral("custom");
        if (auto s = catalog.save(t); !s)
            qWarning() << "cannot add" << name << s.error().message;
    }
}

EngineFixture::~EngineFixture()
{
    m_engine.reset(); // stops and joins the engine's threads while the database and the clock are still there
}

EngineOptions EngineFixture::fastOptions()
{
    EngineOptions o;
    o.workers = 2;
    o.concurrency = 4;
    o.flushIntervalMs = 5;
    o.idlePollMs = 100;
    o.drainTimeoutMs = 1000;
    return o;
}

EngineOptions EngineFixture::serialOptions()
{
    auto o = fastOptions();
    o.workers = 1;
    o.concurrency = 1;
    return o;
}

bool EngineFixture::ok() const
{
    return m_listening && m_database != nullptr;
}

QSqlDatabase EngineFixture::conn() const
{
    return m_database->connection();
}

DeliveryEngine &EngineFixture::start(EngineOptions options)
{
    m_engine.reset();
    m_engine = std::make_unique<DeliveryEngine>(m_database, options);
    QObject::connect(m_engine.get(), &DeliveryEngine::failure, [](const QString &m) { qWarning() << "engine failure:" << m; });
    m_engine->start();
    return *m_engine;
}

bool EngineFixture::setting(const char *key, const char *value)
{
    auto s = Settings(conn()).setValue(QString::fromLatin1(key), QString::fromLatin1(value));
    if (!s)
        qWarning() << "setting" << key << s.error().message;
    return s.ok();
}

Webhook EngineFixture::draft(const QString &path, Scheme scheme) const
{
    return draftFor(m_receiver.url(path), scheme);
}

Webhook EngineFixture::draftFor(const QString &url, Scheme scheme)
{
    Webhook w;
    w.url = url;
    w.name = QStringLiteral("test");
    w.events = {QStringLiteral("lead.*")};
    w.scheme = scheme;
    w.retry.maxRetries = 3;
    w.retry.retryDelaySeconds = 0.05;
    w.retry.backoff = BackoffStrategy::Fixed;
    return w;
}

Result<Webhook> EngineFixture::create(const Webhook &w)
{
    return WebhookService(conn()).create(w);
}

Webhook EngineFixture::webhook(const QString &id) const
{
    auto w = WebhookService(conn()).get(id);
    return w ? *w : Webhook{};
}

QString EngineFixture::emitEvent(const QString &type, const QByteArray &data)
{
    auto e = EventService(conn()).emitEvent(QStringLiteral("default"), type, data);
    if (!e) {
        qWarning() << "emit:" << e.error().message;
        return {};
    }
    if (m_engine)
        m_engine->wake();
    return e->eventId;
}

QString EngineFixture::emitFor(const QString &webhookId)
{
    return deliveryId(emitEvent(), webhookId);
}

QString EngineFixture::deliveryId(const QString &eventId, const QString &webhookId) const
{
    QSqlQuery q(conn());
    q.prepare(QStringLiteral("SELECT id FROM deliveries WHERE event_id = ? AND webhook_id = ?"));
    q.addBindValue(eventId);
    q.addBindValue(webhookId);
    if (!q.exec() || !q.next())
        return {};
    return q.value(0).toString();
}

QByteArray EngineFixture::eventBody(const QString &eventId) const
{
    auto e = EventStore(conn()).find(eventId);
    return e && *e ? (*e)->body : QByteArray();
}

std::optional<Delivery> EngineFixture::delivery(const QString &id) const
{
    auto d = DeliveryStore(conn()).find(id);
    return d ? *d : std::nullopt;
}

DeliveryStatus EngineFixture::status(const QString &id) const
{
    const auto d = delivery(id);
    return d ? d->status : DeliveryStatus::Pending;
}

bool EngineFixture::isFinished(const QString &id) const
{
    const auto d = delivery(id);
    return d && isFinal(d->status);
}

QList<Attempt> EngineFixture::attempts(const QString &id) const
{
    auto a = DeliveryStore(conn()).attempts(id);
    return a ? *a : QList<Attempt>();
}

int EngineFixture::scalar(const QString &sql, const QVariantList &values) const
{
    QSqlQuery q(conn());
    q.prepare(sql);
    for (const auto &v : values)
        q.addBindValue(v);
    if (!q.exec() || !q.next()) {
        qWarning() << "query failed:" << sql << q.lastError().text();
        return -1;
    }
    return q.value(0).toInt();
}

bool EngineFixture::finish(const QStringList &ids, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            std::optional<QDateTime> next;
            for (const auto &id : ids) {
                const auto d = delivery(id);
                if (d && isFinal(d->status))
                    continue;
                // Pending or on the wire: the engine is working, time stays.
                if (!d || d->status != DeliveryStatus::Retrying || d->nextAttemptAt <= Clock::now())
                    return false;
                if (!next || d->nextAttemptAt < *next)
                    next = d->nextAttemptAt;
            }
            if (!next)
                return true;
            m_clock.advanceTo(*next);
            return false;
        },
        timeoutMs);
}

} // namespace hookline::test
