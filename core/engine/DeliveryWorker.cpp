#include "DeliveryWorker.h"

#include "util/Clock.h"
#include "util/Log.h"

#include "engine/HostGuard.h"
#include "engine/OutcomeRules.h"
#include "engine/RequestBuilder.h"
#include "engine/Transformer.h"
#include "net/CaCertificates.h"
#include "net/HostPort.h"
#include "net/TlsErrors.h"
#include "service/EventService.h"
#include "service/Settings.h"
#include "store/Database.h"
#include "store/WebhookStore.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QTimer>

namespace hookline {

namespace {
constexpr qsizetype kMaxStoredResponseBody = 64 * 1024;
constexpr qint64 kMaxResponseBytes = 8 * 1024 * 1024; // read past 64 KB only to keep the connection; abort beyond
constexpr int kMaxStoredHeaders = 100;
constexpr qint64 kWebhookCacheMs = 1000;

// What the reply holds now. QIODevice::readAll() sizes its buffer at 16 KB
// before it knows there is nothing to read (most receivers answer with an
// empty body), and a block of that size makes glibc sweep its small free
// chunks first: one such sweep a delivery showed in the workers' profile.
QByteArray readAvailable(QNetworkReply &reply)
{
    const qint64 n = reply.bytesAvailable();
    return n > 0 ? reply.read(n) : QByteArray();
}
} // namespace

struct DeliveryWorker::InFlight {
    DeliveryJob job;
    std::shared_ptr<const Webhook> webhook;
    QUrl url;
    bool forced = false;
    QDateTime startedAt;
    qint64 clockStartMs = 0; // Clock::monotonicMs() when dispatched, then when sent
    QByteArray body;
    bool bodyIsEvent = true;
    QByteArray requestHeaders;
    QByteArray responseBody;
    qint64 responseBytes = 0;
    bool timedOut = false;
    bool oversized = false;
    bool slowLane = false;
    bool waitingReported = false; // requestWaiting() was said for it
    bool holdsSlot = false;       // counted in busy()
    QList<QSslError> tlsErrors;   // every error of a failed handshake
    QHostAddress address;         // the one HostGuard checked: the request goes there
    QPointer<QNetworkReply> reply;
    // The steps of the request, in Clock::monotonicMs(); -1: not (yet) seen.
    qint64 lookupStartMs = -1;
    qint64 lookupMs = -1;
    qint64 connectAtMs = -1;   // socketStartedConnecting: a new connection (none when one is reused)
    qint64 tlsAtMs = -1;       // encrypted: the handshake is done
    qint64 firstByteAtMs = -1; // the first readyRead: the head and the start of the body (none for an empty body)
};

// {"dns": the lookup's own time, before the request; then the steps since the
// request started: "connect" (a new connection began), "tls" (handshake
// done), "firstByte" (the response began to arrive), "total"}. A step that
// did not happen, or that Qt did not report, is left out.
QByteArray DeliveryWorker::timingsOf(const InFlight &f, qint64 totalMs)
{
    QByteArray out = "{";
    const auto add = [&out](const char *name, qint64 ms) {
        if (ms < 0)
            return;
        if (out.size() > 1)
            out += ',';
        out += '"';
        out += name;
        out += "\":";
        out += QByteArray::number(ms);
    };
    const auto since = [&f](qint64 at) { return at < 0 ? -1 : std::max<qint64>(0, at - f.clockStartMs); };
    add("dns", f.lookupMs);
    add("connect", since(f.connectAtMs));
    add("tls", since(f.tlsAtMs));
    add("firstByte", since(f.firstByteAtMs));
    add("total", totalMs);
    out += '}';
    return out;
}

DeliveryWorker::DeliveryWorker(std::shared_ptr<Database> database, int index, EngineOptions options)
    : m_database(std::move(database))
    , m_index(index)
    , m_options(options)
    , m_pacer(options.concurrency, options.claimAhead, options.readyHoldMs)
{
}

DeliveryWorker::~DeliveryWorker() = default;

void DeliveryWorker::start()
{
    m_nam = newNetworkManager();
    m_guard = new HostGuard(this);
    m_transformer = std::make_unique<Transformer>();
    // One timer for all deadlines: a single-shot timer per request outlives a
    // fast reply (Qt keeps it registered until it fires), and thousands of
    // them made every timer operation in the thread slow.
    m_deadlineTimer = new QTimer(this);
    m_deadlineTimer->setInterval(100);
    connect(m_deadlineTimer, &QTimer::timeout, this, &DeliveryWorker::enforceDeadlines);
    // A clock moved by hand (the tests') may have passed a deadline between two sweeps.
    if (auto *clock = Clock::installed())
        connect(clock, &Clock::moved, this, &DeliveryWorker::enforceDeadlines);
    refreshInstallation();
    m_running = true;
    Q_EMIT started();
    topUp();
}

QNetworkAccessManager *DeliveryWorker::slowLane()
{
    // Made the first time a receiver is slow: most engines never need it,
    // and each manager runs a thread of its own.
    if (!m_slowNam)
        m_slowNam = newNetworkManager();
    return m_slowNam;
}

QNetworkAccessManager *DeliveryWorker::newNetworkManager()
{
    auto *nam = new QNetworkAccessManager(this);
    nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy); // redirects are never followed
    nam->setAutoDeleteReplies(false);
    connect(nam, &QNetworkAccessManager::finished, this, &DeliveryWorker::finished);
    // The manager passes on every reply's TLS signals (it listens to them
    // anyway): two connections per manager instead of two per request.
    connect(nam, &QNetworkAccessManager::sslErrors, this, [this](QNetworkReply *reply, const QList<QSslError> &errors) {
        // Qt's error text names only the first; the attempt keeps them all.
        if (auto it = m_inFlight.constFind(reply); it != m_inFlight.cend())
            (*it)->tlsErrors = errors;
    });
    connect(nam, &QNetworkAccessManager::encrypted, this, [this](QNetworkReply *reply) {
        if (auto it = m_inFlight.constFind(reply); it != m_inFlight.cend())
            (*it)->tlsAtMs = Clock::monotonicMs(); // the handshake is done (a new connection only)
    });
    return nam;
}

void DeliveryWorker::refreshInstallation()
{
    const auto now = Clock::monotonicMs();
    if (m_installation.loadedAtMs && now - *m_installation.loadedAtMs < m_options.settingsRefreshMs)
        return;
    const Settings settings(m_database->connection());
    m_installation.headerPrefix = settings.headerPrefix().toUtf8();
    m_installation.allowPrivate = settings.allowPrivateAddresses();
    m_installation.allowInsecure = settings.allowInsecureUrls();
    m_installation.timeoutMs = int(settings.requestTimeoutSeconds() * 1000);
    m_installation.slowAfterMs = qint64(settings.slowAnswerSeconds() * 1000);
    const auto caFile = settings.extraCaCertificates();
    if (!m_installation.loadedAtMs || caFile != m_installation.caFile) {
        // Private CAs (and the tests' throw-away CA) on top of the system's.
        // Verification stays on: a custom CA is the only way to trust a
        // private certificate, and nothing ignores TLS errors.
        auto ssl = QSslConfiguration::defaultConfiguration();
        ssl.setProtocol(QSsl::TlsV1_2OrLater);
        ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
        if (!caFile.isEmpty()) {
            // Checked when it was set; the file may have changed since.
            if (auto read = CaCertificates::read(caFile))
                ssl.addCaCertificates(*read);
            else
                Q_EMIT failure(tr("extraCaCertificates: %1").arg(read.error().message));
        }
        m_installation.ssl = ssl;
        m_installation.caFile = caFile;
    }
    m_installation.loadedAtMs = now;
}

const DeliveryWorker::CachedWebhook *DeliveryWorker::webhook(const QString &id)
{
    const auto now = Clock::monotonicMs();
    auto it = m_webhooks.find(id);
    if (it != m_webhooks.end() && now - it->readAtMs < kWebhookCacheMs)
        return &*it;
    auto found = WebhookStore(m_database->connection()).find(id);
    if (!found || !*found) {
        m_webhooks.remove(id);
        return nullptr;
    }
    // Decrypted once per read; wiped when the last request using it is done
    // and the cache has let it go (a changed webhook, the engine's stop).
    std::shared_ptr<const Webhook> w(new Webhook(std::move(**found)), [](const Webhook *p) {
        auto *owned = const_cast<Webhook *>(p);
        owned->wipeSecrets();
        delete owned;
    });
    const QUrl url(w->url);
    return &*m_webhooks.insert(id, {std::move(w), url, now});
}

void DeliveryWorker::forgetWebhook(const QString &webhookId)
{
    // Read afresh on its next delivery: a deactivated webhook must stop now,
    // not when the cache entry would have expired.
    m_webhooks.remove(webhookId);
}

void DeliveryWorker::setPaused(bool paused)
{
    m_paused = paused;
    if (paused)
        handBackReady(); // nothing new goes out while paused; what is on the wire finishes
    else
        topUp();
}

void DeliveryWorker::topUp()
{
    if (!m_running || m_stopping || m_paused)
        return;
    if (m_inFlight.isEmpty() && m_preparing == 0 && m_ready.empty())
        m_pacer.idle();
    const int want = m_pacer.wanted(busy(), int(m_ready.size()), m_requested, Clock::monotonicMs());
    if (want == 0)
        return;
    m_requested += want;
    Q_EMIT workWanted(m_index, want);
}

void DeliveryWorker::accept(const QList<DeliveryJob> &jobs, bool forced)
{
    if (!forced)
        m_requested = std::max(0, m_requested - int(jobs.size()));
    if (!m_running || m_stopping || (m_paused && !forced)) {
        QStringList ids;
        for (const auto &j : jobs)
            ids << j.deliveryId;
        handBack(ids);
        return;
    }
    // Settings changed meanwhile (header prefix, timeout, allowed addresses)
    // apply to the next requests; read again at most every settingsRefreshMs.
    refreshInstallation();
    if (forced) {
        for (const auto &j : jobs)
            dispatch(j, true); // a test ping does not queue behind the backlog
    } else {
        const auto now = Clock::monotonicMs();
        for (const auto &j : jobs) {
            m_readySlow += j.slowLane ? 1 : 0;
            m_ready.push_back({j, now});
        }
        if (!m_deadlineTimer->isActive())
            m_deadlineTimer->start(); // its sweep sends back what waits too long
    }
    dispatchReady();
}

void DeliveryWorker::dispatchReady()
{
    if (m_dispatching)
        return; // a dispatch that concluded at once: the loop below goes on
    m_dispatching = true;
    std::deque<Ready> held;
    // Slow-lane jobs need no slot: one waiting behind a full worker would
    // hold its webhook's share for nothing.
    while (!m_ready.empty() && !m_stopping && !m_paused && (busy() < m_options.concurrency || m_readySlow > 0)) {
        Ready ready = std::move(m_ready.front());
        m_ready.pop_front();
        const auto &job = ready.job;
        if (m_awaiting.contains(job.webhookId) || (!job.slowLane && busy() >= m_options.concurrency)) {
            held.push_back(std::move(ready));
            continue;
        }
        if (job.slowLane)
            --m_readySlow;
        m_pacer.started(Clock::monotonicMs());
        dispatch(job, false);
    }
    m_ready.insert(m_ready.begin(), std::make_move_iterator(held.begin()), std::make_move_iterator(held.end()));
    m_dispatching = false;
    topUp();
}

void DeliveryWorker::dispatch(const DeliveryJob &job, bool forced)
{
    auto f = std::make_shared<InFlight>();
    f->job = job;
    f->forced = forced;
    if (const auto *cached = webhook(job.webhookId)) {
        f->webhook = cached->webhook;
        f->url = cached->url;
    }
    f->startedAt = Clock::now();
    f->clockStartMs = Clock::monotonicMs();
    f->body = job.body;
    f->slowLane = job.slowLane && !forced;

    if (!f->webhook) {
        handBack({job.deliveryId}); // deleted meanwhile: its deliveries went with it
        return;
    }
    if (!f->webhook->active && !forced) {
        // Deactivated after the event was emitted: nothing is sent. A replay
        // sends it once the webhook is active again.
        AttemptOutcome outcome;
        outcome.deliveryId = job.deliveryId;
        outcome.webhookId = job.webhookId;
        outcome.attempted = false;
        outcome.status = DeliveryStatus::Failed;
        outcome.attempt.error = QStringLiteral("not sent: the webhook is inactive");
        outcome.effect = AttemptOutcome::WebhookEffect::Inactive;
        conclude(f, outcome);
        return;
    }
    if (!f->webhook->transform.isEmpty()) {
        const QString key = f->webhook->id + QString::number(f->webhook->updatedAt.toMSecsSinceEpoch());
        const auto out = m_transformer->apply(key, f->webhook->transform, job.body);
        // A script gives the same result every time: no retry.
        if (!out.ok()) {
            conclude(f, finalFailure(*f, out.error));
            return;
        }
        if (out.body.size() > EventService::kMaxBodyBytes) {
            conclude(f, finalFailure(*f, QStringLiteral("transformation: the result is over the 1 MB limit")));
            return;
        }
        f->body = out.body;
        f->bodyIsEvent = false;
    }
    const QUrl &url = f->url;
    // An inspector copy goes to the window's loopback inspector, whatever the settings.
    const bool inspector = f->webhook->isInspectorCopy();
    if (url.scheme() == u"http" && !m_installation.allowInsecure && !inspector) {
        conclude(f, finalFailure(*f, QStringLiteral("refused: plain http:// while allowInsecureUrls is off")));
        return;
    }
    ++m_preparing;
    f->lookupStartMs = Clock::monotonicMs();
    m_guard->check(url, m_installation.allowPrivate || inspector,
                   [this, f](const QString &refusal, const QString &dnsError, const QHostAddress &address) {
                       --m_preparing;
                       f->lookupMs = Clock::monotonicMs() - f->lookupStartMs;
                       if (m_stopping) {
                           handBack({f->job.deliveryId});
                           maybeFinishStop();
                           return;
                       }
                       if (!refusal.isEmpty()) {
                           qCWarning(lcNet).noquote() << "delivery" << f->job.deliveryId << "to webhook" << f->job.webhookId << "refused:" << refusal;
                           conclude(f, finalFailure(*f, refusal)); // a private address stays private: no retry
                       } else if (!dnsError.isEmpty()) {
                           conclude(f, decide(*f, std::nullopt, dnsError, {}));
                       } else {
                           f->address = address;
                           send(f);
                       }
                   });
}

void DeliveryWorker::send(const std::shared_ptr<InFlight> &f)
{
    const auto now = Clock::now();
    auto out = RequestBuilder::build(*f->webhook, f->url, f->job.deliveryId, f->job.eventType, f->body, now, m_installation.headerPrefix);
    f->requestHeaders = RequestBuilder::headersToJson(out.headers);
    if (!out.error.isEmpty()) {
        conclude(f, finalFailure(*f, QStringLiteral("signing failed: %1").arg(out.error)));
        return;
    }
    if (f->url.scheme() == u"https")
        out.request.setSslConfiguration(m_installation.ssl);
    pinToAddress(out.request, *f);
    // Qt's transfer timeout only fires after that long without data; the
    // deadline below bounds the whole request and fires first, so that the
    // attempt says "timed out" rather than "operation canceled".
    out.request.setTransferTimeout(m_installation.timeoutMs + 1000);
    f->startedAt = now;
    f->clockStartMs = Clock::monotonicMs();
    QNetworkReply *reply = (f->slowLane ? slowLane() : m_nam)->post(out.request, f->body);
    f->reply = reply;
    m_inFlight.insert(reply, f);
    f->holdsSlot = !f->slowLane;
    if (f->holdsSlot)
        ++m_holdingSlots;
    if (!m_deadlineTimer->isActive())
        m_deadlineTimer->start();
    // The steps Qt tells of, for the attempt's timings: a new connection (its
    // handshake comes through the manager, see newNetworkManager; the first
    // byte is noted in readyRead). Two connections per request: with
    // requestSent and metaDataChanged too, the delivery benchmark ran about
    // 3 % slower (one run of 3, within this host's noise), and they told
    // little more.
    connect(reply, &QNetworkReply::socketStartedConnecting, this, [f] { f->connectAtMs = Clock::monotonicMs(); });
    connect(reply, &QNetworkReply::readyRead, this, [f] {
        auto *r = f->reply.data();
        if (!r)
            return;
        if (f->firstByteAtMs < 0)
            f->firstByteAtMs = Clock::monotonicMs();
        const auto room = kMaxStoredResponseBody - f->responseBody.size();
        const auto chunk = readAvailable(*r);
        f->responseBytes += chunk.size();
        if (room > 0)
            f->responseBody += chunk.left(room);
        if (f->responseBytes > kMaxResponseBytes) {
            f->oversized = true;
            r->abort();
        }
    });
}

void DeliveryWorker::pinToAddress(QNetworkRequest &request, const InFlight &f)
{
    // A name goes to the address HostGuard checked, not to a second lookup
    // of Qt's: the URL's host becomes that address, the Host header keeps
    // the name (with the port when it is not the scheme's), and TLS checks
    // the certificate against the name (and sends it as SNI). Connections
    // are kept alive per address, so a reused one is a checked one too.
    const QString name = f.url.host();
    if (f.address.isNull() || !QHostAddress(name).isNull())
        return;
    QUrl target = f.url;
    target.setHost(f.address.toString());
    request.setUrl(target);
    const int port = f.url.port(-1);
    const bool defaultPort = port == -1 || (f.url.scheme() == u"https" && port == 443) || (f.url.scheme() == u"http" && port == 80);
    request.setRawHeader("Host", (defaultPort ? name : name + u':' + QString::number(port)).toUtf8());
    if (f.url.scheme() == u"https") {
        request.setPeerVerifyName(name);
        // Qt 6.4 takes HTTP/2's :authority from the URL and drops the Host
        // header: the receiver would be asked for the address, not its name,
        // and virtual hosts (CDNs) refuse that. HTTP/1.1 sends the name.
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    }
}

void DeliveryWorker::enforceDeadlines()
{
    handBackOverdue();
    if (m_inFlight.isEmpty()) {
        if (m_ready.empty())
            m_deadlineTimer->stop();
        return;
    }
    const auto now = Clock::monotonicMs();
    const auto expired = [this, now](const std::shared_ptr<InFlight> &f) { return now - f->clockStartMs >= m_installation.timeoutMs; };
    QList<std::shared_ptr<InFlight>> late;
    QSet<QString> waiting;
    for (const auto &f : std::as_const(m_inFlight)) {
        if (expired(f))
            late << f;
        else if (!f->slowLane && !f->waitingReported && now - f->clockStartMs >= m_installation.slowAfterMs && f->reply
                 && !f->reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid()) {
            f->waitingReported = true;
            waiting.insert(f->job.webhookId);
            // Its slot goes to the next job: a receiver that does not answer
            // costs its webhook's share, not this worker's capacity.
            if (f->holdsSlot) {
                f->holdsSlot = false;
                --m_holdingSlots;
            }
        }
    }
    for (const auto &id : std::as_const(waiting))
        Q_EMIT requestWaiting(id);
    if (!waiting.isEmpty())
        dispatchReady();
    for (const auto &f : std::as_const(late)) {
        if (f->reply && f->reply->isRunning()) {
            f->timedOut = true;
            f->reply->abort(); // finished() follows, synchronously
        }
    }
}

void DeliveryWorker::finished(QNetworkReply *reply)
{
    reply->deleteLater();
    const auto f = m_inFlight.take(reply);
    if (!f)
        return;
    if (f->holdsSlot)
        --m_holdingSlots;
    if (m_stopping && reply->error() == QNetworkReply::OperationCanceledError && !f->timedOut && !f->oversized) {
        // Aborted by a stop that could not wait: the delivery goes back untouched.
        handBack({f->job.deliveryId});
        maybeFinishStop();
        return;
    }
    if (!f->timedOut && !f->oversized && reply->isOpen()) {
        const auto rest = readAvailable(*reply);
        f->responseBytes += rest.size();
        const auto room = kMaxStoredResponseBody - f->responseBody.size();
        if (room > 0)
            f->responseBody += rest.left(room);
    }
    // An answer past the cap keeps its status: a receiver that accepted the
    // delivery with a large body accepted it, and sending it again would
    // deliver it twice.
    const auto statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    std::optional<int> status;
    if (statusAttr.isValid() && !f->timedOut)
        status = statusAttr.toInt();
    QString error;
    if (f->timedOut)
        error = QStringLiteral("timed out after %1 s").arg(m_installation.timeoutMs / 1000.0);
    else if (f->oversized && !status)
        error = QStringLiteral("response larger than %1 MB, aborted").arg(kMaxResponseBytes / (1024 * 1024));
    else if (!status && reply->error() == QNetworkReply::OperationCanceledError)
        error = QStringLiteral("timed out: no data for %1 s").arg(m_installation.timeoutMs / 1000.0 + 1);
    else if (!status && !f->tlsErrors.isEmpty())
        error = TlsErrors::describe(f->tlsErrors, f->url.host());
    else if (!status)
        error = reply->errorString();
    auto outcome = decide(*f, status, error, reply->rawHeader("Retry-After"));
    outcome.timedOut = !status && (f->timedOut || reply->error() == QNetworkReply::OperationCanceledError);
    // What the answer lacked or carried too much of: noted on the attempt,
    // never a change of verdict.
    if (status) {
        QString note;
        const auto declared = reply->header(QNetworkRequest::ContentLengthHeader);
        if (f->oversized)
            note = QStringLiteral("response body over %1 MB: reading stopped there, the first 64 KB are kept").arg(kMaxResponseBytes / (1024 * 1024));
        else if (declared.isValid() && f->responseBytes < declared.toLongLong())
            note = QStringLiteral("the response ended after %1 of its declared %2 bytes").arg(f->responseBytes).arg(declared.toLongLong());
        else if (f->responseBytes > kMaxStoredResponseBody)
            note = QStringLiteral("response body of %1 bytes: the first 64 KB are kept").arg(f->responseBytes);
        if (!note.isEmpty())
            outcome.attempt.error = outcome.attempt.error.isEmpty() ? note : outcome.attempt.error + QStringLiteral("; ") + note;
    }
    HeaderList headers = reply->rawHeaderPairs();
    if (headers.size() > kMaxStoredHeaders)
        headers.resize(kMaxStoredHeaders);
    for (auto &header : headers) {
        if (header.second.size() > 8192)
            header.second.truncate(8192);
    }
    outcome.attempt.responseHeaders = RequestBuilder::headersToJson(headers);
    outcome.attempt.responseBody = f->responseBody;
    conclude(f, outcome);
}

AttemptOutcome DeliveryWorker::finalFailure(const InFlight &f, const QString &error) const
{
    return decide(f, std::nullopt, error, {}, false);
}

AttemptOutcome DeliveryWorker::decide(const InFlight &f, std::optional<int> status, const QString &error, const QByteArray &retryAfter,
                                      bool retryable) const
{
    AttemptOutcome o;
    o.deliveryId = f.job.deliveryId;
    o.webhookId = f.job.webhookId;
    o.attempt.deliveryId = f.job.deliveryId;
    o.attempt.number = f.job.attempts + 1;
    o.attempt.startedAt = f.startedAt;
    o.attempt.durationMs = Clock::monotonicMs() - f.clockStartMs;
    o.attempt.requestHeaders = f.requestHeaders.isEmpty() ? QByteArrayLiteral("[]") : f.requestHeaders;
    if (!f.bodyIsEvent)
        o.attempt.requestBody = f.body; // stored only when it differs from the event's body
    o.attempt.responseStatus = status;
    o.attempt.error = error;
    if (!f.address.isNull()) // it went out (or was about to)
        o.attempt.remoteAddress = hostAndPort(f.address, quint16(f.url.port(f.url.scheme() == u"https" ? 443 : 80)));
    o.attempt.timings = timingsOf(f, o.attempt.durationMs);
    if (status && error.isEmpty() && (*status < 200 || *status >= 300))
        o.attempt.error = QStringLiteral("HTTP %1").arg(*status);

    const auto now = Clock::now();
    using Verdict = OutcomeRules::Verdict;
    using Effect = AttemptOutcome::WebhookEffect;
    const auto verdict = OutcomeRules::classify(status);
    const auto lastText = status ? QStringLiteral("HTTP %1").arg(*status) : error;
    const int threshold = f.webhook ? f.webhook->retry.autoDisableAfter : 0;
    switch (verdict) {
    case Verdict::Success:
        o.status = DeliveryStatus::Succeeded;
        o.effect = Effect::Succeeded;
        o.attempt.decision = QStringLiteral("delivered");
        break;
    case Verdict::Gone:
        o.status = DeliveryStatus::Failed;
        o.effect = Effect::Gone;
        o.reason = QStringLiteral("the receiver answered 410 Gone");
        o.attempt.decision = QStringLiteral("given up: 410 Gone means the receiver is gone for good; the webhook is deactivated");
        break;
    case Verdict::Fail:
        o.status = DeliveryStatus::Failed;
        o.effect = Effect::FailedFinally;
        o.attempt.decision = status && *status >= 300 && *status < 400
                                 ? QStringLiteral("given up: redirects are never followed (HTTP %1); point the webhook at the final URL").arg(*status)
                                 : QStringLiteral("given up: HTTP %1 is not retried (only 408, 429, 5xx and failures to connect or answer are)")
                                       .arg(status.value_or(0));
        break;
    case Verdict::Retry: {
        std::optional<QDateTime> next;
        std::optional<double> after;
        const int attemptsInRound = f.job.attempts + 1 - f.job.retryBase;
        if (f.webhook && !f.forced && retryable) {
            after = OutcomeRules::retryAfterSeconds(retryAfter, now);
            next = OutcomeRules::nextAttempt(f.webhook->retry, attemptsInRound, now, after, QRandomGenerator::global()->generateDouble());
        }
        if (next) {
            o.status = DeliveryStatus::Retrying;
            o.nextAttemptAt = *next;
            const auto in = QString::number(double(now.msecsTo(*next)) / 1000.0, 'g', 4);
            o.attempt.decision
                = QStringLiteral("retry %1 of %2 at %3, in %4 s: %5")
                      .arg(attemptsInRound)
                      .arg(f.webhook->retry.retryCount())
                      .arg(next->toString(Qt::ISODateWithMs), in,
                           after ? QStringLiteral("the receiver's Retry-After asked for it") : f.webhook->retry.describeDelay(attemptsInRound));
        } else {
            o.status = DeliveryStatus::Failed;
            o.effect = Effect::FailedFinally;
            o.attempt.decision
                = f.forced     ? QStringLiteral("not retried: a test ping is sent once")
                  : !retryable ? QStringLiteral("given up: it would fail the same way on every attempt")
                               : QStringLiteral("given up: the %1 retries of its policy are used").arg(f.webhook ? f.webhook->retry.retryCount() : 0);
        }
        break;
    }
    }
    if (o.effect == Effect::FailedFinally)
        o.reason = QStringLiteral("%1 deliveries in a row failed (last: %2)").arg(threshold).arg(lastText);
    if (f.forced && o.effect != Effect::Gone)
        o.effect = Effect::None; // a test ping says nothing about the webhook's health
    return o;
}

void DeliveryWorker::recorded(const QStringList &failedWebhooks, const QStringList &deactivated)
{
    for (const auto &id : failedWebhooks) {
        auto it = m_awaiting.find(id);
        if (it != m_awaiting.end() && --*it <= 0)
            m_awaiting.erase(it);
    }
    for (const auto &id : deactivated)
        forgetWebhook(id); // its held deliveries now read it inactive
    dispatchReady();
}

void DeliveryWorker::conclude(const std::shared_ptr<InFlight> &f, AttemptOutcome outcome)
{
    using Effect = AttemptOutcome::WebhookEffect;
    if (outcome.effect == Effect::FailedFinally || outcome.effect == Effect::Gone)
        ++m_awaiting[outcome.webhookId];
    m_results.append(std::move(outcome));
    if (f->forced) {
        m_urgent = true;
        ship(); // someone is waiting for this one
    } else {
        scheduleShip();
    }
    dispatchReady();
    maybeFinishStop();
}

void DeliveryWorker::scheduleShip()
{
    // Once per turn of the event loop: every attempt that finished in this
    // turn goes to the keeper in one queued call.
    if (m_shipScheduled)
        return;
    m_shipScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_shipScheduled = false;
        ship();
    });
}

void DeliveryWorker::ship()
{
    if (m_results.isEmpty())
        return;
    const auto results = std::exchange(m_results, {});
    Q_EMIT attemptsFinished(m_index, results, std::exchange(m_urgent, false));
}

void DeliveryWorker::handBack(const QStringList &deliveryIds)
{
    if (deliveryIds.isEmpty())
        return;
    Q_EMIT handedBack(deliveryIds);
}

void DeliveryWorker::handBackReady()
{
    QStringList ids;
    for (const auto &r : m_ready)
        ids << r.job.deliveryId;
    m_ready.clear();
    m_readySlow = 0;
    handBack(ids);
}

void DeliveryWorker::handBackOverdue()
{
    // Only jobs that wait for a slot: one waiting for its webhook's failure
    // to be committed (m_awaiting) starts within a transaction or two.
    if (m_ready.empty() || busy() < m_options.concurrency)
        return;
    const auto now = Clock::monotonicMs();
    QStringList ids;
    std::erase_if(m_ready, [&](const Ready &r) {
        if (r.job.slowLane || m_awaiting.contains(r.job.webhookId) || !m_pacer.overdue(r.sinceMs, now))
            return false;
        ids << r.job.deliveryId;
        return true;
    });
    if (ids.isEmpty())
        return;
    m_pacer.stalled(now);
    handBack(ids);
}

void DeliveryWorker::maybeFinishStop()
{
    if (m_stopping && m_inFlight.isEmpty() && m_preparing == 0)
        finishStop();
}

void DeliveryWorker::stop()
{
    if (!m_running) {
        Q_EMIT stopped();
        return;
    }
    if (m_stopping)
        return;
    m_stopping = true;
    handBackReady();
    if (m_inFlight.isEmpty() && m_preparing == 0) {
        finishStop();
        return;
    }
    // Requests in flight may finish for a while; then they are aborted and
    // their deliveries handed back.
    m_drainTimer = new QTimer(this);
    m_drainTimer->setSingleShot(true);
    connect(m_drainTimer, &QTimer::timeout, this, [this] {
        const auto replies = m_inFlight.keys();
        for (auto *r : replies)
            r->abort();
    });
    m_drainTimer->start(m_options.drainTimeoutMs);
}

void DeliveryWorker::finishStop()
{
    if (!m_running)
        return;
    ship(); // queued to the keeper before stopped() reaches the engine, which then finishes the keeper
    m_running = false;
    if (m_drainTimer)
        m_drainTimer->stop();
    m_transformer.reset();
    m_webhooks.clear();
    m_deadlineTimer->stop();
    m_database->releaseThreadConnection();
    Q_EMIT stopped();
}

} // namespace hookline
