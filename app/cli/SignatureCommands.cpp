#include "CliContext.h"
#include "Commands.h"

#include "signing/ReceiverSnippets.h"
#include "signing/SchemeDescriptor.h"
#include "signing/SignatureDebugger.h"
#include "signing/Signer.h"
#include "signing/Verifier.h"
#include "util/Ids.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>

namespace hookline::cli {

namespace {
void addBodyOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("body"), QStringLiteral("The body, as given."), QStringLiteral("TEXT")});
    p.addOption({QStringLiteral("body-file"), QStringLiteral("Read the body from FILE (- for standard input)."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("prefix"), QStringLiteral("Header prefix <P> (default X-Webhook)."), QStringLiteral("P")});
}

Result<Scheme> schemeOption(const QCommandLineParser &p)
{
    const auto name = p.value(QStringLiteral("scheme"));
    const auto scheme = schemeFromName(name);
    if (!scheme)
        return Error::validation(QStringLiteral("--scheme"),
                                 QStringLiteral("\"%1\" is not one of %2").arg(name, schemeNames().join(QStringLiteral(", "))));
    return *scheme;
}

QByteArray prefixOption(const QCommandLineParser &p)
{
    return p.isSet(QStringLiteral("prefix")) ? p.value(QStringLiteral("prefix")).toUtf8() : QByteArrayLiteral("X-Webhook");
}

// Every scheme with its one-line help, for --help: the name, then the help
// wrapped to 79 columns beside it.
QString schemeNotes()
{
    constexpr qsizetype kWidth = 79;
    qsizetype nameWidth = 0;
    for (const SchemeDescriptor &d : SchemeDescriptor::all())
        nameWidth = std::max(nameWidth, d.name.size());
    const QString indent(2 + nameWidth + 2, u' ');
    QStringList lines{QStringLiteral("Signing schemes (--scheme S):")};
    for (const SchemeDescriptor &d : SchemeDescriptor::all()) {
        QString line = QStringLiteral("  ") + d.name.toString().leftJustified(nameWidth + 2);
        bool first = true;
        for (const QString &word : QString::fromLatin1(d.help).split(u' ')) {
            if (!first && line.size() + 1 + word.size() > kWidth) {
                lines.append(line);
                line = indent;
                first = true;
            }
            line += (first ? QString() : QStringLiteral(" ")) + word;
            first = false;
        }
        lines.append(line);
    }
    return lines.join(u'\n');
}
} // namespace

int signCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("scheme"), QStringLiteral("Signing scheme: %1.").arg(schemeNames().join(QStringLiteral(", "))), QStringLiteral("S")});
    p.addOption({QStringLiteral("secret"), QStringLiteral("Secret (repeat for keys signing side by side, newest first)."), QStringLiteral("SECRET")});
    p.addOption({QStringLiteral("id"), QStringLiteral("Message id (default: a new msg_ id)."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("timestamp"), QStringLiteral("Unix seconds (default: now)."), QStringLiteral("UNIX")});
    addBodyOptions(p);
    if (!ctx.parse(p, args, QStringLiteral("sign --scheme S --secret SECRET [--id ID] [--timestamp UNIX] (--body TEXT | --body-file F)"),
                   schemeNotes()))
        return Usage;
    if (!p.isSet(QStringLiteral("scheme")) || !p.isSet(QStringLiteral("secret")))
        return ctx.usage(QStringLiteral("--scheme and --secret are required"));
    auto scheme = schemeOption(p);
    if (!scheme)
        return ctx.fail(scheme.error());
    auto body = readBody(p, QStringLiteral("body"), QStringLiteral("body-file"));
    if (!body)
        return ctx.fail(body.error());
    SignRequest request;
    request.body = *body;
    request.headerPrefix = prefixOption(p);
    request.messageId = p.isSet(QStringLiteral("id")) ? p.value(QStringLiteral("id")).toUtf8() : newId(u"msg_").toUtf8();
    request.timestamp = QDateTime::currentSecsSinceEpoch();
    if (p.isSet(QStringLiteral("timestamp"))) {
        bool ok = false;
        request.timestamp = p.value(QStringLiteral("timestamp")).toLongLong(&ok);
        if (!ok || request.timestamp <= 0)
            return ctx.fail(Error::validation(QStringLiteral("--timestamp"),
                                              QStringLiteral("expected unix seconds, got \"%1\"").arg(p.value(QStringLiteral("timestamp")))));
    }
    const auto result = Signer::sign(*scheme, p.values(QStringLiteral("secret")), request);
    if (!result.ok())
        return ctx.fail(result.error);
    QJsonObject headers;
    for (const auto &[name, value] : result.headers)
        headers.insert(QString::fromUtf8(name), QString::fromUtf8(value));
    ctx.printJson(QJsonObject{{QStringLiteral("headers"), headers}, {QStringLiteral("signedContent"), QString::fromUtf8(result.signedContent)}});
    return Success;
}

namespace {
QString findingName(SignatureFinding::Kind kind)
{
    using K = SignatureFinding::Kind;
    switch (kind) {
    case K::SvixHeaderNames: return QStringLiteral("svix-header-names");
    case K::OtherPrefix: return QStringLiteral("other-prefix");
    case K::PreviousSecret: return QStringLiteral("previous-secret");
    case K::OutsideTolerance: return QStringLiteral("outside-tolerance");
    case K::BodyReserialised: return QStringLiteral("body-reserialised");
    case K::TrailingNewline: return QStringLiteral("trailing-newline");
    case K::WhsecAsText: return QStringLiteral("whsec-as-text");
    case K::WhsecDecoded: return QStringLiteral("whsec-decoded");
    case K::WrongEncoding: return QStringLiteral("wrong-encoding");
    }
    return {};
}
} // namespace

int verifyCommand(CliContext &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("secret"), QStringLiteral("A secret to try (repeatable: the current one first, then older ones)."),
                 QStringLiteral("SECRET")});
    p.addOption({QStringLiteral("webhook"),
                 QStringLiteral("Try this webhook's current and previous secrets, with its scheme and the "
                                "installation's header prefix."),
                 QStringLiteral("ID")});
    p.addOption({QStringLiteral("header"), QStringLiteral("A received header, 'Name: value' (repeatable)."), QStringLiteral("H")});
    p.addOption({QStringLiteral("scheme"),
                 QStringLiteral("Scheme: %1 (default: detected from the headers).").arg(schemeNames().join(QStringLiteral(", "))),
                 QStringLiteral("S")});
    p.addOption(
        {QStringLiteral("tolerance"), QStringLiteral("Accepted timestamp age either way, in seconds (default 300)."), QStringLiteral("SECONDS")});
    p.addOption({QStringLiteral("now"), QStringLiteral("Check as if the time were UNIX seconds."), QStringLiteral("UNIX")});
    addBodyOptions(p);
    if (!ctx.parse(p, args,
                   QStringLiteral("verify (--secret SECRET... | --webhook ID) --header 'Name: value'... (--body TEXT | --body-file F) "
                                  "[--scheme S] [--tolerance SECONDS]"),
                   QStringLiteral("When the signature does not verify, the usual mistakes are tried and named with their fix: a\n"
                                  "re-serialised body, a trailing line break, whsec_ used as text or decoded, hex for base64, a\n"
                                  "timestamp out of tolerance, a secret from before a rotation, another header prefix.\n\n")
                       + schemeNotes()))
        return Usage;
    if (!p.isSet(QStringLiteral("secret")) && !p.isSet(QStringLiteral("webhook")))
        return ctx.usage(QStringLiteral("--secret is required (or --webhook ID)"));
    SignatureCase input;
    input.secrets = p.values(QStringLiteral("secret"));
    for (const auto &h : p.values(QStringLiteral("header"))) {
        const auto header = SignatureDebugger::headerFromLine(h);
        if (!header)
            return ctx.fail(Error::validation(QStringLiteral("--header"), QStringLiteral("\"%1\" is not 'Name: value'").arg(h)));
        input.headers.append(*header);
    }
    if (p.isSet(QStringLiteral("scheme"))) {
        auto scheme = schemeOption(p);
        if (!scheme)
            return ctx.fail(scheme.error());
        input.scheme = *scheme;
    }
    if (p.isSet(QStringLiteral("tolerance"))) {
        auto t = intOption(p, QStringLiteral("tolerance"), 0, 365 * 24 * 3600);
        if (!t)
            return ctx.fail(t.error());
        input.toleranceSeconds = *t;
    }
    if (p.isSet(QStringLiteral("now"))) {
        bool ok = false;
        input.now = p.value(QStringLiteral("now")).toLongLong(&ok);
        if (!ok || input.now <= 0)
            return ctx.fail(
                Error::validation(QStringLiteral("--now"), QStringLiteral("expected unix seconds, got \"%1\"").arg(p.value(QStringLiteral("now")))));
    }
    auto body = readBody(p, QStringLiteral("body"), QStringLiteral("body-file"));
    if (!body)
        return ctx.fail(body.error());
    input.body = *body;
    input.headerPrefix = prefixOption(p);
    if (p.isSet(QStringLiteral("webhook"))) {
        const auto signing = webhookSigning(ctx, p.value(QStringLiteral("webhook")));
        if (!signing)
            return Failure;
        input.secrets << signing->secrets;
        if (!input.scheme)
            input.scheme = signing->scheme;
        if (!p.isSet(QStringLiteral("prefix")))
            input.headerPrefix = signing->headerPrefix;
    }
    const auto d = SignatureDebugger::diagnose(input);
    const auto scheme = d.scheme ? schemeName(*d.scheme) : QString();
    if (ctx.jsonOutput()) {
        QJsonArray findings;
        for (const auto &f : d.findings) {
            findings.append(
                QJsonObject{{QStringLiteral("kind"), findingName(f.kind)}, {QStringLiteral("message"), f.message}, {QStringLiteral("fix"), f.fix}});
        }
        ctx.printJson(QJsonObject{{QStringLiteral("valid"), d.valid},
                                  {QStringLiteral("scheme"), scheme},
                                  {QStringLiteral("reason"), d.reason},
                                  {QStringLiteral("signedContent"), QString::fromUtf8(d.signedContent)},
                                  {QStringLiteral("expected"), QString::fromUtf8(d.expected)},
                                  {QStringLiteral("given"), QString::fromUtf8(d.given)},
                                  {QStringLiteral("firstDifference"), d.firstDifference},
                                  {QStringLiteral("secretIndex"), d.secretIndex},
                                  {QStringLiteral("findings"), findings}});
        return d.valid ? Success : Failure;
    }
    QStringList out{QStringLiteral("%1 (%2)").arg(d.valid ? QStringLiteral("VALID") : QStringLiteral("INVALID"), d.reason),
                    QStringLiteral("scheme:          %1").arg(scheme.isEmpty() ? QStringLiteral("unknown") : scheme),
                    QStringLiteral("signed content:  %1").arg(QString(d.visibleContent).replace(u'\n', QStringLiteral("\n                 "))),
                    QStringLiteral("expected:        %1").arg(QString::fromUtf8(d.expected)),
                    QStringLiteral("given:           %1").arg(QString::fromUtf8(d.given))};
    if (!d.valid && d.firstDifference >= 0)
        out << QStringLiteral("                 %1^ first difference, at character %2")
                   .arg(QString(int(d.firstDifference), u' '))
                   .arg(d.firstDifference + 1);
    for (const auto &f : d.findings)
        out << QStringLiteral("mistake:         %1").arg(f.message) << QStringLiteral("fix:             %1").arg(f.fix);
    ctx.print(out.join(u'\n'));
    return d.valid ? Success : Failure;
}

int snippetCommand(CliContext &ctx, const QStringList &args)
{
    QStringList languages;
    for (const auto l : ReceiverSnippets::languages())
        languages << ReceiverSnippets::name(l);
    QCommandLineParser p;
    p.addOption({QStringLiteral("language"), QStringLiteral("One of %1.").arg(languages.join(QStringLiteral(", "))), QStringLiteral("L")});
    p.addOption({QStringLiteral("webhook"), QStringLiteral("For this webhook's scheme and the installation's header prefix."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("scheme"), QStringLiteral("Scheme: %1.").arg(schemeNames().join(QStringLiteral(", "))), QStringLiteral("S")});
    p.addOption({QStringLiteral("prefix"), QStringLiteral("Header prefix <P> (default X-Webhook)."), QStringLiteral("P")});
    if (!ctx.parse(p, args, QStringLiteral("snippet (--webhook ID | --scheme S [--prefix P]) --language L"),
                   QStringLiteral("A short receiver that verifies Hookline's deliveries; it reads the secret from WEBHOOK_SECRET.")))
        return Usage;
    const auto language = ReceiverSnippets::fromName(p.value(QStringLiteral("language")));
    if (!language)
        return ctx.usage(QStringLiteral("--language takes %1").arg(languages.join(QStringLiteral(", "))));
    if (p.isSet(QStringLiteral("webhook")) == p.isSet(QStringLiteral("scheme")))
        return ctx.usage(QStringLiteral("give --webhook ID or --scheme S"));
    Scheme scheme = Scheme::Standard;
    QByteArray prefix = prefixOption(p);
    if (p.isSet(QStringLiteral("scheme"))) {
        auto s = schemeOption(p);
        if (!s)
            return ctx.fail(s.error());
        scheme = *s;
    } else {
        const auto signing = webhookSigning(ctx, p.value(QStringLiteral("webhook")));
        if (!signing)
            return Failure;
        scheme = signing->scheme;
        if (!p.isSet(QStringLiteral("prefix")))
            prefix = signing->headerPrefix;
    }
    std::fputs(ReceiverSnippets::code(scheme, prefix, *language).toUtf8().constData(), stdout);
    return Success;
}

} // namespace hookline::cli
