#pragma once

#include "ApiContext.h"
#include "ConnectionGuard.h"
#include "RateLimiter.h"
#include "Router.h"
#include "util/Result.h"

#include <QAbstractHttpServer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QPointer>
#include <QTcpSocket>
#include <memory>

namespace hookline::api {

// The REST API: routes, keys, tenants' limits and the request log over Qt's
// HTTP server. It runs on the thread that makes it (hookline-cli serve: the
// main thread); each handler runs to its end before the next request is
// read, so a request is never seen half-done by another.
class ApiServer final : public QAbstractHttpServer {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiServer)
public:
    ApiServer(std::shared_ptr<Installation> installation, DeliveryEngine *engine, QObject *parent = nullptr);
    ~ApiServer() override;

    // TLS for setups without a reverse proxy; before listen().
    Status useTls(const QString &certificateFile, const QString &keyFile);
    Result<quint16> listen(const QHostAddress &address, quint16 port);
    // Stops accepting connections; requests already read are answered.
    void stopListening();

    const Router &router() const { return m_router; }
    ApiContext &context() { return m_context; }
    void setGuardLimits(ConnectionGuard::Limits limits) { m_limits = limits; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    ApiReply answer(ApiCall &call);
    ApiReply authenticate(ApiCall &call, bool *ok);
    struct PendingAnswer {
        QPointer<QTcpSocket> socket;
        quint64 number = 0;
        QElapsedTimer timer;
        QByteArray method;
        QString path;
        bool close = false;
        Principal principal;
        QList<std::pair<QByteArray, QByteArray>> headers;
    };
    void complete(PendingAnswer &pending, ApiReply reply);
    static QByteArray serialize(const ApiReply &reply, bool close);

    // Keys that authenticated, by their text, with their tenant's plan: most
    // requests then need no database read to know who asks. Forgotten when
    // a request of this server changes keys, tenants or plans, and at the
    // latest after kKnownKeyMs: a key revoked by another process (the CLI,
    // the window) stops working within that time. (Every ingest commit
    // changes the database, so SQLite's data_version cannot tell.)
    struct KnownKey {
        Principal principal;
        quint64 generation = 0;
        qint64 checkedAtMs = 0;
    };
    static constexpr qint64 kKnownKeyMs = 1000;
    QHash<QString, KnownKey> m_knownKeys;

    ConnectionSweep m_sweep;
    ApiContext m_context;
    Router m_router;
    RateLimiter m_rates;
    ConnectionGuard::Limits m_limits;
    bool m_tls = false;
    QByteArray m_tlsCertificate;
    QByteArray m_tlsKey;
};

} // namespace hookline::api
