#include "DeliveryWorker.h"

#include "engine/HostGuard.h"
#include "engine/OutcomeRules.h"
#include "engine/RequestBuilder.h"
#include "engine/Transformer.h"
#include "service/EventService.h"
#include "service/Settings.h"
#include "store/Database.h"
#include "store/Sql.h"
#include "store/WebhookStore.h"

#include <QDateTime>
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
constexpr qint64 kSettingsCacheMs = 5000;
constexpr qint64 kLeaseRecoveryIntervalMs = 5000;
constexpr int kPruneBatch = 1000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

struct DeliveryWorker::InFlight {
    DeliveryJob job;
    std::shared_ptr<const Webhook> webhook;
    bool forced = false;
    QDateTime startedAt;
    QElapsedTimer clock;
    QByteArray body;
    bool bodyIsEvent = true;
    QByteArray requestHeaders;
    QByteArray responseBody;
    qint64 responseBytes = 0;
    bool timedOut = false;
    bool oversized = false;
    QPointer<QNetworkReply> reply;
};

DeliveryWorker::DeliveryWorker(std::shared_ptr<Database> database, int index, EngineOptions options)
    : m_database(std::move(database))
    , m_index(index)
    , m_options(options)
{
}

DeliveryWorker::~DeliveryWorker() = default;

void DeliveryWorker::start()
{
    m_nam = new QNetworkAccessManager(this);
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_nam->setAutoDeleteReplies(false);
    m_guard = new HostGuard(this);
    m_transformer = std::make_unique<Transformer>();
    m_wakeTimer = new QTimer(this);
    m_wakeTimer->setSingleShot(true);
    m_wakeTimer->setTimerType(Qt::PreciseTimer);
    connect(m_wakeTimer, &QTimer::timeout, this, &DeliveryWorker::pump);
    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    connect(m_flushTimer, &QTimer::timeout, this, [this] {
        flush();
        maybeIdle();
    });
    connect(m_nam, &QNetworkAccessManager::finished, this, &DeliveryWorker::finished);
    // One timer for all deadlines: a single-shot timer per request outlives a
    // fast reply (Qt keeps it registered until it fires), and thousands of
    // them made every timer operation in the thread slow.
    m_deadlineTimer = new QTimer(this);
    m_deadlineTimer->setInterval(100);
    connect(m_deadlineTimer, &QTimer::timeout, this, &DeliveryWorker::enforceDeadlines);
    m_queue.emplace(m_database->connection());
    refreshInstallation();
    m_running = true;
    Q_EMIT started();
    pump();
}

void DeliveryWorker::refreshInstallation()
{
    const auto now = nowMs();
    if (now - m_installation.loadedAtMs < kSettingsCacheMs)
        return;
    const Settings settings(m_database->connection());
    m_installation.headerPrefix = settings.headerPrefix().toUtf8();
    m_installation.allowPrivate = settings.allowPrivateAddresses();
    m_installation.allowInsecure = settings.allowInsecureUrls();
    m_installation.timeoutMs = int(settings.requestTimeoutSeconds() * 1000);
    const auto caFile = settings.extraCaCertificates();
    if (m_installation.loadedAtMs == 0 || caFile != m_installation.caFile) {
        // Private CAs (and the tests' throw-away CA) on top of the system's.
        auto ssl = QSslConfiguration::defaultConfiguration();
        if (!caFile.isEmpty() && !ssl.addCaCertificates(caFile, QSsl::Pem))
            Q_EMIT failure(tr("extraCaCertificates: no certificate could be read from %1").arg(caFile));
        m_installation.ssl = ssl;
        m_installation.caFile = caFile;
    }
    m_installation.loadedAtMs = now;
}

std::shared_ptr<const Webhook> DeliveryWorker::webhook(const QString &id)
{
    const auto now = nowMs();
    auto it = m_webhooks.find(id);
    if (it != m_webhooks.end() && now - it->second < kWebhookCacheMs)
        return it->first;
    auto found = WebhookStore(m_database->connection()).find(id);
    if (!found || !*found) {
        m_webhooks.remove(id);
        return {};
    }
    auto w = std::make_shared<const Webhook>(std::move(**found));
    m_webhooks.insert(id, {w, now});
    return w;
}

void DeliveryWorker::forgetWebhook(const QString &webhookId)
{
    // Read afresh on its next delivery: a deactivated webhook must stop now,
    // not when the cache entry would have expired.
    m_webhooks.remove(webhookId);
}

void DeliveryWorker::wake()
{
    if (m_running && !m_stopping)
        schedulePump();
}

void DeliveryWorker::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        wake();
}

void DeliveryWorker::schedulePump()
{
    if (m_pumpScheduled)
        return;
    m_pumpScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_pumpScheduled = false;
        pump();
    });
}

void DeliveryWorker::pump()
{
    if (!m_running || m_stopping || m_paused || !m_options.claimDueDeliveries) {
        if (!m_options.claimDueDeliveries)
            flush();
        return;
    }
    const int busy = int(m_inFlight.size()) + m_preparing;
    const int free = m_options.concurrency - busy;
    // Claim in batches: wait until half the slots are free, unless idle. Each
    // claim is a write transaction (with the results so far): fewer, larger ones.
    if (free <= 0 || (busy > 0 && free < std::max(1, m_options.concurrency / 2)))
        return;
    refreshInstallation();

    auto db = m_database->connection();
    const auto now = QDateTime::currentDateTimeUtc();
    const auto leaseUntil = now.addMSecs(m_installation.timeoutMs + 60'000);
    QList<DeliveryJob> jobs;
    {
        QMutexLocker turn(&m_database->writeTurn());
        sql::Transaction tx(db);
        auto &queue = *m_queue;
        auto ok = tx.begin();
        // Results waiting to be written ride along with the claim: one
        // transaction instead of two.
        QStringList deactivated;
        if (ok && !m_results.isEmpty()) {
            auto recorded = queue.record(m_results, now);
            if (recorded)
                deactivated = *recorded;
            else
                ok = recorded.error();
        }
        if (ok && nowMs() - m_lastLeaseRecoveryMs > kLeaseRecoveryIntervalMs) {
            m_lastLeaseRecoveryMs = nowMs();
            if (auto r = queue.recoverExpiredLeases(now); !r)
                ok = r.error();
        }
        if (ok) {
            auto claimed = queue.claim(free, now, leaseUntil);
            if (claimed)
                jobs = std::move(*claimed);
            else
                ok = claimed.error();
        }
        if (ok)
            ok = tx.commit();
        if (!ok) {
            Q_EMIT failure(ok.error().message);
            jobs.clear();
            m_wakeTimer->start(250); // the database is busy or failing: try again shortly
            return;
        }
        if (!m_results.isEmpty()) {
            m_results.clear();
            for (const auto &[id, status] : std::as_const(m_finishedSignals))
                Q_EMIT deliveryFinished(id, status);
            m_finishedSignals.clear();
        }
        for (const auto &id : std::as_const(deactivated)) {
            forgetWebhook(id);
            Q_EMIT webhookDeactivated(id);
        }
    }
    m_drained = jobs.size() < free;
    for (const auto &job : std::as_const(jobs))
        dispatch(job, false);
    if (m_drained)
        armIdleTimer();
    prune();
    maybeIdle();
}

void DeliveryWorker::armIdleTimer()
{
    auto next = (*m_queue).nextDueTime();
    qint64 wait = m_options.idlePollMs;
    if (next && *next) {
        const auto until = QDateTime::currentDateTimeUtc().msecsTo(**next);
        wait = std::clamp<qint64>(until, 0, m_options.idlePollMs);
    }
    m_wakeTimer->start(int(wait));
}

void DeliveryWorker::deliverNow(const QString &deliveryId)
{
    refreshInstallation();
    auto db = m_database->connection();
    const auto leaseUntil = QDateTime::currentDateTimeUtc().addMSecs(m_installation.timeoutMs + 60'000);
    auto claimed = (*m_queue).claimOne(deliveryId, leaseUntil);
    if (!claimed || !*claimed) {
        Q_EMIT failure(claimed ? tr("delivery %1 is not there or is being delivered").arg(deliveryId) : claimed.error().message);
        Q_EMIT deliveryFinished(deliveryId, -1);
        return;
    }
    dispatch(**claimed, true);
}

void DeliveryWorker::dispatch(const DeliveryJob &job, bool forced)
{
    auto f = std::make_shared<InFlight>();
    f->job = job;
    f->forced = forced;
    f->webhook = webhook(job.webhookId);
    f->startedAt = QDateTime::currentDateTimeUtc();
    f->clock.start();
    f->body = job.body;

    if (!f->webhook) {
        return; // deleted meanwhile: its deliveries went with it
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
    const QUrl url(f->webhook->url);
    if (url.scheme() == u"http" && !m_installation.allowInsecure) {
        conclude(f, finalFailure(*f, QStringLiteral("refused: plain http:// while allowInsecureUrls is off")));
        return;
    }
    ++m_preparing;
    m_guard->check(url, m_installation.allowPrivate, [this, f](const QString &refusal, const QString &dnsError) {
        --m_preparing;
        if (m_stopping) {
            handBack(f->job.deliveryId);
            return;
        }
        if (!refusal.isEmpty()) {
            conclude(f, finalFailure(*f, refusal)); // a private address stays private: no retry
        } else if (!dnsError.isEmpty()) {
            conclude(f, decide(*f, std::nullopt, dnsError, {}));
        } else {
            send(f);
        }
    });
}

void DeliveryWorker::send(const std::shared_ptr<InFlight> &f)
{
    const auto now = QDateTime::currentDateTimeUtc();
    auto out = RequestBuilder::build(*f->webhook, f->job.deliveryId, f->job.eventType, f->body, now, m_installation.headerPrefix);
    f->requestHeaders = RequestBuilder::headersToJson(out.headers);
    if (!out.error.isEmpty()) {
        conclude(f, finalFailure(*f, QStringLiteral("signing failed: %1").arg(out.error)));
        return;
    }
    if (out.request.url().scheme() == u"https")
        out.request.setSslConfiguration(m_installation.ssl);
    // Qt's transfer timeout only fires after that long without data; the
    // deadline below bounds the whole request and fires first, so that the
    // attempt says "timed out" rather than "operation canceled".
    out.request.setTransferTimeout(m_installation.timeoutMs + 1000);
    f->startedAt = now;
    f->clock.restart();
    QNetworkReply *reply = m_nam->post(out.request, f->body);
    f->reply = reply;
    m_inFlight.insert(reply, f);
    if (!m_deadlineTimer->isActive())
        m_deadlineTimer->start();
    connect(reply, &QNetworkReply::readyRead, this, [f] {
        auto *r = f->reply.data();
        if (!r)
            return;
        const auto room = kMaxStoredResponseBody - f->responseBody.size();
        const auto chunk = r->readAll();
        f->responseBytes += chunk.size();
        if (room > 0)
            f->responseBody += chunk.left(room);
        if (f->responseBytes > kMaxResponseBytes) {
            f->oversized = true;
            r->abort();
        }
    });
}

void DeliveryWorker::enforceDeadlines()
{
    if (m_inFlight.isEmpty()) {
        m_deadlineTimer->stop();
        return;
    }
    const auto expired = [this](const std::shared_ptr<InFlight> &f) { return f->clock.elapsed() >= m_installation.timeoutMs; };
    QList<std::shared_ptr<InFlight>> late;
    for (const auto &f : std::as_const(m_inFlight)) {
        if (expired(f))
            late << f;
    }
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
    if (m_stopping && reply->error() == QNetworkReply::OperationCanceledError && !f->timedOut) {
        // Aborted by a stop that could not wait: the delivery goes back untouched.
        handBack(f->job.deliveryId);
        return;
    }
    if (!f->timedOut && !f->oversized && reply->isOpen() && f->responseBody.size() < kMaxStoredResponseBody)
        f->responseBody += reply->read(kMaxStoredResponseBody - f->responseBody.size());
    const auto statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    std::optional<int> status;
    if (statusAttr.isValid() && !f->timedOut && !f->oversized)
        status = statusAttr.toInt();
    QString error;
    if (f->timedOut)
        error = QStringLiteral("timed out after %1 s").arg(m_installation.timeoutMs / 1000.0);
    else if (f->oversized)
        error = QStringLiteral("response larger than %1 MB, aborted").arg(kMaxResponseBytes / (1024 * 1024));
    else if (!status && reply->error() == QNetworkReply::OperationCanceledError)
        error = QStringLiteral("timed out: no data for %1 s").arg(m_installation.timeoutMs / 1000.0 + 1);
    else if (!status)
        error = reply->errorString();
    auto outcome = decide(*f, status, error, reply->rawHeader("Retry-After"));
    QByteArray headers = "[";
    int n = 0;
    for (const auto &[name, value] : reply->rawHeaderPairs()) {
        if (n++ >= kMaxStoredHeaders)
            break;
        if (n > 1)
            headers += ',';
        headers += RequestBuilder::headersToJson({{name, value.left(8192)}}).mid(1).chopped(1);
    }
    headers += ']';
    outcome.attempt.responseHeaders = headers;
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
    o.attempt.durationMs = f.clock.isValid() ? f.clock.elapsed() : 0;
    o.attempt.requestHeaders = f.requestHeaders.isEmpty() ? QByteArrayLiteral("[]") : f.requestHeaders;
    if (!f.bodyIsEvent)
        o.attempt.requestBody = f.body; // stored only when it differs from the event's body
    o.attempt.responseStatus = status;
    o.attempt.error = error;
    if (status && error.isEmpty() && (*status < 200 || *status >= 300))
        o.attempt.error = QStringLiteral("HTTP %1").arg(*status);

    const auto now = QDateTime::currentDateTimeUtc();
    using Verdict = OutcomeRules::Verdict;
    using Effect = AttemptOutcome::WebhookEffect;
    const auto verdict = OutcomeRules::classify(status);
    const auto lastText = status ? QStringLiteral("HTTP %1").arg(*status) : error;
    const int threshold = f.webhook ? f.webhook->retry.autoDisableAfter : 0;
    switch (verdict) {
    case Verdict::Success:
        o.status = DeliveryStatus::Succeeded;
        o.effect = Effect::Succeeded;
        break;
    case Verdict::Gone:
        o.status = DeliveryStatus::Failed;
        o.effect = Effect::Gone;
        o.reason = QStringLiteral("the receiver answered 410 Gone");
        break;
    case Verdict::Fail:
        o.status = DeliveryStatus::Failed;
        o.effect = Effect::FailedFinally;
        break;
    case Verdict::Retry: {
        std::optional<QDateTime> next;
        if (f.webhook && !f.forced && retryable) {
            const auto after = OutcomeRules::retryAfterSeconds(retryAfter, now);
            next = OutcomeRules::nextAttempt(f.webhook->retry, f.job.attempts + 1 - f.job.retryBase, now, after,
                                             QRandomGenerator::global()->generateDouble());
        }
        if (next) {
            o.status = DeliveryStatus::Retrying;
            o.nextAttemptAt = *next;
        } else {
            o.status = DeliveryStatus::Failed;
            o.effect = Effect::FailedFinally;
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

void DeliveryWorker::conclude(const std::shared_ptr<InFlight> &f, AttemptOutcome outcome)
{
    if (isFinal(outcome.status) && !outcome.webhookId.isEmpty())
        m_toPrune.insert(outcome.webhookId);
    m_finishedSignals.append({outcome.deliveryId, int(outcome.status)});
    m_results.append(std::move(outcome));
    if (f->forced || m_results.size() >= m_options.flushBatch || m_stopping) {
        flush();
    } else if (!m_drained) {
        schedulePump(); // the claim writes the results too
    } else if (!m_flushTimer->isActive()) {
        m_flushTimer->start(m_options.flushIntervalMs);
    }
    maybeIdle();
}

bool DeliveryWorker::flush()
{
    if (m_results.isEmpty())
        return true;
    auto db = m_database->connection();
    QMutexLocker turn(&m_database->writeTurn());
    sql::Transaction tx(db);
    QStringList deactivated;
    auto ok = tx.begin();
    if (ok) {
        auto recorded = (*m_queue).record(m_results, QDateTime::currentDateTimeUtc());
        if (recorded)
            deactivated = *recorded;
        else
            ok = recorded.error();
    }
    if (ok)
        ok = tx.commit();
    if (!ok) {
        Q_EMIT failure(ok.error().message);
        if (!m_flushTimer->isActive())
            m_flushTimer->start(250); // keep the results and try again
        return false;
    }
    m_results.clear();
    const auto signals_ = std::exchange(m_finishedSignals, {});
    for (const auto &[id, status] : signals_)
        Q_EMIT deliveryFinished(id, status);
    for (const auto &id : std::as_const(deactivated)) {
        forgetWebhook(id);
        Q_EMIT webhookDeactivated(id);
    }
    return true;
}

void DeliveryWorker::prune()
{
    if (m_toPrune.isEmpty() || nowMs() - m_lastPruneMs < m_options.pruneIntervalMs)
        return;
    m_lastPruneMs = nowMs();
    auto db = m_database->connection();
    const int keepDefault = Settings(db).retention();
    const auto ids = std::exchange(m_toPrune, {});
    for (const auto &id : ids) {
        const auto w = webhook(id);
        if (!w)
            continue;
        QMutexLocker turn(&m_database->writeTurn());
        sql::Transaction tx(db);
        if (!tx.begin())
            continue;
        auto removed = (*m_queue).pruneWebhook(id, w->retention.value_or(keepDefault), kPruneBatch);
        if (removed && tx.commit() && *removed == kPruneBatch)
            m_toPrune.insert(id); // more to go: next round, so delivery is not stalled
    }
}

void DeliveryWorker::handBack(const QString &deliveryId)
{
    if (auto s = (*m_queue).handBack({deliveryId}, QDateTime::currentDateTimeUtc()); !s)
        Q_EMIT failure(s.error().message); // the lease runs out and the next start takes it again
    maybeIdle();
}

void DeliveryWorker::maybeIdle()
{
    if (m_stopping) {
        if (m_inFlight.isEmpty() && m_preparing == 0)
            finishStop();
        return;
    }
    if (m_drained && m_inFlight.isEmpty() && m_preparing == 0 && m_results.isEmpty())
        Q_EMIT idle();
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
    m_wakeTimer->stop();
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
    flush();
    m_running = false;
    m_flushTimer->stop();
    if (m_drainTimer)
        m_drainTimer->stop();
    m_transformer.reset();
    m_webhooks.clear();
    m_deadlineTimer->stop();
    m_queue.reset();
    m_database->releaseThreadConnection();
    Q_EMIT stopped();
}

} // namespace hookline
