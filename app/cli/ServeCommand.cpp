#include "CliContext.h"
#include "Commands.h"
#include "ServiceManager.h"
#include "StopSignals.h"

#include "ApiServer.h"
#include "GatheredLogOutput.h"
#include "engine/DeliveryEngine.h"
#include "net/HostPort.h"

#include <QCoreApplication>
#include <QHostAddress>

#include <sys/resource.h>

namespace hookline::cli {

namespace {

// Every client connection is a file descriptor: the soft limit (often 1 024)
// is raised to the hard one, so a thousand idle clients do not lock out the rest.
void raiseFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

} // namespace

int serveCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("listen"), QStringLiteral("Address and port to listen on (default $HOOKLINE_LISTEN, else 127.0.0.1:8787)."),
                 QStringLiteral("HOST:PORT")});
    p.addOption({QStringLiteral("no-engine"), QStringLiteral("Serve the API only; another process delivers.")});
    addEngineOptions(p);
    p.addOption({QStringLiteral("tls-cert"), QStringLiteral("PEM certificate (chain) to serve HTTPS with."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("tls-key"), QStringLiteral("PEM private key of --tls-cert (unencrypted)."), QStringLiteral("FILE")});
    if (!ctx.parse(p, args, QStringLiteral("serve [--listen HOST:PORT] [--no-engine] [--workers N] [--tls-cert FILE --tls-key FILE]"),
                   QStringLiteral("Keys: hookline-cli apikey create. SIGTERM or Ctrl-C stops cleanly: no new connection is accepted,\n"
                                  "the requests already read are answered, and claimed deliveries go back to the queue.")))
        return Usage;
    // The systemd unit sets the address in its environment file.
    const QString fromEnvironment = qEnvironmentVariable("HOOKLINE_LISTEN");
    const bool fromOption = p.isSet(QStringLiteral("listen")) || fromEnvironment.isEmpty();
    auto listen = fromOption ? listenAddress(p.isSet(QStringLiteral("listen")) ? p.value(QStringLiteral("listen")) : QStringLiteral("127.0.0.1:8787"),
                                             QStringLiteral("--listen"))
                             : listenAddress(fromEnvironment, QStringLiteral("HOOKLINE_LISTEN"));
    if (!listen)
        return ctx.fail(listen.error());
    if (p.isSet(QStringLiteral("tls-cert")) != p.isSet(QStringLiteral("tls-key")))
        return ctx.usage(QStringLiteral("--tls-cert and --tls-key go together"));
    auto options = engineOptions(p);
    if (!options)
        return ctx.fail(options.error());
    auto installation = ctx.installation();
    if (!installation)
        return Failure;
    raiseFileLimit();
    // A request log line per request, written in groups off the answer path.
    api::GatheredLogOutput::install();
    // Never inside a group commit of the API or a commit of the engine.
    installation->checkpointInBackground();

    std::unique_ptr<DeliveryEngine> engine;
    if (!p.isSet(QStringLiteral("no-engine"))) {
        engine = std::make_unique<DeliveryEngine>(installation->database(), *options);
        QObject::connect(engine.get(), &DeliveryEngine::failure, [&](const QString &message) { ctx.fail(message); });
    }
    api::ApiServer server(installation, engine.get());
    if (p.isSet(QStringLiteral("tls-cert"))) {
        if (auto s = server.useTls(p.value(QStringLiteral("tls-cert")), p.value(QStringLiteral("tls-key"))); !s)
            return ctx.fail(s.error());
    }
    auto port = server.listen(listen->first, listen->second);
    if (!port)
        return ctx.fail(port.error());

    StopSignals signals_;
    QObject::connect(&signals_, &StopSignals::stopRequested, &server, [&](int) {
        // Requests are answered one at a time on this thread: none is half
        // answered here. What was accepted (202) is committed already.
        ServiceManager::notify(QByteArrayLiteral("STOPPING=1"));
        server.stopListening();
        if (engine)
            engine->stop();
        else
            QCoreApplication::quit();
    });
    if (engine) {
        QObject::connect(engine.get(), &DeliveryEngine::stopped, qApp, &QCoreApplication::quit);
        engine->start();
    }
    ctx.note(QStringLiteral("serving %1://%2/api/v1 (%3)")
                 .arg(p.isSet(QStringLiteral("tls-cert")) ? QStringLiteral("https") : QStringLiteral("http"), hostAndPort(listen->first, *port),
                      engine ? QStringLiteral("with the delivery engine") : QStringLiteral("without the engine")));
    // Listening and (unless --no-engine) delivering: a Type=notify unit is up.
    ServiceManager::notify(QByteArrayLiteral("READY=1"));
    QCoreApplication::exec();
    return Success;
}

} // namespace hookline::cli
