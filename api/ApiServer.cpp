#include "ApiServer.h"

#include "ApiLog.h"
#include "DirectSocketWrite.h"
#include "Routes.h"
#include "engine/DeliveryEngine.h"
#include "net/HttpStatusText.h"
#include "service/ApiKeyService.h"
#include "service/AuditLog.h"
#include "service/TenantService.h"
#include "util/Clock.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHttpServerRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

namespace hookline::api {

namespace {

// Plain connections get their guard the moment they are accepted, before
// the HTTP server connects its own reader.
class GuardedTcpServer final : public QTcpServer {
public:
    GuardedTcpServer(ConnectionGuard::Limits limits, ConnectionSweep &sweep, QObject *parent)
        : QTcpServer(parent)
        , m_limits(limits)
        , m_sweep(sweep)
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        // Unbuffered writes: an answer goes to the kernel at once instead of
        // through the write buffer and a write notifier turned on and off
        // for every response. (Reads stay buffered: Qt's HTTP server reads
        // in transactions.)
        if (!socket->setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState, QIODevice::ReadWrite | QIODevice::Unbuffered)) {
            delete socket;
            return;
        }
        new ConnectionGuard(socket, m_limits, m_sweep);
        addPendingConnection(socket);
    }

private:
    ConnectionGuard::Limits m_limits;
    ConnectionSweep &m_sweep;
};

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get: return "GET";
    case QHttpServerRequest::Method::Put: return "PUT";
    case QHttpServerRequest::Method::Delete: return "DELETE";
    case QHttpServerRequest::Method::Post: return "POST";
    case QHttpServerRequest::Method::Head: return "HEAD";
    case QHttpServerRequest::Method::Options: return "OPTIONS";
    case QHttpServerRequest::Method::Patch: return "PATCH";
    case QHttpServerRequest::Method::Connect: return "CONNECT";
    case QHttpServerRequest::Method::Trace: return "TRACE";
    default: return "UNKNOWN";
    }
}

QString keyOf(const ApiCall &call)
{
    const QByteArray authorization = call.header("authorization");
    if (authorization.size() > 7 && authorization.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return QString::fromLatin1(authorization.mid(7).trimmed());
    return QString::fromLatin1(call.header("x-api-key").trimmed());
}

} // namespace

ApiServer::ApiServer(std::shared_ptr<Installation> installation, DeliveryEngine *engine, QObject *parent)
    : QAbstractHttpServer(parent)
{
    m_context.installation = std::move(installation);
    m_context.engine = engine;
    if (engine)
        connect(engine, &DeliveryEngine::deliveriesUpdated, this, [this](const DeliveryUpdates &updates) { m_context.deliveries.record(updates); });
    addOperationRoutes(m_router, m_context);
    addWebhookRoutes(m_router, m_context);
    addDeliveryRoutes(m_router, m_context);
    addEventRoutes(m_router, m_context);
    addAdminRoutes(m_router, m_context);
}

ApiServer::~ApiServer()
{
    if (m_context.ingestBatcher)
        m_context.ingestBatcher->flush();
    // The listening servers own the client sockets, and those their guards,
    // which leave the sweep (a member) as they go: before the members do.
    qDeleteAll(servers());
}

Status ApiServer::useTls(const QString &certificateFile, const QString &keyFile)
{
    const auto read = [](const QString &path, const char *what) -> Result<QByteArray> {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return Error::validation(QString::fromLatin1(what), QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        return f.readAll();
    };
    auto cert = read(certificateFile, "--tls-cert");
    if (!cert)
        return cert.error();
    auto key = read(keyFile, "--tls-key");
    if (!key)
        return key.error();
    if (QSslCertificate::fromData(*cert, QSsl::Pem).isEmpty())
        return Error::validation(QStringLiteral("--tls-cert"), QStringLiteral("%1 holds no PEM certificate").arg(certificateFile));
    if (QSslKey(*key, QSsl::Rsa, QSsl::Pem).isNull() && QSslKey(*key, QSsl::Ec, QSsl::Pem).isNull())
        return Error::validation(QStringLiteral("--tls-key"), QStringLiteral("%1 holds no PEM private key (RSA or EC, unencrypted)").arg(keyFile));
    m_tls = true;
    m_tlsCertificate = *cert;
    m_tlsKey = *key;
    return Ok{};
}

Result<quint16> ApiServer::listen(const QHostAddress &address, quint16 port)
{
    QTcpServer *server = nullptr;
    if (m_tls) {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        const auto chain = QSslCertificate::fromData(m_tlsCertificate, QSsl::Pem);
        config.setLocalCertificate(chain.constFirst());
        config.setLocalCertificateChain(chain);
        QSslKey key(m_tlsKey, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(m_tlsKey, QSsl::Ec, QSsl::Pem);
        config.setPrivateKey(key);
        config.setProtocol(QSsl::TlsV1_2OrLater);
        auto *ssl = new QSslServer(this);
        ssl->setSslConfiguration(config);
        ssl->setHandshakeTimeout(m_limits.requestMs);
        connect(ssl, &QSslServer::startedEncryptionHandshake, this, [this](QSslSocket *socket) { new ConnectionGuard(socket, m_limits, m_sweep); });
        server = ssl;
    } else {
        server = new GuardedTcpServer(m_limits, m_sweep, this);
    }
    // Bursts of new connections (a load balancer, a benchmark) queue in the
    // kernel instead of being refused.
    server->setListenBacklogSize(1024);
    if (!server->listen(address, port)) {
        const auto why = server->errorString();
        delete server;
        return Error{Error::Code::Io, QStringLiteral("cannot listen on %1 port %2: %3").arg(address.toString()).arg(port).arg(why),
                     QStringLiteral("--listen")};
    }
    m_context.loopbackOnly = address.isLoopback();
    bind(server);
    return server->serverPort();
}

void ApiServer::stopListening()
{
    for (auto *server : servers())
        server->close();
    // Events waiting for their group commit are written and answered now.
    if (m_context.ingestBatcher)
        m_context.ingestBatcher->flush();
}

bool ApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto *guard = ConnectionGuard::of(socket);
    if (guard && guard->refused())
        return true; // answered already (413, 408)

    // What the answer needs once it is ready, now or after a group commit.
    auto pending = std::make_shared<PendingAnswer>();
    pending->timer.start();
    pending->socket = socket;
    pending->number = guard ? guard->reserveAnswer() : 0;

    ApiCall call;
    call.method = methodName(request.method());
    const QUrl url = request.url();
    call.path = url.path();
    if (url.hasQuery())
        call.query = QUrlQuery(url);
    call.headers = request.headers();
    call.body = request.body();
    pending->method = call.method;
    pending->path = call.path;
    pending->close = call.header("connection").compare("close", Qt::CaseInsensitive) == 0;
    call.respond = [this, pending](ApiReply reply) { complete(*pending, std::move(reply)); };

    ApiReply reply;
    try {
        reply = answer(call);
    } catch (const std::exception &e) {
        qCCritical(lcApi).noquote() << "handler failed:" << e.what();
        reply = ApiReply::fromError(Error{Error::Code::Internal, QString::fromUtf8(e.what()), {}});
    }
    pending->principal = call.principal;
    pending->headers = call.replyHeaders;
    if (guard)
        guard->requestDone();
    if (!reply.deferred)
        complete(*pending, std::move(reply));
    return true;
}

void ApiServer::complete(PendingAnswer &pending, ApiReply reply)
{
    reply.headers += pending.headers;
    const QByteArray bytes = serialize(reply, pending.close);
    if (pending.socket) {
        if (auto *guard = ConnectionGuard::of(pending.socket))
            guard->sendAnswer(pending.number, bytes, pending.close);
        else if (pending.socket->isOpen())
            DirectSocketWrite::write(pending.socket, bytes);
    }
    // Never the query string: it may carry a cursor or filter, not secrets, but
    // the rule is simple to keep. One string, built once: through a QDebug
    // stream this line cost more than routing the request.
    if (lcApi().isInfoEnabled()) {
        const auto orDash = [](const QString &text) { return text.isEmpty() ? QStringLiteral("-") : text; };
        const QString line = QString::fromLatin1(pending.method) + u' ' + pending.path + u' ' + QString::number(reply.status) + u' '
                             + QString::number(double(pending.timer.nsecsElapsed()) / 1e6, 'f', 1) + u"ms " + orDash(pending.principal.tenantId)
                             + u' ' + orDash(pending.principal.keyId);
        qCInfo(lcApi, "%ls", qUtf16Printable(line));
    }
}

void ApiServer::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    if (socket->isOpen())
        DirectSocketWrite::write(socket, serialize(ApiReply::notFound(QStringLiteral("no such resource")), false));
}

ApiReply ApiServer::answer(ApiCall &call)
{
    if (call.body.size() > m_limits.maxBodyBytes)
        return ApiReply::error(413, QStringLiteral("too_large"), QStringLiteral("the request body is over the 1 MB limit"));
    const auto match = m_router.match(call.method, call.path);
    if (!match.route) {
        if (match.allowed.isEmpty())
            return ApiReply::notFound(QStringLiteral("no such resource: %1").arg(call.path));
        return ApiReply::error(405, QStringLiteral("method_not_allowed"),
                               QStringLiteral("%1 is not allowed here; allowed: %2")
                                   .arg(QString::fromLatin1(call.method), QString::fromLatin1(match.allowed.join(", "))))
            .withHeader("Allow", match.allowed.join(", "));
    }
    call.params = match.params;

    const auto access = match.route->access;
    const bool keyNeeded
        = access == Router::Access::Key || access == Router::Access::Admin || (access == Router::Access::MetricsRule && !m_context.loopbackOnly);
    RateLimiter::Decision rate;
    if (keyNeeded) {
        bool ok = false;
        auto refusal = authenticate(call, &ok);
        if (!ok)
            return refusal;
        if (access == Router::Access::MetricsRule && !call.principal.admin)
            return ApiReply::notFound(QStringLiteral("no such resource: %1").arg(call.path));
        if (access == Router::Access::Admin && !call.principal.admin)
            return ApiReply::error(403, QStringLiteral("forbidden"),
                                   QStringLiteral("%1 %2 needs an admin key: it changes the whole installation, not one tenant")
                                       .arg(QString::fromLatin1(call.method), match.route->pattern));
        rate = m_rates.take(call.principal.keyId, call.principal.requestsPerMinute);
        if (!rate.allowed) {
            return ApiReply::error(
                       429, QStringLiteral("rate_limited"),
                       QStringLiteral("this key may make %1 requests a minute; try again in %2 s").arg(rate.limit).arg(rate.retryAfterSeconds))
                .withHeader("Retry-After", QByteArray::number(rate.retryAfterSeconds))
                .withHeader("X-RateLimit-Limit", QByteArray::number(rate.limit))
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", QByteArray::number(rate.resetSeconds));
        }
    }
    if (keyNeeded && rate.limit > 0) {
        call.replyHeaders = {{"X-RateLimit-Limit", QByteArray::number(rate.limit)},
                             {"X-RateLimit-Remaining", QByteArray::number(rate.remaining)},
                             {"X-RateLimit-Reset", QByteArray::number(rate.resetSeconds)}};
    }
    // Ingestion writes only events and deliveries; anything else may change
    // what they are checked against. Events that came first are written first.
    const bool changes = call.method != "GET" && match.route->pattern != u"/api/v1/events";
    if (changes && m_context.ingestBatcher)
        m_context.ingestBatcher->flush();
    ApiReply reply;
    {
        // Changes made for this request are audited as made by its key.
        std::optional<AuditLog::ActingAs> actor;
        if (!call.principal.keyId.isEmpty())
            actor.emplace(QStringLiteral("api key %1").arg(call.principal.keyId));
        reply = match.route->handler(call);
    }
    if (changes)
        m_context.changedThroughThisConnection();
    return reply;
}

ApiReply ApiServer::authenticate(ApiCall &call, bool *ok)
{
    *ok = false;
    const QString text = keyOf(call);
    if (text.isEmpty())
        return ApiReply::error(401, QStringLiteral("unauthorized"),
                               QStringLiteral("an API key is needed: Authorization: Bearer KEY or X-API-Key: KEY"))
            .withHeader("WWW-Authenticate", "Bearer");
    const qint64 now = Clock::monotonicMs();
    if (const auto it = m_knownKeys.constFind(text);
        it != m_knownKeys.cend() && it->generation == m_context.generation && now - it->checkedAtMs < kKnownKeyMs) {
        call.principal = it->principal;
        *ok = true;
        return {};
    }
    const auto db = m_context.db(); // after the known keys: finding the connection has a cost too
    auto key = ApiKeyService(db).authenticate(text);
    if (!key)
        return ApiReply::fromError(key.error());
    if (!*key)
        return ApiReply::error(401, QStringLiteral("unauthorized"), QStringLiteral("the API key is not valid (unknown or revoked)"))
            .withHeader("WWW-Authenticate", "Bearer");
    call.principal.keyId = (*key)->id;
    call.principal.admin = (*key)->admin;
    call.principal.tenantId = (*key)->admin ? Tenant::defaultId() : (*key)->tenantId;
    if (!call.principal.admin) {
        auto plan = TenantService(db).planOf(call.principal.tenantId);
        if (!plan)
            return ApiReply::fromError(plan.error());
        call.principal.requestsPerMinute = plan->requestsPerMinute.value_or(0); // 0: unlimited
    }
    if (m_knownKeys.size() >= 10000)
        m_knownKeys.clear();
    m_knownKeys.insert(text, {call.principal, m_context.generation, now});
    *ok = true;
    return {};
}

QByteArray ApiServer::serialize(const ApiReply &reply, bool close)
{
    // One buffer: the head and body leave in as few packets as they can.
    QByteArray out;
    out.reserve(reply.body.size() + 256);
    out += "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + HttpStatusText::reason(reply.status) + "\r\n";
    if (!reply.contentType.isEmpty())
        out += "Content-Type: " + reply.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
    for (const auto &[name, value] : reply.headers)
        out += name + ": " + value + "\r\n";
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n";
    out += reply.body;
    return out;
}

} // namespace hookline::api
