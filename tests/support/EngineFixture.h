#pragma once

// What most engine tests start from: a loopback TestReceiver, a database of
// their own (SQLite, or a PostgreSQL schema under the postgres suites) with
// the test event types lead.created, lead.updated and deal.won and with
// http:// and private addresses allowed, a ManualClock that is the process's
// clock while the fixture lives, and a DeliveryEngine once start() is called.

#include "ManualClock.h"
#include "TestReceiver.h"

#include "engine/DeliveryEngine.h"
#include "model/Delivery.h"
#include "model/Webhook.h"
#include "signing/Scheme.h"
#include "util/Result.h"

#include <QSqlDatabase>
#include <QStringList>
#include <QTemporaryDir>
#include <QVariantList>

#include <memory>
#include <optional>

namespace hookline {
class Database;
}

namespace hookline::test {

class EngineFixture final {
    Q_DISABLE_COPY_MOVE(EngineFixture)

public:
    EngineFixture();
    ~EngineFixture(); // stops the engine before the database and the clock go

    // Two workers of four requests: quick, and still more than one of each.
    static EngineOptions fastOptions();
    // One worker, one request at a time: deliveries go out in order.
    static EngineOptions serialOptions();

    // The receiver listens and the database is open.
    bool ok() const;
    TestReceiver &receiver() { return m_receiver; }
    ManualClock &clock() { return m_clock; }
    const std::shared_ptr<Database> &database() const { return m_database; }
    // What Database::open was given: a SQLite file, or a PostgreSQL URL.
    QString location() const { return m_location; }
    QSqlDatabase conn() const;
    DeliveryEngine *engine() const { return m_engine.get(); }

    // Starts an engine (a running one is stopped first), logging its failures.
    DeliveryEngine &start(EngineOptions options = fastOptions());
    bool setting(const char *key, const char *value);

    // A webhook for lead.* to the receiver's `path`: three retries 50 ms apart.
    Webhook draft(const QString &path = QStringLiteral("/hook"), Scheme scheme = Scheme::Standard) const;
    // The same to any URL.
    static Webhook draftFor(const QString &url, Scheme scheme = Scheme::Standard);
    Result<Webhook> create(const Webhook &w);
    Webhook webhook(const QString &id) const;

    // Emits one event for tenant "default" and wakes the engine; its id, or
    // empty (with a warning).
    QString emitEvent(const QString &type = QStringLiteral("lead.created"), const QByteArray &data = QByteArrayLiteral(R"({"name":"Ada","n":1})"));
    // Emits one lead.created event; the id of its delivery to `webhookId`.
    QString emitFor(const QString &webhookId);
    QString deliveryId(const QString &eventId, const QString &webhookId) const;
    QByteArray eventBody(const QString &eventId) const;
    std::optional<Delivery> delivery(const QString &id) const;
    DeliveryStatus status(const QString &id) const; // Pending when there is none
    bool isFinished(const QString &id) const;
    QList<Attempt> attempts(const QString &id) const;
    int scalar(const QString &sql, const QVariantList &values = {}) const;

    // Waits until every delivery in `ids` is final. When all that are left
    // wait for a retry, the clock moves to the earliest one's due time, as
    // if that much time had passed; time never moves while one is on the wire.
    bool finish(const QStringList &ids, int timeoutMs = 5000);
    bool finish(const QString &id, int timeoutMs = 5000) { return finish(QStringList{id}, timeoutMs); }

private:
    ManualClock m_clock;
    QTemporaryDir m_dir;
    QString m_location;
    TestReceiver m_receiver;
    std::shared_ptr<Database> m_database;
    std::unique_ptr<DeliveryEngine> m_engine;
    bool m_listening = false;
};

// The error of a failed webhook creation, for a test's failure message.
inline QString lastError(const Result<Webhook> &r)
{
    return r ? QString() : r.error().message;
}

} // namespace hookline::test

// Creates a webhook or fails the test with the reason.
#define REQUIRE_WEBHOOK(var, expr) \
    const auto var##Result = (expr); \
    QVERIFY2(var##Result.ok(), qPrintable(hookline::test::lastError(var##Result))); \
    const hookline::Webhook var = *var##Result
