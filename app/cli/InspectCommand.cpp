// hookline-cli inspect: a loopback receiver that prints every request it
// gets, verifies it against a webhook's secrets, and answers as told.
#include "CliContext.h"
#include "Commands.h"
#include "StopSignals.h"

#include "net/Inspector.h"
#include "signing/SignatureDebugger.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace hookline::cli {

int inspectCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("listen"), QStringLiteral("Loopback address and port (default 127.0.0.1:8788; port 0 picks one)."),
                 QStringLiteral("HOST:PORT")});
    p.addOption({QStringLiteral("status"), QStringLiteral("Answer with this HTTP status (default 204)."), QStringLiteral("CODE")});
    p.addOption({QStringLiteral("delay"), QStringLiteral("Answer after this many milliseconds."), QStringLiteral("MS")});
    p.addOption({QStringLiteral("retry-after"), QStringLiteral("Send Retry-After: SECONDS with the answer."), QStringLiteral("SECONDS")});
    p.addOption({QStringLiteral("drop"), QStringLiteral("Drop each connection without an answer.")});
    p.addOption({QStringLiteral("webhook"), QStringLiteral("Verify each request with this webhook's secrets and scheme."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("secret"), QStringLiteral("Verify each request with this secret (repeatable)."), QStringLiteral("SECRET")});
    p.addOption({QStringLiteral("count"), QStringLiteral("Stop after this many requests."), QStringLiteral("N")});
    if (!ctx.parse(p, args,
                   QStringLiteral("inspect [--listen HOST:PORT] [--status CODE] [--delay MS] [--retry-after S] [--drop] [--webhook ID] [--count N]"),
                   QStringLiteral("Point a webhook at the address printed, then watch each delivery arrive: headers, body, and whether\n"
                                  "its signature verifies. --json prints one JSON object a line. Ctrl-C stops.")))
        return Usage;
    auto listen = listenAddress(p.isSet(QStringLiteral("listen")) ? p.value(QStringLiteral("listen")) : QStringLiteral("127.0.0.1:8788"),
                                QStringLiteral("--listen"), QHostAddress(QHostAddress::LocalHost));
    if (!listen)
        return ctx.fail(listen.error());
    InspectorAnswer answer;
    if (p.isSet(QStringLiteral("status"))) {
        auto status = intOption(p, QStringLiteral("status"), 100, 599);
        if (!status)
            return ctx.fail(status.error());
        answer.status = *status;
    }
    if (p.isSet(QStringLiteral("delay"))) {
        auto delay = intOption(p, QStringLiteral("delay"), 0, 600'000);
        if (!delay)
            return ctx.fail(delay.error());
        answer.delayMs = *delay;
    }
    if (p.isSet(QStringLiteral("retry-after"))) {
        auto after = intOption(p, QStringLiteral("retry-after"), 0, 86'400);
        if (!after)
            return ctx.fail(after.error());
        answer.retryAfterSeconds = *after;
    }
    answer.drop = p.isSet(QStringLiteral("drop"));
    int count = 0;
    if (p.isSet(QStringLiteral("count"))) {
        auto n = intOption(p, QStringLiteral("count"), 1, 1'000'000);
        if (!n)
            return ctx.fail(n.error());
        count = *n;
    }
    SignatureCase verify;
    verify.secrets = p.values(QStringLiteral("secret"));
    if (p.isSet(QStringLiteral("webhook"))) {
        const auto signing = webhookSigning(ctx, p.value(QStringLiteral("webhook")));
        if (!signing)
            return Failure;
        verify.secrets << signing->secrets;
        verify.scheme = signing->scheme;
        verify.headerPrefix = signing->headerPrefix;
    }

    Inspector inspector;
    inspector.setAnswer(answer);
    auto port = inspector.listen(listen->first, listen->second);
    if (!port)
        return ctx.fail(port.error());
    QObject::connect(&inspector, &Inspector::requestReceived, &inspector, [&](const InspectedRequest &r) {
        std::optional<SignatureDiagnosis> d;
        if (!verify.secrets.isEmpty()) {
            SignatureCase c = verify;
            c.headers = r.headers;
            c.body = r.body;
            d = SignatureDebugger::diagnose(c);
        }
        if (ctx.jsonOutput()) {
            QJsonObject headers;
            for (const auto &[name, value] : r.headers)
                headers.insert(QString::fromUtf8(name), QString::fromUtf8(value));
            QJsonObject o{{QStringLiteral("index"), r.index},
                          {QStringLiteral("receivedAt"), r.receivedAt.toString(Qt::ISODateWithMs)},
                          {QStringLiteral("method"), QString::fromUtf8(r.method)},
                          {QStringLiteral("target"), QString::fromUtf8(r.target)},
                          {QStringLiteral("headers"), headers},
                          {QStringLiteral("body"), QString::fromUtf8(r.body)},
                          {QStringLiteral("answeredStatus"), r.answeredStatus}};
            if (d) {
                QJsonArray findings;
                for (const auto &f : d->findings)
                    findings.append(f.message);
                o.insert(
                    QStringLiteral("signature"),
                    QJsonObject{{QStringLiteral("valid"), d->valid}, {QStringLiteral("reason"), d->reason}, {QStringLiteral("findings"), findings}});
            }
            ctx.print(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
        } else {
            QStringList out{QStringLiteral("#%1 %2 %3 at %4 from %5, answered %6")
                                .arg(r.index)
                                .arg(QString::fromUtf8(r.method), QString::fromUtf8(r.target), r.receivedAt.toString(Qt::ISODateWithMs), r.peer,
                                     r.answeredStatus ? QString::number(r.answeredStatus) : QStringLiteral("nothing (dropped)"))};
            for (const auto &[name, value] : r.headers)
                out << QStringLiteral("  %1: %2").arg(QString::fromUtf8(name), QString::fromUtf8(value));
            out << QStringLiteral("  body (%1 bytes): %2").arg(r.body.size()).arg(SignatureDebugger::visible(r.body.left(2000)));
            if (d) {
                out << QStringLiteral("  signature: %1").arg(d->valid ? QStringLiteral("VALID") : QStringLiteral("INVALID (%1)").arg(d->reason));
                for (const auto &f : d->findings)
                    out << QStringLiteral("  mistake: %1").arg(f.message) << QStringLiteral("  fix: %1").arg(f.fix);
            }
            ctx.print(out.join(u'\n'));
        }
        if (count > 0 && r.index >= count) // after the answer is written
            QTimer::singleShot(answer.delayMs + 100, qApp, &QCoreApplication::quit);
    });
    StopSignals signals_;
    QObject::connect(&signals_, &StopSignals::stopRequested, qApp, [](int) { QCoreApplication::quit(); });
    ctx.note(QStringLiteral("inspecting %1").arg(inspector.url()));
    QCoreApplication::exec();
    return Success;
}

} // namespace hookline::cli
