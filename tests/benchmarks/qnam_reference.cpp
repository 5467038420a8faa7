// hookline-qnam-reference: the transport's own limit, for tests/benchmarks/run.sh.
//
// What Hookline's delivery engine does on the wire, and nothing else: N
// threads, each with its own QNetworkAccessManager, post the given bodies with
// the headers Hookline sends (Content-Type, User-Agent, <P>-Event, <P>-Id,
// <P>-Delivery-Id, <P>-Timestamp, and the `standard` scheme's webhook-id,
// webhook-timestamp, webhook-signature computed per request by the same
// Signer::sign), with the same request attributes, keeping `concurrency`
// requests in flight per thread. No database, no history, no retry: the
// response is looked at for its status and thrown away.
//
//   hookline-qnam-reference --bodies FILE --url URL [--url URL ...] [--repeat N]
//                           [--threads N] [--concurrency N] [--ca FILE.pem]
//                           [--secret whsec_...] [--header-prefix X-Webhook]
//
// FILE holds one body a line (the envelopes Hookline stored for its events).
// Request i posts body (i / urls) % bodies to url i % urls, so --repeat R with
// U urls sends bodies x R requests, each body once to each url when R == U:
// what an event fanned out to U webhooks is. Prints one JSON line:
// {"requests", "succeeded", "failed", "seconds", "perSecond"}.
#include "signing/Signer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QThread>
#include <QUrl>

#include <atomic>
#include <cstdio>
#include <memory>
#include <vector>

using namespace hookline;

namespace {

struct Shared {
    QList<QByteArray> bodies;
    QList<QByteArray> eventTypes; // the "event" member of each body, for <P>-Event
    QList<QUrl> urls;
    QStringList secrets;
    QByteArray prefix;
    QSslConfiguration ssl;
    qint64 total = 0;
    std::atomic<qint64> next{0};
    std::atomic<qint64> succeeded{0};
    std::atomic<qint64> failed{0};
    std::atomic<int> firstErrorPrinted{0};
};

QByteArray eventTypeOf(const QByteArray &body)
{
    static const QByteArray key = QByteArrayLiteral("\"event\":\"");
    const auto at = body.indexOf(key);
    if (at < 0)
        return QByteArrayLiteral("unknown");
    const auto from = at + key.size();
    const auto to = body.indexOf('"', from);
    return to < 0 ? QByteArrayLiteral("unknown") : body.mid(from, to - from);
}

// Same shape as Hookline's ids (prefix + 22 characters).
QByteArray deliveryId(qint64 n)
{
    QByteArray digits = QByteArray::number(n, 36);
    return "msg_" + QByteArray(22 - std::min<qsizetype>(22, digits.size()), '0') + digits;
}

class Sender final : public QObject {
    Q_OBJECT

public:
    Sender(Shared *shared, int concurrency)
        : m_shared(shared)
        , m_concurrency(concurrency)
    {
    }

public Q_SLOTS:
    void start()
    {
        m_nam = new QNetworkAccessManager(this);
        m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        m_nam->setAutoDeleteReplies(false);
        connect(m_nam, &QNetworkAccessManager::finished, this, &Sender::finished);
        for (int i = 0; i < m_concurrency; ++i)
            sendNext();
        if (m_inFlight == 0)
            Q_EMIT done();
    }

Q_SIGNALS:
    void done();

private:
    void sendNext()
    {
        const qint64 i = m_shared->next.fetch_add(1);
        if (i >= m_shared->total)
            return;
        const auto nUrls = m_shared->urls.size();
        const auto &url = m_shared->urls.at(i % nUrls);
        const auto bodyIndex = (i / nUrls) % m_shared->bodies.size();
        const QByteArray &body = m_shared->bodies.at(bodyIndex);
        const auto now = QDateTime::currentDateTimeUtc();
        const qint64 timestamp = now.toSecsSinceEpoch();
        const QByteArray ts = QByteArray::number(timestamp);
        const QByteArray id = deliveryId(i);
        const QByteArray &prefix = m_shared->prefix;

        QNetworkRequest request(url);
        request.setRawHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json"));
        request.setRawHeader(QByteArrayLiteral("User-Agent"), QByteArrayLiteral("Hookline-Webhooks/" HOOKLINE_VERSION));
        request.setRawHeader(prefix + "-Event", m_shared->eventTypes.at(bodyIndex));
        request.setRawHeader(prefix + "-Id", QByteArrayLiteral("wh_00000000000000000000000"));
        request.setRawHeader(prefix + "-Delivery-Id", id);
        request.setRawHeader(prefix + "-Timestamp", ts);
        SignRequest sign;
        sign.messageId = id;
        sign.timestamp = timestamp;
        sign.body = body;
        sign.headerPrefix = prefix;
        const auto signature = Signer::sign(Scheme::Standard, m_shared->secrets, sign);
        if (!signature.ok()) {
            std::fprintf(stderr, "hookline-qnam-reference: signing failed: %s\n", qPrintable(signature.error));
            ::exit(2);
        }
        for (const auto &[name, value] : signature.headers)
            request.setRawHeader(name, value);
        // The attributes RequestBuilder sets on every delivery.
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
        request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
        request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
        request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
        request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
        if (url.scheme() == u"https")
            request.setSslConfiguration(m_shared->ssl);
        request.setTransferTimeout(10000);
        m_nam->post(request, body);
        ++m_inFlight;
    }

    void finished(QNetworkReply *reply)
    {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 200 && status < 300) {
            m_shared->succeeded.fetch_add(1);
        } else {
            m_shared->failed.fetch_add(1);
            if (m_shared->firstErrorPrinted.exchange(1) == 0)
                std::fprintf(stderr, "hookline-qnam-reference: first failure: HTTP %d %s\n", status, qPrintable(reply->errorString()));
        }
        reply->readAll();
        reply->deleteLater();
        --m_inFlight;
        sendNext();
        if (m_inFlight == 0)
            Q_EMIT done();
    }

    Shared *m_shared;
    int m_concurrency;
    int m_inFlight = 0;
    QNetworkAccessManager *m_nam = nullptr;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Posts signed bodies with one QNetworkAccessManager per thread: the transport's own limit."));
    p.addHelpOption();
    p.addOption({QStringLiteral("bodies"), QStringLiteral("File with one body a line."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("url"), QStringLiteral("Receiver URL (repeatable: requests go round them)."), QStringLiteral("URL")});
    p.addOption({QStringLiteral("repeat"), QStringLiteral("Requests per body (default: the number of urls)."), QStringLiteral("N")});
    p.addOption({QStringLiteral("threads"), QStringLiteral("Threads, each with its own QNetworkAccessManager (default 2)."), QStringLiteral("N"),
                 QStringLiteral("2")});
    p.addOption(
        {QStringLiteral("concurrency"), QStringLiteral("Requests in flight per thread (default 32)."), QStringLiteral("N"), QStringLiteral("32")});
    p.addOption({QStringLiteral("ca"), QStringLiteral("Extra CA certificates (PEM) to trust."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("secret"), QStringLiteral("Signing secret (whsec_...)."), QStringLiteral("SECRET"),
                 QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")});
    p.addOption(
        {QStringLiteral("header-prefix"), QStringLiteral("Header prefix (default X-Webhook)."), QStringLiteral("P"), QStringLiteral("X-Webhook")});
    p.process(app);

    const auto fail = [](const QString &why) {
        std::fprintf(stderr, "hookline-qnam-reference: %s\n", qPrintable(why));
        return 2;
    };
    if (!p.isSet(QStringLiteral("bodies")) || !p.isSet(QStringLiteral("url")))
        return fail(QStringLiteral("--bodies and --url are required"));

    Shared shared;
    QFile file(p.value(QStringLiteral("bodies")));
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1").arg(file.fileName()));
    for (const auto &line : file.readAll().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        shared.bodies << line;
        shared.eventTypes << eventTypeOf(line);
    }
    if (shared.bodies.isEmpty())
        return fail(QStringLiteral("no body in %1").arg(file.fileName()));
    for (const auto &u : p.values(QStringLiteral("url"))) {
        const QUrl url(u);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https"))
            return fail(QStringLiteral("bad url %1").arg(u));
        shared.urls << url;
    }
    bool ok = true;
    const int repeat = p.isSet(QStringLiteral("repeat")) ? p.value(QStringLiteral("repeat")).toInt(&ok) : int(shared.urls.size());
    const int threads = p.value(QStringLiteral("threads")).toInt();
    const int concurrency = p.value(QStringLiteral("concurrency")).toInt();
    if (!ok || repeat < 1 || threads < 1 || threads > 64 || concurrency < 1 || concurrency > 1024)
        return fail(QStringLiteral("--repeat, --threads and --concurrency take positive numbers"));
    shared.total = qint64(shared.bodies.size()) * repeat;
    shared.secrets = {p.value(QStringLiteral("secret"))};
    shared.prefix = p.value(QStringLiteral("header-prefix")).toUtf8();
    shared.ssl = QSslConfiguration::defaultConfiguration();
    if (p.isSet(QStringLiteral("ca")) && !shared.ssl.addCaCertificates(p.value(QStringLiteral("ca")), QSsl::Pem))
        return fail(QStringLiteral("no certificate could be read from %1").arg(p.value(QStringLiteral("ca"))));

    std::vector<std::unique_ptr<QThread>> threadList;
    std::vector<std::unique_ptr<Sender>> senders;
    int running = threads;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < threads; ++i) {
        auto thread = std::make_unique<QThread>();
        auto sender = std::make_unique<Sender>(&shared, concurrency);
        sender->moveToThread(thread.get());
        QObject::connect(thread.get(), &QThread::started, sender.get(), &Sender::start);
        QObject::connect(
            sender.get(), &Sender::done, &app,
            [&running] {
                if (--running == 0)
                    QCoreApplication::quit();
            },
            Qt::QueuedConnection);
        thread->start();
        threadList.push_back(std::move(thread));
        senders.push_back(std::move(sender));
    }
    QCoreApplication::exec();
    const double seconds = clock.nsecsElapsed() / 1e9;
    for (std::size_t i = 0; i < threadList.size(); ++i) {
        // The sender (and its QNetworkAccessManager) dies in its own thread.
        QMetaObject::invokeMethod(
            senders[i].get(), [s = senders[i].release()] { delete s; }, Qt::BlockingQueuedConnection);
        threadList[i]->quit();
        threadList[i]->wait();
    }
    const qint64 done = shared.succeeded + shared.failed;
    std::printf("{\"requests\":%lld,\"succeeded\":%lld,\"failed\":%lld,\"seconds\":%.3f,\"perSecond\":%.1f}\n", static_cast<long long>(done),
                static_cast<long long>(shared.succeeded.load()), static_cast<long long>(shared.failed.load()), seconds,
                seconds > 0 ? double(done) / seconds : 0.0);
    return shared.failed == 0 && done == shared.total ? 0 : 1;
}

#include "qnam_reference.moc"
