// End-to-end tests of hookline-cli: the real executable, driven through
// QProcess, on throw-away SQLite databases in a QTemporaryDir.
//
// The central property (refusesBadInput): every bad input is refused with a
// non-zero exit code, exactly one specific line on stderr, nothing on stdout,
// and the database file (and its -wal file, if any) byte-for-byte unchanged.
//
// The child's environment is always set explicitly: ctest exports HOOKLINE_DB
// pointing at an invalid path, and the CLI falls back to it when --db is absent.
// Set HOOKLINE_CLI to run these tests against another executable (for example
// a wrapper that misbehaves on purpose, to check that the tests catch it).

#include "signing/SchemeDescriptor.h"

#include <QtTest>

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QProcessEnvironment>
#include <QScopeGuard>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>

#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// The public test vectors (Standard Webhooks libraries, GitHub docs).
const QString kStdSecret1 = u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s;
const QString kStdId1 = u"msg_p5jXN8AQM9LWM0D4loKWxJek"_s;
const QString kStdTs1 = u"1614265330"_s;
const QString kStdBody1 = uR"({"test": 2432232314})"_s;
const QString kStdSig1 = u"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="_s;
const QString kStdSecret2 = u"whsec_plJ3nmyCDGBKInavdOK15jsl"_s;
const QString kStdId2 = u"msg_loFOjxBNrRLzqYUf"_s;
const QString kStdTs2 = u"1731705121"_s;
const QString kStdBody2 = uR"({"event_type":"ping","data":{"success":true}})"_s;
const QString kStdSig2 = u"v1,rAvfW3dJ/X/qxhsaXPOyyCGmRKsaKWcsNccKXlIktD0="_s;
const QString kGithubSecret = u"It's a Secret to Everybody"_s;
const QString kGithubBody = u"Hello, World!"_s;
const QString kGithubSig = u"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"_s;

const QStringList kSchemes{u"standard"_s, u"hmac-hex"_s, u"hmac-base64"_s, u"timestamped"_s, u"github"_s, u"stripe"_s};

struct Run {
    int exitCode = -1;
    bool finished = false;
    QByteArray out;
    QByteArray err;

    QJsonDocument json() const { return QJsonDocument::fromJson(out); }
    QJsonObject object() const { return json().object(); }
    QJsonArray array() const { return json().array(); }
    QString describe() const
    {
        return u"exit %1%2\n--- stdout:\n%3\n--- stderr:\n%4"_s.arg(exitCode).arg(
            finished ? QString() : u" (did not finish)"_s, QString::fromUtf8(out.left(2000)), QString::fromUtf8(err.left(2000)));
    }
};

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.exists())
        return "absent";
    if (!f.open(QIODevice::ReadOnly))
        return "unreadable";
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

// What a command may not change: the database file and its write-ahead log.
QByteArray dbState(const QString &db)
{
    return "db=" + fileHash(db) + " wal=" + fileHash(db + u"-wal"_s);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QStringList idsOf(const QJsonArray &array, const QString &key = u"id"_s)
{
    QStringList ids;
    for (const auto &v : array)
        ids << v.toObject().value(key).toString();
    return ids;
}

} // namespace

// Succeeded: exit 0, nothing on stderr. Evaluates its argument once.
#define CLI_OK(expr) \
    do { \
        const Run &ok_ = (expr); \
        QVERIFY2(ok_.exitCode == 0 && ok_.finished && ok_.err.isEmpty(), qPrintable(ok_.describe())); \
    } while (false)

class TestCli : public QObject {
    Q_OBJECT

private:
    Run run(const QStringList &args, const QByteArray &stdinData = {});
    Run runEnv(const QStringList &args, const QProcessEnvironment &env, const QByteArray &stdinData = {});
    QProcessEnvironment baseEnvironment() const;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QStringList expand(QStringList args) const;
    // `webhook add` on `db`; returns the created webhook (empty on failure, after a QTest failure).
    QJsonObject addWebhook(const QString &db, const QStringList &options);

    QTemporaryDir m_dir;
    QString m_cli;
    QString m_fixtureDb; // for the refusals: default settings, one webhook, tenant acme
    QString m_fixtureWebhook;
    QString m_neverCreated; // HOOKLINE_DB of every child that gets --db: must stay absent

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void help_data();
    void help();
    void everyCommandInTheHelpRuns();
    void helpListsEveryScheme_data();
    void helpListsEveryScheme();

    void signVectors_data();
    void signVectors();
    void signVerifyRoundTrip_data();
    void signVerifyRoundTrip();

    void databaseFromEnvironment();
    void webhookAddEachScheme_data();
    void webhookAddEachScheme();
    void webhookAddWithReceiversOwnSecret();
    void webhookLifecycle();
    void pruneOnDemand();
    void alertsCommand();
    void eventTypesListExportImport();
    void emitAndDeliveries();
    void deliverStopsCleanlyOnSignal_data();
    void deliverStopsCleanlyOnSignal();
    void serveLosesNoAcceptedEventOnSigterm();
    void serveTellsSystemdItIsReadyAndStopping();
    void backupAndRestore();
    void verifyNamesTheMistake();
    void inspectShowsADeliveryArrive();
    void settingsGetSetList();
    void tenantsAndQuota();

    void refusesBadInput_data();
    void refusesBadInput();
    void refusalsDoNotCreateADatabase_data();
    void refusalsDoNotCreateADatabase();
};

QProcessEnvironment TestCli::baseEnvironment() const
{
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOOKLINE_DB"_s, m_neverCreated);
    env.remove(u"HOOKLINE_MASTER_KEY"_s);
    // Keep anything the CLI might write to the user's folders inside the sandbox.
    env.insert(u"HOME"_s, m_dir.path());
    env.insert(u"XDG_DATA_HOME"_s, path(u"xdg-data"_s));
    env.insert(u"XDG_CONFIG_HOME"_s, path(u"xdg-config"_s));
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    return env;
}

Run TestCli::run(const QStringList &args, const QByteArray &stdinData)
{
    return runEnv(args, baseEnvironment(), stdinData);
}

Run TestCli::runEnv(const QStringList &args, const QProcessEnvironment &env, const QByteArray &stdinData)
{
    Run r;
    QProcess p;
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(m_dir.path());
    p.start(m_cli, args);
    if (!p.waitForStarted(30000)) {
        r.err = "could not start " + m_cli.toUtf8() + ": " + p.errorString().toUtf8();
        return r;
    }
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    r.finished = p.waitForFinished(30000);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(5000);
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    return r;
}

QStringList TestCli::expand(QStringList args) const
{
    for (auto &a : args) {
        a.replace(u"%DIR%"_s, m_dir.path());
        a.replace(u"%WH%"_s, m_fixtureWebhook);
    }
    return args;
}

QJsonObject TestCli::addWebhook(const QString &db, const QStringList &options)
{
    const auto r = run(QStringList{u"--db"_s, db, u"webhook"_s, u"add"_s} + options);
    [&] { CLI_OK(r); }();
    return r.object();
}

void TestCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cli = qEnvironmentVariable("HOOKLINE_CLI", QStringLiteral(HOOKLINE_BIN_DIR "/hookline-cli"));
    QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable(m_cli));
    m_neverCreated = path(u"env-db-must-not-be-created.db"_s);

    // Input files.
    QVERIFY(writeFile(path(u"std1.body"_s), kStdBody1.toUtf8()));
    QVERIFY(writeFile(path(u"hello.txt"_s), kGithubBody.toUtf8()));
    // 1.1 MB of event data: a valid object, too large for a delivery.
    QVERIFY(writeFile(path(u"big.json"_s), "{\"blob\":\"" + QByteArray(1100 * 1024, 'x') + "\"}"));
    QVERIFY(writeFile(path(u"batch-bad-json.jsonl"_s), "{\"event\":\"lead.created\",\"data\":{\"n\":1}}\n"
                                                       "{\"event\":\"lead.created\",\"data\":{\"n\":2}}\n"
                                                       "{\"event\":\"lead.created\",\"data\":{\"n\":3}\n"
                                                       "{\"event\":\"lead.created\",\"data\":{\"n\":4}}\n"));
    QVERIFY(writeFile(path(u"batch-unknown-type.jsonl"_s), "{\"event\":\"lead.created\",\"data\":{}}\n"
                                                           "{\"event\":\"no.such_type\",\"data\":{}}\n"));
    QVERIFY(writeFile(path(u"batch-array-data.jsonl"_s), "{\"event\":\"lead.created\",\"data\":{}}\n\n"
                                                         "{\"event\":\"lead.created\",\"data\":{}}\n"
                                                         "{\"event\":\"lead.created\",\"data\":[1]}\n"));
    QVERIFY(writeFile(path(u"batch-empty.jsonl"_s), "\n\n"));
    QVERIFY(writeFile(path(u"catalog-bad-json.json"_s), "{\"format\": \"hookline-catalog/1\", \"eventTypes\": [\n  {\"name\": \"a.b\",]\n}\n"));
    QVERIFY(writeFile(path(u"catalog-bad-name.json"_s),
                      "{\"format\": \"hookline-catalog/1\", \"eventTypes\": [{\"name\": \"shipment.sent\"}, {\"name\": \"Bad Name\"}]}\n"));
    QVERIFY(writeFile(path(u"catalog-no-types.json"_s), "{\"format\": \"hookline-catalog/1\"}\n"));

    // The database the refusals run against: default settings (https only,
    // no private addresses), tenant acme on PRO, one webhook, one event.
    m_fixtureDb = path(u"fixture.db"_s);
    CLI_OK(run({u"--db"_s, m_fixtureDb, u"tenant"_s, u"add"_s, u"acme"_s, u"--plan"_s, u"PRO"_s}));
    const auto w = addWebhook(m_fixtureDb, {u"--url"_s, u"https://hooks.example.com/fixture"_s, u"--events"_s, u"lead.*"_s, u"--schedule"_s,
                                            u"60,300"_s, u"--header"_s, u"X-Api-Key: abc"_s});
    m_fixtureWebhook = w.value(u"id"_s).toString();
    QVERIFY(m_fixtureWebhook.startsWith(u"wh_"_s));
    CLI_OK(run({u"--db"_s, m_fixtureDb, u"emit"_s, u"lead.created"_s, u"--data"_s, uR"({"n":1})"_s}));
}

void TestCli::cleanupTestCase()
{
    // Every child had --db (or its own HOOKLINE_DB): the inherited default was never used.
    QVERIFY2(!QFile::exists(m_neverCreated), "a command ignored --db and used $HOOKLINE_DB");
}

// ---------------------------------------------------------------- help

void TestCli::help_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");

    QTest::newRow("--help") << QStringList{u"--help"_s} << u"Usage: hookline-cli"_s;
    QTest::newRow("help") << QStringList{u"help"_s} << u"Usage: hookline-cli"_s;
    QTest::newRow("-h") << QStringList{u"-h"_s} << u"Usage: hookline-cli"_s;
    QTest::newRow("webhook add --help") << QStringList{u"webhook"_s, u"add"_s, u"--help"_s} << u"--max-retries"_s;
    QTest::newRow("webhook update -h") << QStringList{u"webhook"_s, u"update"_s, u"-h"_s} << u"--active"_s;
    QTest::newRow("emit --help") << QStringList{u"emit"_s, u"--help"_s} << u"--batch"_s;
    QTest::newRow("sign --help") << QStringList{u"sign"_s, u"--help"_s} << u"--body-file"_s;
    QTest::newRow("verify --help") << QStringList{u"verify"_s, u"--help"_s} << u"--tolerance"_s;
    QTest::newRow("deliveries --help") << QStringList{u"deliveries"_s, u"--help"_s} << u"--status"_s;
    QTest::newRow("event-types import --help") << QStringList{u"event-types"_s, u"import"_s, u"--help"_s} << u"--builtin"_s;
    QTest::newRow("settings set --help") << QStringList{u"settings"_s, u"set"_s, u"--help"_s} << u"settings get KEY"_s;
    QTest::newRow("tenant add --help") << QStringList{u"tenant"_s, u"add"_s, u"--help"_s} << u"--plan"_s;
    // "COMMAND --help for details", says the top-level help.
    QTest::newRow("webhook --help") << QStringList{u"webhook"_s, u"--help"_s} << u"webhook add"_s;
    QTest::newRow("event-types --help") << QStringList{u"event-types"_s, u"--help"_s} << u"event-types"_s;
    QTest::newRow("settings --help") << QStringList{u"settings"_s, u"--help"_s} << u"settings"_s;
    QTest::newRow("tenant --help") << QStringList{u"tenant"_s, u"--help"_s} << u"tenant"_s;
}

void TestCli::help()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const auto db = path(u"help-%1.db"_s.arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_')));
    const auto r = run(QStringList{u"--db"_s, db} + args);
    CLI_OK(r);
    const auto text = QString::fromUtf8(r.out);
    QVERIFY2(text.startsWith(u"Usage: hookline-cli"_s), qPrintable(r.describe()));
    QVERIFY2(text.contains(expected), qPrintable(r.describe()));
    QVERIFY2(!QFile::exists(db), "asking for help created a database");
}

// The help and the dispatch come from one table: every command the help
// lists runs (its own --help answers), and an unknown word is refused.
void TestCli::everyCommandInTheHelpRuns()
{
    const auto db = path(u"help-table.db"_s);
    const auto top = run({u"--db"_s, db, u"--help"_s});
    CLI_OK(top);
    QStringList words;
    for (const auto &line : QString::fromUtf8(top.out).split(u'\n')) {
        if (line.startsWith(u"  "_s) && !line.startsWith(u"   "_s) && !line.startsWith(u"  -"_s)) // not a global option
            words << line.trimmed().section(u' ', 0, 0);
    }
    words.removeDuplicates();
    QVERIFY2(words.size() >= 10, qPrintable(words.join(u", "_s)));
    for (const auto &word : std::as_const(words)) {
        const auto r = run({u"--db"_s, db, word, u"--help"_s});
        QVERIFY2(r.exitCode == 0 && QString::fromUtf8(r.out).startsWith(u"Usage: hookline-cli"_s), qPrintable(word + u": "_s + r.describe()));
    }
    const auto unknown = run({u"--db"_s, db, u"frobnicate"_s});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(!QFile::exists(db));
}

// clang-format off
void TestCli::helpListsEveryScheme_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("describesEach");   // each scheme's one-line help too
    QTest::newRow("--help") << QStringList{u"--help"_s} << false;
    QTest::newRow("sign --help") << QStringList{u"sign"_s, u"--help"_s} << true;
    QTest::newRow("verify --help") << QStringList{u"verify"_s, u"--help"_s} << true;
    QTest::newRow("webhook add --help") << QStringList{u"webhook"_s, u"add"_s, u"--help"_s} << false;
    QTest::newRow("webhook update --help") << QStringList{u"webhook"_s, u"update"_s, u"--help"_s} << false;
}
// clang-format on

// The help's scheme names and descriptions come from the scheme table.
void TestCli::helpListsEveryScheme()
{
    QFETCH(QStringList, args);
    QFETCH(bool, describesEach);
    const auto db = path(u"help-schemes-%1.db"_s.arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_')));
    const auto r = run(QStringList{u"--db"_s, db} + args);
    CLI_OK(r);
    // Wrapped lines joined again.
    const QString text = QString::fromUtf8(r.out).simplified();
    QStringList names;
    for (const auto &d : hookline::SchemeDescriptor::all())
        names << d.name.toString();
    QVERIFY2(text.contains(names.join(u", "_s)), qPrintable(r.describe()));
    if (describesEach) {
        for (const auto &d : hookline::SchemeDescriptor::all()) {
            const QString line = d.name.toString() + u' ' + QString::fromUtf8(d.help).simplified();
            QVERIFY2(text.contains(line), qPrintable(line + u"\n"_s + r.describe()));
        }
    }
}

// ---------------------------------------------------------------- sign / verify

// clang-format off
void TestCli::signVectors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("stdinData");
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("expected");

    const QStringList std1{u"sign"_s, u"--scheme"_s, u"standard"_s, u"--secret"_s, kStdSecret1, u"--id"_s, kStdId1, u"--timestamp"_s, kStdTs1};
    QTest::newRow("standard vector 1") << (std1 + QStringList{u"--body"_s, kStdBody1}) << QByteArray() << u"webhook-signature"_s << kStdSig1;
    QTest::newRow("standard vector 1, --body-file") << (std1 + QStringList{u"--body-file"_s, u"%DIR%/std1.body"_s}) << QByteArray()
                                                    << u"webhook-signature"_s << kStdSig1;
    QTest::newRow("standard vector 2 (18-byte key)")
        << QStringList{u"sign"_s, u"--scheme"_s, u"standard"_s, u"--secret"_s, kStdSecret2, u"--id"_s, kStdId2, u"--timestamp"_s, kStdTs2, u"--body"_s, kStdBody2}
        << QByteArray() << u"webhook-signature"_s << kStdSig2;
    const QStringList gh{u"sign"_s, u"--scheme"_s, u"github"_s, u"--secret"_s, kGithubSecret};
    QTest::newRow("github vector") << (gh + QStringList{u"--body"_s, kGithubBody}) << QByteArray() << u"X-Hub-Signature-256"_s << kGithubSig;
    QTest::newRow("github vector, --body-file") << (gh + QStringList{u"--body-file"_s, u"%DIR%/hello.txt"_s}) << QByteArray()
                                                << u"X-Hub-Signature-256"_s << kGithubSig;
    QTest::newRow("github vector, --body-file - (stdin)") << (gh + QStringList{u"--body-file"_s, u"-"_s}) << kGithubBody.toUtf8()
                                                          << u"X-Hub-Signature-256"_s << kGithubSig;
}
// clang-format on

void TestCli::signVectors()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, stdinData);
    QFETCH(QString, header);
    QFETCH(QString, expected);
    const auto r = run(expand(args), stdinData);
    CLI_OK(r);
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(r.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError && doc.isObject(), qPrintable(r.describe()));
    const auto headers = doc.object().value(u"headers"_s).toObject();
    QCOMPARE(headers.value(header).toString(), expected);
    if (header == u"webhook-signature") {
        QVERIFY(headers.contains(u"webhook-id"_s));
        QVERIFY(headers.contains(u"webhook-timestamp"_s));
        const auto signedContent = doc.object().value(u"signedContent"_s).toString();
        const QString content = headers.value(u"webhook-id"_s).toString() + u'.' + headers.value(u"webhook-timestamp"_s).toString() + u'.'
                                + (expected == kStdSig1 ? kStdBody1 : kStdBody2);
        QCOMPARE(signedContent, content);
    } else {
        QCOMPARE(headers.size(), 1);
        QCOMPARE(doc.object().value(u"signedContent"_s).toString(), kGithubBody);
    }
}

void TestCli::signVerifyRoundTrip_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<bool>("usesTimestamp");
    QTest::newRow("standard") << u"standard"_s << kStdSecret1 << true;
    QTest::newRow("hmac-hex") << u"hmac-hex"_s << u"hex-secret-0123456789"_s << false;
    QTest::newRow("hmac-base64") << u"hmac-base64"_s << u"b64-secret-0123456789"_s << false;
    QTest::newRow("timestamped") << u"timestamped"_s << u"ts-secret-0123456789"_s << true;
    QTest::newRow("github") << u"github"_s << kGithubSecret << false;
    QTest::newRow("stripe") << u"stripe"_s << u"whsec_stripe_is_not_decoded_123"_s << true;
}

void TestCli::signVerifyRoundTrip()
{
    QFETCH(QString, scheme);
    QFETCH(QString, secret);
    QFETCH(bool, usesTimestamp);
    const QString body = uR"({"event":"lead.created","data":{"name":"Zoë","amount":12.5}})"_s;

    const auto sign = [&](const QStringList &extra) {
        const auto r = run(QStringList{u"sign"_s, u"--scheme"_s, scheme, u"--secret"_s, secret, u"--body"_s, body} + extra);
        QStringList headerArgs;
        const auto headers = r.object().value(u"headers"_s).toObject();
        for (auto it = headers.begin(); it != headers.end(); ++it)
            headerArgs << u"--header"_s << it.key() + u": "_s + it.value().toString();
        return std::pair{r, headerArgs};
    };
    const auto verify = [&](const QStringList &headerArgs, const QString &givenBody, const QStringList &extra) {
        return run(QStringList{u"verify"_s, u"--secret"_s, secret, u"--body"_s, givenBody} + headerArgs + extra);
    };

    const auto [signRun, headers] = sign({});
    CLI_OK(signRun);
    QVERIFY2(!headers.isEmpty(), qPrintable(signRun.describe()));

    // Detected scheme, then pinned scheme.
    auto r = verify(headers, body, {});
    CLI_OK(r);
    QVERIFY2(r.out.startsWith("VALID"), qPrintable(r.describe()));
    r = verify(headers, body, {u"--scheme"_s, scheme});
    CLI_OK(r);
    r = run(QStringList{u"--json"_s, u"verify"_s, u"--secret"_s, secret, u"--body"_s, body} + headers);
    CLI_OK(r);
    QCOMPARE(r.object().value(u"valid"_s).toBool(), true);
    QCOMPARE(r.object().value(u"scheme"_s).toString(), scheme);

    // A tampered body: exit 1, and the output shows what was expected and what was given.
    const QString tampered = QString(body).replace(u"12.5"_s, u"125"_s);
    r = verify(headers, tampered, {u"--scheme"_s, scheme});
    QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
    const auto lines = QString::fromUtf8(r.out).split(u'\n');
    QVERIFY2(lines.value(0).startsWith(u"INVALID"_s) && lines.value(0).contains(u"mismatch"_s), qPrintable(r.describe()));
    QString expectedLine, givenLine;
    for (const auto &l : lines) {
        if (l.startsWith(u"expected:"_s))
            expectedLine = l.mid(9).trimmed();
        if (l.startsWith(u"given:"_s))
            givenLine = l.mid(6).trimmed();
    }
    QVERIFY2(!expectedLine.isEmpty() && !givenLine.isEmpty(), qPrintable(r.describe()));
    QVERIFY2(expectedLine != givenLine, qPrintable(r.describe()));
    QVERIFY2(headers.join(u'\n').contains(givenLine), qPrintable(r.describe()));
    // The wrong secret fails the same way.
    r = run(QStringList{u"verify"_s, u"--secret"_s, secret + u"x"_s, u"--body"_s, body} + headers);
    QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));

    // During a rotation standard and stripe sign with every --secret given:
    // a receiver still on the old secret keeps verifying.
    if (scheme == u"standard" || scheme == u"stripe") {
        const QString newer = scheme == u"standard" ? kStdSecret2 : u"whsec_the_newer_stripe_secret"_s;
        const auto [rotatedRun, rotatedHeaders] = sign({u"--secret"_s, newer});
        CLI_OK(rotatedRun);
        const auto signature = rotatedHeaders.join(u'\n');
        QVERIFY2(signature.count(scheme == u"standard" ? u"v1,"_s : u"v1="_s) == 2, qPrintable(signature));
        CLI_OK(verify(rotatedHeaders, body, {}));
        CLI_OK(run(QStringList{u"verify"_s, u"--secret"_s, newer, u"--body"_s, body} + rotatedHeaders));
    }

    // An hour-old signature: refused beyond --tolerance by the timestamped schemes.
    const auto old = QString::number(QDateTime::currentSecsSinceEpoch() - 3600);
    const auto [oldRun, oldHeaders] = sign({u"--timestamp"_s, old});
    CLI_OK(oldRun);
    r = verify(oldHeaders, body, {u"--tolerance"_s, u"300"_s});
    if (usesTimestamp) {
        QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(r.out.contains("beyond the 300 s tolerance") && r.out.contains("the signature itself matches"), qPrintable(r.describe()));
        r = verify(oldHeaders, body, {u"--tolerance"_s, u"7200"_s});
        CLI_OK(r);
    } else {
        CLI_OK(r); // nothing to date: the signature alone decides
    }
}

// ---------------------------------------------------------------- database location

void TestCli::databaseFromEnvironment()
{
    const auto envDb = path(u"from-env.db"_s);
    auto env = baseEnvironment();
    env.insert(u"HOOKLINE_DB"_s, envDb);

    auto r = runEnv({u"settings"_s, u"set"_s, u"retention"_s, u"42"_s}, env);
    CLI_OK(r);
    QCOMPARE(r.out, QByteArray("42\n"));
    QVERIFY2(QFile::exists(envDb), "HOOKLINE_DB was not honoured");
    r = run({u"--db"_s, envDb, u"settings"_s, u"get"_s, u"retention"_s});
    CLI_OK(r);
    QCOMPARE(r.out, QByteArray("42\n"));

    // --db wins over HOOKLINE_DB.
    const auto other = path(u"explicit.db"_s);
    r = runEnv({u"--db"_s, other, u"settings"_s, u"get"_s, u"retention"_s}, env);
    CLI_OK(r);
    QCOMPARE(r.out, QByteArray("100\n"));
    QVERIFY(QFile::exists(other));
    r = runEnv({u"settings"_s, u"get"_s, u"retention"_s}, env);
    CLI_OK(r);
    QCOMPARE(r.out, QByteArray("42\n"));

    // An unusable HOOKLINE_DB is reported on one line, not silently replaced.
    env.insert(u"HOOKLINE_DB"_s, m_dir.path()); // a directory
    r = runEnv({u"settings"_s, u"get"_s, u"retention"_s}, env);
    QVERIFY2(r.finished && r.exitCode != 0 && r.out.isEmpty() && r.err.count('\n') == 1, qPrintable(r.describe()));
    QVERIFY2(r.err.contains("directory"), qPrintable(r.describe()));
}

// ---------------------------------------------------------------- webhooks

void TestCli::webhookAddEachScheme_data()
{
    QTest::addColumn<QString>("scheme");
    for (const auto &s : kSchemes)
        QTest::newRow(qPrintable(s)) << s;
}

void TestCli::webhookAddEachScheme()
{
    QFETCH(QString, scheme);
    const auto db = path(u"schemes.db"_s);
    if (!QFile::exists(db)) {
        CLI_OK(run({u"--db"_s, db, u"settings"_s, u"set"_s, u"allowInsecureUrls"_s, u"true"_s}));
        CLI_OK(run({u"--db"_s, db, u"settings"_s, u"set"_s, u"allowPrivateAddresses"_s, u"true"_s}));
    }
    // The plain form, every retry option left to its default.
    const auto r = run({u"--db"_s, db, u"webhook"_s, u"add"_s, u"--url"_s, u"http://127.0.0.1:9/x"_s, u"--events"_s, u"lead.created,dossier.*"_s,
                        u"--scheme"_s, scheme});
    CLI_OK(r);
    const auto w = r.object();
    const auto id = w.value(u"id"_s).toString();
    QVERIFY2(id.startsWith(u"wh_"_s), qPrintable(r.describe()));
    QCOMPARE(w.value(u"url"_s).toString(), u"http://127.0.0.1:9/x"_s);
    QCOMPARE(w.value(u"events"_s).toArray(), (QJsonArray{u"lead.created"_s, u"dossier.*"_s}));
    QCOMPARE(w.value(u"scheme"_s).toString(), scheme);
    QCOMPARE(w.value(u"active"_s).toBool(), true);
    const auto secret = w.value(u"secret"_s).toString();
    QVERIFY2(secret.startsWith(u"whsec_"_s) && secret.size() == 6 + 32, qPrintable(secret));
    QCOMPARE(w.value(u"retryPolicy"_s).toObject().value(u"maxRetries"_s).toInt(), 3);

    // show: masked, unless --reveal-secret.
    auto s = run({u"--db"_s, db, u"webhook"_s, u"show"_s, id, u"--json"_s});
    CLI_OK(s);
    const auto masked = s.object().value(u"secret"_s).toString();
    QVERIFY2(!masked.isEmpty() && masked != secret && !masked.contains(secret.mid(6, 20)), qPrintable(masked));
    QVERIFY(masked.endsWith(secret.right(4)));
    QVERIFY(!s.out.contains(secret.toUtf8()));
    s = run({u"--db"_s, db, u"webhook"_s, u"show"_s, id, u"--json"_s, u"--reveal-secret"_s});
    CLI_OK(s);
    QCOMPARE(s.object().value(u"secret"_s).toString(), secret);
    QCOMPARE(s.object().value(u"scheme"_s).toString(), scheme);

    // list: this webhook among the others, secrets masked.
    const auto l = run({u"--db"_s, db, u"webhook"_s, u"list"_s, u"--json"_s});
    CLI_OK(l);
    QVERIFY2(idsOf(l.array()).contains(id), qPrintable(l.describe()));
    QVERIFY(!l.out.contains(secret.toUtf8()));
}

// A receiver's own secret is any text: GitHub's documented example has spaces
// and an apostrophe, and signs as GitHub says it does.
void TestCli::webhookAddWithReceiversOwnSecret()
{
    const auto db = path(u"own-secret.db"_s);
    CLI_OK(run({u"--db"_s, db, u"settings"_s, u"set"_s, u"allowInsecureUrls"_s, u"true"_s}));
    CLI_OK(run({u"--db"_s, db, u"settings"_s, u"set"_s, u"allowPrivateAddresses"_s, u"true"_s}));
    const auto r = run({u"--db"_s, db, u"webhook"_s, u"add"_s, u"--url"_s, u"http://127.0.0.1:9/gh"_s, u"--events"_s, u"lead.created"_s,
                        u"--scheme"_s, u"github"_s, u"--secret"_s, kGithubSecret});
    CLI_OK(r);
    const auto id = r.object().value(u"id"_s).toString();
    const auto s = run({u"--db"_s, db, u"webhook"_s, u"show"_s, id, u"--json"_s, u"--reveal-secret"_s});
    CLI_OK(s);
    QCOMPARE(s.object().value(u"secret"_s).toString(), kGithubSecret);
    const auto signature = run({u"sign"_s, u"--scheme"_s, u"github"_s, u"--secret"_s, kGithubSecret, u"--body"_s, kGithubBody});
    CLI_OK(signature);
    QVERIFY2(signature.out.contains(kGithubSig.toUtf8()), qPrintable(signature.describe()));
    // Still refused: a secret that cannot be typed back.
    const auto bad = run({u"--db"_s, db, u"webhook"_s, u"add"_s, u"--url"_s, u"http://127.0.0.1:9/gh"_s, u"--events"_s, u"lead.created"_s,
                          u"--scheme"_s, u"github"_s, u"--secret"_s, u"line one\nline two"_s});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("control character"), qPrintable(bad.describe()));
}

// A webhook that fails three times in a row is one alert, logged by the
// engine and listed by `alerts` (filters, --open, JSON); bad options change nothing.
void TestCli::alertsCommand()
{
    const auto db = path(u"alerts.db"_s);
    const QStringList D{u"--db"_s, db};
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowInsecureUrls"_s, u"true"_s}));
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowPrivateAddresses"_s, u"true"_s}));
    const auto w = addWebhook(db, {u"--url"_s, u"http://127.0.0.1:9/hook"_s, u"--events"_s, u"lead.created"_s, u"--max-retries"_s, u"0"_s,
                                   u"--auto-disable-after"_s, u"0"_s})
                       .value(u"id"_s)
                       .toString();
    auto r = run(D + QStringList{u"alerts"_s});
    CLI_OK(r);
    QCOMPARE(r.out.trimmed(), QByteArray("No alerts."));
    for (int i = 0; i < 5; ++i) {
        CLI_OK(run(D + QStringList{u"emit"_s, u"lead.created"_s, u"--data"_s, u"{}"_s}));
        r = run(D + QStringList{u"deliver"_s, u"--until-idle"_s, u"--workers"_s, u"1"_s});
        QCOMPARE(r.exitCode, 0);
        // Logged once, when it happens, never with a secret (ids only).
        const QByteArray logged = "alert 1 failing for webhook " + w.toUtf8();
        QCOMPARE(r.err.count(logged), i == 2 ? 1 : 0);
    }
    r = run(D + QStringList{u"--json"_s, u"alerts"_s});
    CLI_OK(r);
    QCOMPARE(r.array().size(), 1);
    const auto alert = r.array().at(0).toObject();
    QCOMPARE(alert.value(u"kind"_s).toString(), u"failing"_s);
    QCOMPARE(alert.value(u"webhookId"_s).toString(), w);
    QVERIFY2(alert.value(u"detail"_s).toString().startsWith(u"3 deliveries in a row failed"_s), qPrintable(alert.value(u"detail"_s).toString()));
    r = run(D + QStringList{u"alerts"_s, u"--open"_s, u"--since"_s, u"1h"_s, u"--webhook"_s, w});
    CLI_OK(r);
    QVERIFY2(r.out.contains("failing") && r.out.contains(w.toUtf8()), qPrintable(r.describe()));
    r = run(D + QStringList{u"--json"_s, u"alerts"_s, u"--since"_s, u"2099-01-01T00:00:00Z"_s});
    CLI_OK(r);
    QCOMPARE(r.array().size(), 0);
    for (const auto &bad : {QStringList{u"--since"_s, u"yesterday"_s}, QStringList{u"--limit"_s, u"0"_s}, QStringList{u"extra"_s}}) {
        r = run(D + QStringList{u"alerts"_s} + bad);
        QVERIFY2(r.exitCode != 0 && !r.err.isEmpty(), qPrintable(r.describe()));
    }
}

// Retention on demand: what the engine kept under a larger retention goes
// when the setting is lowered and `prune` runs; the file shrinks with it.
void TestCli::pruneOnDemand()
{
    const auto db = path(u"prune.db"_s);
    const QStringList D{u"--db"_s, db};
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowInsecureUrls"_s, u"true"_s}));
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowPrivateAddresses"_s, u"true"_s}));
    // Twenty failures in a row are an incident the engine logs (alertsCommand); not this test's subject.
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"alertFailuresInRow"_s, u"0"_s}));
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"alertSuccessRatePercent"_s, u"0"_s}));
    // Nothing listens on port 9: every delivery fails at once, and is finished.
    const auto w = addWebhook(db, {u"--url"_s, u"http://127.0.0.1:9/hook"_s, u"--events"_s, u"lead.created"_s, u"--max-retries"_s, u"0"_s,
                                   u"--auto-disable-after"_s, u"0"_s});
    QFile batch(path(u"prune.jsonl"_s));
    QVERIFY(batch.open(QIODevice::WriteOnly));
    for (int i = 0; i < 20; ++i)
        batch.write(R"({"event":"lead.created","data":{"n":)" + QByteArray::number(i) + "}}\n");
    batch.close();
    CLI_OK(run(D + QStringList{u"emit"_s, u"--batch"_s, batch.fileName()}));
    CLI_OK(run(D + QStringList{u"deliver"_s, u"--until-idle"_s}));
    auto r = run(D + QStringList{u"--json"_s, u"deliveries"_s, u"--limit"_s, u"100"_s});
    CLI_OK(r);
    QCOMPARE(r.array().size(), 20); // the default retention (100) keeps them all

    r = run(D + QStringList{u"prune"_s, u"--webhook"_s, u"wh_nope"_s});
    QVERIFY2(r.exitCode == 1 && r.err.contains("wh_nope"), qPrintable(r.describe()));
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"retention"_s, u"5"_s}));
    r = run(D + QStringList{u"--json"_s, u"prune"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"removed"_s).toInt(), 15);
    QCOMPARE(r.object().value(u"webhooks"_s).toInt(), 1);
    QVERIFY2(r.object().value(u"bytesAfter"_s).toInteger() <= r.object().value(u"bytesBefore"_s).toInteger(), qPrintable(r.describe()));
    r = run(D + QStringList{u"--json"_s, u"deliveries"_s, u"--limit"_s, u"100"_s});
    CLI_OK(r);
    QCOMPARE(r.array().size(), 5);
    // Nothing more to do; and the text form says what it did.
    r = run(D + QStringList{u"prune"_s, u"--webhook"_s, w.value(u"id"_s).toString()});
    CLI_OK(r);
    QVERIFY2(r.out.startsWith("removed 0 deliveries beyond retention (1 webhooks)"), qPrintable(r.describe()));
    r = run(D + QStringList{u"prune"_s, u"--vacuum"_s});
    CLI_OK(r);
}

void TestCli::webhookLifecycle()
{
    const auto db = path(u"lifecycle.db"_s);
    const QStringList D{u"--db"_s, db};
    auto r = run(D + QStringList{u"settings"_s, u"set"_s, u"allowInsecureUrls"_s, u"true"_s});
    CLI_OK(r);
    QCOMPARE(r.out, QByteArray("true\n"));
    r = run(D + QStringList{u"settings"_s, u"set"_s, u"allowPrivateAddresses"_s, u"true"_s});
    CLI_OK(r);

    // An explicit schedule here (the defaults are covered by webhookAddEachScheme), so
    // that update, rotate-secret and delete get tested whatever happens to the defaults.
    r = run(D
            + QStringList{u"webhook"_s, u"add"_s, u"--url"_s, u"http://127.0.0.1:9/x"_s, u"--events"_s, u"lead.created"_s, u"--name"_s, u"Leads"_s,
                          u"--header"_s, u"X-Api-Key: k1"_s, u"--schedule"_s, u"60,300,1800,7200"_s});
    CLI_OK(r);
    const auto id = r.object().value(u"id"_s).toString();
    const auto oldSecret = r.object().value(u"secret"_s).toString();
    QVERIFY(id.startsWith(u"wh_"_s));

    r = run(D + QStringList{u"webhook"_s, u"list"_s, u"--json"_s});
    CLI_OK(r);
    QCOMPARE(idsOf(r.array()), QStringList{id});

    // update: name and inactive, then active again.
    r = run(D + QStringList{u"webhook"_s, u"update"_s, id, u"--name"_s, u"Renamed"_s, u"--inactive"_s});
    CLI_OK(r);
    QCOMPARE(r.out, u"updated %1\n"_s.arg(id).toUtf8());
    r = run(D + QStringList{u"webhook"_s, u"show"_s, id, u"--json"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"name"_s).toString(), u"Renamed"_s);
    QCOMPARE(r.object().value(u"active"_s).toBool(), false);
    QCOMPARE(r.object().value(u"url"_s).toString(), u"http://127.0.0.1:9/x"_s); // untouched options kept
    QCOMPARE(r.object().value(u"headers"_s).toArray().size(), 1);
    QCOMPARE(r.object().value(u"retryPolicy"_s).toObject().value(u"schedule"_s).toArray(), (QJsonArray{60, 300, 1800, 7200}));
    r = run(D + QStringList{u"--json"_s, u"webhook"_s, u"update"_s, id, u"--active"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"active"_s).toBool(), true);
    QCOMPARE(r.object().value(u"name"_s).toString(), u"Renamed"_s);

    // max-in-flight: the webhook's own limit, shown, refused out of range, and back to the default.
    r = run(D + QStringList{u"--json"_s, u"webhook"_s, u"update"_s, id, u"--max-in-flight"_s, u"4"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"maxInFlight"_s).toInt(), 4);
    r = run(D + QStringList{u"webhook"_s, u"show"_s, id});
    CLI_OK(r);
    QVERIFY2(QRegularExpression(u"max in flight: +4\n"_s).match(QString::fromUtf8(r.out)).hasMatch(), qPrintable(r.describe()));
    r = run(D + QStringList{u"webhook"_s, u"update"_s, id, u"--max-in-flight"_s, u"0"_s});
    QVERIFY2(r.exitCode != 0 && r.err.contains("max-in-flight"), qPrintable(r.describe()));
    r = run(D + QStringList{u"webhook"_s, u"show"_s, id, u"--json"_s});
    QCOMPARE(r.object().value(u"maxInFlight"_s).toInt(), 4); // the refusal changed nothing
    r = run(D + QStringList{u"--json"_s, u"webhook"_s, u"update"_s, id, u"--max-in-flight"_s, u"default"_s});
    CLI_OK(r);
    QVERIFY(r.object().value(u"maxInFlight"_s).isNull());

    // rotate-secret: {id, secret}; the old secret keeps signing for the grace period.
    const auto before = QDateTime::currentDateTimeUtc();
    r = run(D + QStringList{u"webhook"_s, u"rotate-secret"_s, id, u"--grace"_s, u"60"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"id"_s).toString(), id);
    const auto newSecret = r.object().value(u"secret"_s).toString();
    QVERIFY(newSecret.startsWith(u"whsec_"_s));
    QVERIFY(newSecret != oldSecret);
    r = run(D + QStringList{u"webhook"_s, u"show"_s, id, u"--json"_s, u"--reveal-secret"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"secret"_s).toString(), newSecret);
    const auto previous = r.object().value(u"previousSecrets"_s).toArray();
    QCOMPARE(previous.size(), 1);
    QCOMPARE(previous.at(0).toObject().value(u"secret"_s).toString(), oldSecret);
    const auto expires = QDateTime::fromString(previous.at(0).toObject().value(u"expiresAt"_s).toString(), Qt::ISODateWithMs);
    QVERIFY2(expires.isValid(), qPrintable(r.describe()));
    const auto grace = before.secsTo(expires);
    QVERIFY2(grace >= 59 && grace <= 90, qPrintable(QString::number(grace)));
    r = run(D + QStringList{u"webhook"_s, u"show"_s, id});
    CLI_OK(r);
    QVERIFY2(r.out.contains("previous secret") && r.out.contains("signs until"), qPrintable(r.describe()));
    QVERIFY(!r.out.contains(oldSecret.toUtf8()));
    // At most three previous secrets sign: the next rotations retire the
    // oldest early, and say so.
    for (int i = 2; i <= 4; ++i) {
        r = run(D + QStringList{u"webhook"_s, u"rotate-secret"_s, id, u"--grace"_s, u"60"_s});
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.object().value(u"retiredEarly"_s).toInt(), i == 4 ? 1 : 0);
        QCOMPARE(r.err.contains("1 older secret stopped signing now: at most 3 previous secrets sign beside the current one"), i == 4);
    }

    // delete.
    r = run(D + QStringList{u"webhook"_s, u"delete"_s, id});
    CLI_OK(r);
    QCOMPARE(r.out, u"deleted %1\n"_s.arg(id).toUtf8());
    r = run(D + QStringList{u"webhook"_s, u"show"_s, id});
    QVERIFY2(r.exitCode == 1 && r.err.contains("no webhook"), qPrintable(r.describe()));
    r = run(D + QStringList{u"webhook"_s, u"list"_s, u"--json"_s});
    CLI_OK(r);
    QVERIFY(r.array().isEmpty());

    // Back to the default retry policy: "--schedule none" clears the schedule.
    r = run(D + QStringList{u"webhook"_s, u"add"_s, u"--url"_s, u"http://127.0.0.1:9/y"_s, u"--events"_s, u"*"_s, u"--schedule"_s, u"60,300"_s});
    CLI_OK(r);
    const auto second = r.object().value(u"id"_s).toString();
    r = run(D + QStringList{u"--json"_s, u"webhook"_s, u"update"_s, second, u"--schedule"_s, u"none"_s, u"--max-retries"_s, u"3"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"retryPolicy"_s).toObject().value(u"schedule"_s).toArray(), QJsonArray());
    QCOMPARE(r.object().value(u"retryPolicy"_s).toObject().value(u"maxRetries"_s).toInt(), 3);
}

// ---------------------------------------------------------------- catalog

void TestCli::eventTypesListExportImport()
{
    const auto db = path(u"catalog.db"_s);
    auto r = run({u"--db"_s, db, u"event-types"_s, u"list"_s, u"--json"_s});
    CLI_OK(r);
    const auto original = r.array();
    const auto names = idsOf(original, u"name"_s);
    for (const auto &n :
         {u"lead.created"_s, u"dossier.created"_s, u"kpi.threshold_reached"_s, u"organisation.created"_s, u"alert.triggered"_s, u"webhook.test"_s})
        QVERIFY2(names.contains(n), qPrintable(n));
    QCOMPARE(QSet<QString>(names.cbegin(), names.cend()).size(), names.size());
    r = run({u"--db"_s, db, u"event-types"_s, u"list"_s, u"--json"_s, u"--group"_s, u"lead"_s});
    CLI_OK(r);
    QVERIFY(!r.array().isEmpty());
    for (const auto &v : r.array())
        QCOMPARE(v.toObject().value(u"group"_s).toString(), u"lead"_s);

    // export to a file, and to standard output: the same bytes.
    const auto file = path(u"exported-catalog.json"_s);
    r = run({u"--db"_s, db, u"event-types"_s, u"export"_s, u"-o"_s, file});
    CLI_OK(r);
    QVERIFY(r.out.isEmpty());
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto exported = f.readAll();
    r = run({u"--db"_s, db, u"event-types"_s, u"export"_s});
    CLI_OK(r);
    QCOMPARE(r.out, exported);

    // A new database without catalogs has Hookline's own only; importing the export reproduces the list.
    const auto empty = path(u"catalog-none.db"_s);
    r = run({u"--db"_s, empty, u"--catalogs"_s, u"none"_s, u"event-types"_s, u"list"_s, u"--json"_s});
    CLI_OK(r);
    QCOMPARE(idsOf(r.array(), u"name"_s),
             (QStringList{u"hookline.webhook.disabled"_s, u"hookline.webhook.failing"_s, u"hookline.webhook.recovered"_s, u"webhook.test"_s}));
    r = run({u"--db"_s, empty, u"event-types"_s, u"import"_s, file});
    CLI_OK(r);
    QVERIFY2(r.out.startsWith(u"%1 added, 0 updated, 0 unchanged"_s.arg(names.size() - 4).toUtf8()), qPrintable(r.describe()));
    r = run({u"--db"_s, empty, u"event-types"_s, u"list"_s, u"--json"_s});
    CLI_OK(r);
    const auto imported = r.array();
    QCOMPARE(idsOf(imported, u"name"_s), names);
    // Name, group, description and sample payload of every type survive the round trip.
    const auto withoutCatalog = [](const QJsonArray &a) {
        QJsonArray out;
        for (const auto &v : a) {
            auto o = v.toObject();
            o.remove(u"catalog"_s);
            out.append(o);
        }
        return out;
    };
    QCOMPARE(withoutCatalog(imported), withoutCatalog(original));
    // And so does the catalog each type came from (shown as CATALOG by `event-types list`).
    for (qsizetype i = 0; i < original.size(); ++i) {
        const auto name = original.at(i).toObject().value(u"name"_s).toString();
        QVERIFY2(imported.at(i).toObject().value(u"catalog"_s) == original.at(i).toObject().value(u"catalog"_s),
                 qPrintable(u"%1: catalog \"%2\" became \"%3\" after export + import"_s.arg(
                     name, original.at(i).toObject().value(u"catalog"_s).toString(), imported.at(i).toObject().value(u"catalog"_s).toString())));
    }

    // Importing the same file again changes nothing.
    r = run({u"--db"_s, empty, u"--json"_s, u"event-types"_s, u"import"_s, file});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"added"_s).toArray().size(), 0);
    QCOMPARE(r.object().value(u"unchanged"_s).toArray().size(), names.size() - 4);
}

// ---------------------------------------------------------------- events and deliveries

void TestCli::deliverStopsCleanlyOnSignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

// A service manager stops `deliver` with SIGTERM and reads a non-zero exit as
// a failure: a clean stop exits 0, and the summary counts what is left in the
// queue, not what this run happened to retry.
void TestCli::deliverStopsCleanlyOnSignal()
{
    QFETCH(int, signal);
    const auto db = path(u"signal-%1.db"_s.arg(signal));
    const QStringList D{u"--db"_s, db};
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowInsecureUrls"_s, u"true"_s}));
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowPrivateAddresses"_s, u"true"_s}));
    // Nothing listens on port 9: every attempt fails and waits ten minutes.
    addWebhook(db, {u"--url"_s, u"http://127.0.0.1:9/hook"_s, u"--events"_s, u"lead.created"_s, u"--schedule"_s, u"600"_s});
    for (int i = 0; i < 3; ++i)
        CLI_OK(run(D + QStringList{u"emit"_s, u"lead.created"_s, u"--data"_s, u"{}"_s}));

    QProcess p;
    p.setProcessEnvironment(baseEnvironment());
    p.start(m_cli, D + QStringList{u"-v"_s, u"deliver"_s, u"--json"_s});
    QVERIFY(p.waitForStarted(30000));
    // -v: the engine says when it has recorded the attempts; the signal
    // handlers are in place long before.
    QByteArray err;
    // (A new receiver gets two requests at once, so it takes two transactions.)
    const auto recorded = [&err] {
        static const QRegularExpression line(u"recorded (\\d+) attempts"_s);
        int n = 0;
        for (auto it = line.globalMatch(QString::fromUtf8(err)); it.hasNext();)
            n += it.next().captured(1).toInt();
        return n;
    };
    QVERIFY(QTest::qWaitFor(
        [&] {
            p.waitForReadyRead(100);
            err += p.readAllStandardError();
            return recorded() >= 3;
        },
        20000));
    ::kill(pid_t(p.processId()), signal);
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    const auto summary = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QCOMPARE(summary.value(u"succeeded"_s).toInt(), 0);
    QCOMPARE(summary.value(u"failed"_s).toInt(), 0);
    QCOMPARE(summary.value(u"attempts"_s).toInt(), 3);
    QCOMPARE(summary.value(u"retryScheduled"_s).toInt(), 3);
    QCOMPARE(summary.value(u"unfinished"_s).toInt(), 3);
}

void TestCli::serveLosesNoAcceptedEventOnSigterm()
{
    const auto db = path(u"serve-sigterm.db"_s);
    const QStringList D{u"--db"_s, db};
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowInsecureUrls"_s, u"true"_s}));
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowPrivateAddresses"_s, u"true"_s}));
    addWebhook(db, {u"--url"_s, u"http://127.0.0.1:9/hook"_s, u"--events"_s, u"lead.created"_s, u"--schedule"_s, u"600"_s});
    auto r = run(D + QStringList{u"apikey"_s, u"create"_s, u"--tenant"_s, u"default"_s, u"--json"_s});
    CLI_OK(r);
    const QByteArray key = r.object().value(u"key"_s).toString().toLatin1();
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    QProcess p;
    p.setProcessEnvironment(baseEnvironment());
    p.start(m_cli, D + QStringList{u"serve"_s, u"--listen"_s, u"127.0.0.1:%1"_s.arg(port)});
    QVERIFY(p.waitForStarted(30000));
    QByteArray err;
    QVERIFY(QTest::qWaitFor(
        [&] {
            p.waitForReadyRead(100);
            err += p.readAllStandardError();
            return err.contains("serving http://127.0.0.1");
        },
        20000));

    // 16 clients post events one after the other; SIGTERM comes in the middle.
    QNetworkAccessManager client;
    QStringList accepted;
    int answered = 0;
    int sent = 0;
    bool stopping = false;
    std::function<void()> post = [&] {
        if (stopping)
            return;
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/api/v1/events"_s.arg(port)));
        request.setRawHeader("Authorization", "Bearer " + key);
        request.setRawHeader("Content-Type", "application/json");
        ++sent;
        auto *reply = client.post(request, QByteArray(R"({"event": "lead.created", "data": {"n": )" + QByteArray::number(sent) + "}}"));
        QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply] {
            ++answered;
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 202)
                accepted << QJsonDocument::fromJson(reply->readAll()).object().value(u"id"_s).toString();
            reply->deleteLater();
            post();
        });
    };
    for (int i = 0; i < 16; ++i)
        post();
    QTRY_VERIFY_WITH_TIMEOUT(accepted.size() >= 300, 20000);
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(15000));
    stopping = true;
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(answered, sent, 10000);

    // Every event answered 202 is in the database with its delivery.
    r = run(D + QStringList{u"deliveries"_s, u"--limit"_s, u"100000"_s, u"--json"_s});
    CLI_OK(r);
    QSet<QString> stored;
    for (const auto &d : r.array())
        stored.insert(d.toObject().value(u"eventId"_s).toString());
    for (const auto &id : std::as_const(accepted))
        QVERIFY2(stored.contains(id), qPrintable(u"accepted but not stored: "_s + id));
    QVERIFY2(accepted.size() < sent, "the server answered everything: SIGTERM came too late to test anything");
}

void TestCli::emitAndDeliveries()
{
    const auto db = path(u"emit.db"_s);
    const QStringList D{u"--db"_s, db};
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowInsecureUrls"_s, u"true"_s}));
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowPrivateAddresses"_s, u"true"_s}));
    CLI_OK(run(D + QStringList{u"tenant"_s, u"add"_s, u"acme"_s, u"--plan"_s, u"SCALE"_s}));
    const auto add = [&](const QString &events, const QStringList &more) {
        return addWebhook(db, QStringList{u"--url"_s, u"http://127.0.0.1:9/hook"_s, u"--events"_s, events} + more).value(u"id"_s).toString();
    };
    // Retry options given explicitly here; the defaults are covered by webhookAddEachScheme.
    const auto exact = add(u"lead.created"_s, {u"--schedule"_s, u"60,300,1800,7200"_s});
    const auto group = add(u"lead.*"_s, {u"--scheme"_s, u"github"_s, u"--max-retries"_s, u"5"_s, u"--schedule"_s, u"1,2,3,4,5"_s});
    const auto all = add(u"*"_s, {u"--scheme"_s, u"hmac-hex"_s, u"--schedule"_s, u"10"_s, u"--jitter"_s, u"0.5"_s});
    const auto inactive = add(u"lead.created"_s, {u"--inactive"_s, u"--schedule"_s, u"10"_s});
    const auto dossier = add(u"dossier.created"_s, {u"--scheme"_s, u"stripe"_s, u"--schedule"_s, u"5,5"_s});
    const auto acme = add(u"lead.created"_s, {u"--tenant"_s, u"acme"_s, u"--schedule"_s, u"30"_s});
    for (const auto &id : {exact, group, all, inactive, dossier, acme})
        QVERIFY(id.startsWith(u"wh_"_s));

    // --data JSON: exact + group + all.
    QStringList eventIds;
    auto r = run(D + QStringList{u"emit"_s, u"lead.created"_s, u"--data"_s, uR"({"name":"Ada","score":7})"_s});
    CLI_OK(r);
    QVERIFY2(r.object().value(u"id"_s).toString().startsWith(u"evt_"_s), qPrintable(r.describe()));
    QCOMPARE(r.object().value(u"deliveries"_s).toInt(), 3);
    eventIds << r.object().value(u"id"_s).toString();
    // --data @file: all + dossier.
    QVERIFY(writeFile(path(u"dossier.json"_s), "{\n  \"dossier\": {\"id\": 12, \"title\": \"Zoë\"}\n}\n"));
    r = run(D + QStringList{u"emit"_s, u"dossier.created"_s, u"--data"_s, u"@"_s + path(u"dossier.json"_s)});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"deliveries"_s).toInt(), 2);
    eventIds << r.object().value(u"id"_s).toString();
    // --data @- (standard input): all only.
    r = run(D + QStringList{u"emit"_s, u"kpi.threshold_reached"_s, u"--data"_s, u"@-"_s}, R"({"kpi":"mrr","value":1e3})");
    CLI_OK(r);
    QCOMPARE(r.object().value(u"deliveries"_s).toInt(), 1);
    eventIds << r.object().value(u"id"_s).toString();
    // Another tenant: its own webhooks only.
    r = run(D + QStringList{u"emit"_s, u"lead.created"_s, u"--tenant"_s, u"acme"_s, u"--data"_s, u"{}"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"deliveries"_s).toInt(), 1);
    eventIds << r.object().value(u"id"_s).toString();
    // A type nobody subscribes to is recorded with no delivery.
    r = run(D + QStringList{u"emit"_s, u"alert.triggered"_s, u"--tenant"_s, u"acme"_s, u"--data"_s, u"{}"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"deliveries"_s).toInt(), 0);
    QCOMPARE(QSet<QString>(eventIds.cbegin(), eventIds.cend()).size(), 4);

    // deliveries: newest first, all pending.
    r = run(D + QStringList{u"deliveries"_s, u"--json"_s});
    CLI_OK(r);
    auto list = r.array();
    QCOMPARE(list.size(), 7);
    QStringList eventOrder;
    QString previousCreated = u"9999"_s;
    for (const auto &v : list) {
        const auto d = v.toObject();
        QCOMPARE(d.value(u"status"_s).toString(), u"pending"_s);
        QCOMPARE(d.value(u"attempts"_s).toInt(), 0);
        QVERIFY(d.value(u"id"_s).toString().startsWith(u"msg_"_s));
        const auto created = d.value(u"createdAt"_s).toString();
        QVERIFY2(created <= previousCreated, "deliveries are not newest first");
        previousCreated = created;
        if (!eventOrder.contains(d.value(u"eventId"_s).toString()))
            eventOrder << d.value(u"eventId"_s).toString();
    }
    QCOMPARE(eventOrder, (QStringList{eventIds[3], eventIds[2], eventIds[1], eventIds[0]}));
    QCOMPARE(list.at(0).toObject().value(u"webhookId"_s).toString(), acme);
    QCOMPARE(list.at(0).toObject().value(u"tenant"_s).toString(), u"acme"_s);

    r = run(D + QStringList{u"deliveries"_s, u"--json"_s, u"--webhook"_s, all});
    CLI_OK(r);
    list = r.array();
    QCOMPARE(idsOf(list, u"event"_s), (QStringList{u"kpi.threshold_reached"_s, u"dossier.created"_s, u"lead.created"_s}));
    r = run(D + QStringList{u"deliveries"_s, u"--json"_s, u"--webhook"_s, inactive});
    CLI_OK(r);
    QVERIFY(r.array().isEmpty());
    r = run(D + QStringList{u"deliveries"_s, u"--json"_s, u"--status"_s, u"pending"_s});
    CLI_OK(r);
    QCOMPARE(r.array().size(), 7);
    r = run(D + QStringList{u"deliveries"_s, u"--json"_s, u"--status"_s, u"succeeded"_s});
    CLI_OK(r);
    QCOMPARE(r.array().size(), 0);
    r = run(D + QStringList{u"deliveries"_s, u"--json"_s, u"--limit"_s, u"2"_s});
    CLI_OK(r);
    QCOMPARE(r.array().size(), 2);
    QCOMPARE(r.array().at(0).toObject().value(u"eventId"_s).toString(), eventIds[3]);
    r = run(D + QStringList{u"deliveries"_s, u"--webhook"_s, exact});
    CLI_OK(r);
    QVERIFY2(r.out.startsWith("ID") && r.out.contains("pending") && r.out.contains("lead.created"), qPrintable(r.describe()));

    // --batch: 3000 lines, one transaction each 1000 events.
    QByteArray batch;
    for (int i = 0; i < 3000; ++i) {
        switch (i % 3) {
        case 0: batch += "{\"event\":\"lead.created\",\"data\":{\"i\":" + QByteArray::number(i) + "}}\n"; break;               // 3
        case 1: batch += "{\"data\":{\"i\":" + QByteArray::number(i) + "},\"event\":\"dossier.created\"}\n"; break;            // 2
        default: batch += "{\"event\":\"lead.created\",\"tenant\":\"acme\",\"data\":{\"i\":" + QByteArray::number(i) + "}}\n"; // 1
        }
    }
    QVERIFY(writeFile(path(u"batch.jsonl"_s), batch));
    r = run(D + QStringList{u"emit"_s, u"--batch"_s, path(u"batch.jsonl"_s)});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"events"_s).toInt(), 3000);
    QCOMPARE(r.object().value(u"deliveries"_s).toInt(), 6000);
    r = run(D + QStringList{u"deliveries"_s, u"--json"_s, u"--webhook"_s, acme, u"--limit"_s, u"5000"_s});
    CLI_OK(r);
    QCOMPARE(r.array().size(), 1001);
    r = run(D + QStringList{u"deliveries"_s, u"--json"_s, u"--webhook"_s, dossier, u"--limit"_s, u"5000"_s});
    CLI_OK(r);
    QCOMPARE(r.array().size(), 1001);
}

// ---------------------------------------------------------------- settings and tenants

// The systemd unit is Type=notify: serve says READY=1 once it listens (here
// where HOOKLINE_LISTEN says, as the unit's environment file sets it) and
// STOPPING=1 on SIGTERM, over $NOTIFY_SOCKET, as sd_notify would.
void TestCli::serveTellsSystemdItIsReadyAndStopping()
{
    const auto db = path(u"serve-notify.db"_s);
    const QByteArray socketPath = QFile::encodeName(path(u"notify.sock"_s));
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    QVERIFY(fd >= 0);
    const auto closeSocket = qScopeGuard([fd] { ::close(fd); });
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    QVERIFY(std::size_t(socketPath.size()) < sizeof(address.sun_path));
    std::memcpy(address.sun_path, socketPath.constData(), std::size_t(socketPath.size()));
    QCOMPARE(::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)), 0);
    const auto receive = [fd](int timeoutMs) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) != 1)
            return QByteArray();
        char buffer[256];
        const auto n = ::recv(fd, buffer, sizeof(buffer), 0);
        return n > 0 ? QByteArray(buffer, int(n)) : QByteArray();
    };
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    auto env = baseEnvironment();
    env.insert(u"NOTIFY_SOCKET"_s, QString::fromLocal8Bit(socketPath));
    env.insert(u"HOOKLINE_LISTEN"_s, u"127.0.0.1:%1"_s.arg(port));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(m_cli, {u"--db"_s, db, u"serve"_s, u"--no-engine"_s});
    QVERIFY(p.waitForStarted(30000));
    const auto stop = qScopeGuard([&p] {
        p.kill();
        p.waitForFinished(5000);
    });
    QByteArray ready;
    QVERIFY(QTest::qWaitFor(
        [&] {
            ready = receive(50);
            return !ready.isEmpty() || p.state() == QProcess::NotRunning;
        },
        20000));
    QCOMPARE(ready, QByteArray("READY=1"));
    // Ready means listening, on the address from the environment.
    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> health(nam.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/api/v1/health"_s.arg(port)))));
    QVERIFY(QTest::qWaitFor([&] { return health->isFinished(); }, 10000));
    QCOMPARE(health->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    ::kill(pid_t(p.processId()), SIGTERM);
    QCOMPARE(receive(10000), QByteArray("STOPPING=1"));
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 0);
}

// backup FILE and restore FILE as an operator runs them: a webhook deleted
// after the backup is back after the restore, and the JSON report lists the
// tables with their rows.
void TestCli::backupAndRestore()
{
    const auto db = path(u"backup-source.db"_s);
    const QStringList D{u"--db"_s, db};
    const auto id = addWebhook(db, {u"--url"_s, u"https://hooks.example.com/backup"_s, u"--events"_s, u"lead.created"_s}).value(u"id"_s).toString();
    QVERIFY(!id.isEmpty());
    const auto file = path(u"backup-copy.db"_s);
    auto r = run(D + QStringList{u"backup"_s, file, u"--json"_s});
    CLI_OK(r);
    const auto tables = r.object().value(u"tables"_s).toArray();
    QVERIFY(!tables.isEmpty());
    bool sawWebhooks = false;
    for (const auto &t : tables) {
        if (t.toObject().value(u"table"_s).toString() == u"webhooks") {
            QCOMPARE(t.toObject().value(u"rows"_s).toInt(), 1);
            sawWebhooks = true;
        }
    }
    QVERIFY(sawWebhooks);
    CLI_OK(run(D + QStringList{u"webhook"_s, u"delete"_s, id}));
    CLI_OK(run(D + QStringList{u"restore"_s, file}));
    r = run(D + QStringList{u"webhook"_s, u"list"_s, u"--json"_s});
    CLI_OK(r);
    QCOMPARE(idsOf(r.array()), QStringList{id});
}

// verify --webhook tries the webhook's secrets, current first, and names
// the mistake that explains a signature: here a body re-serialised on the
// way, then a request signed before the secret was rotated.
void TestCli::verifyNamesTheMistake()
{
    const auto db = path(u"verify-webhook.db"_s);
    const QStringList D{u"--db"_s, db};
    const auto created = addWebhook(db, {u"--url"_s, u"https://hooks.example.com/verify"_s, u"--events"_s, u"lead.created"_s});
    const auto id = created.value(u"id"_s).toString();
    const auto secret = created.value(u"secret"_s).toString();
    QVERIFY(secret.startsWith(u"whsec_"_s));
    const QString body = uR"({"a":1,"b":[1,2]})"_s;
    auto r = run({u"--json"_s, u"sign"_s, u"--scheme"_s, u"standard"_s, u"--secret"_s, secret, u"--body"_s, body});
    CLI_OK(r);
    QStringList headerArgs;
    const auto headers = r.object().value(u"headers"_s).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        headerArgs << u"--header"_s << it.key() + u": "_s + it.value().toString();

    r = run(D + QStringList{u"--json"_s, u"verify"_s, u"--webhook"_s, id, u"--body"_s, u"{\n  \"a\": 1,\n  \"b\": [1, 2]\n}"_s} + headerArgs);
    QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
    QCOMPARE(r.object().value(u"valid"_s).toBool(), false);
    const auto findings = r.object().value(u"findings"_s).toArray();
    QCOMPARE(findings.size(), 1);
    QCOMPARE(findings.at(0).toObject().value(u"kind"_s).toString(), u"body-reserialised"_s);
    QVERIFY(!r.out.contains(secret.toUtf8()));

    CLI_OK(run(D + QStringList{u"webhook"_s, u"rotate-secret"_s, id}));
    r = run(D + QStringList{u"--json"_s, u"verify"_s, u"--webhook"_s, id, u"--body"_s, body} + headerArgs);
    CLI_OK(r);
    QCOMPARE(r.object().value(u"secretIndex"_s).toInt(), 1);
    QCOMPARE(r.object().value(u"findings"_s).toArray().at(0).toObject().value(u"kind"_s).toString(), u"previous-secret"_s);
}

// hookline-cli inspect as an administrator uses it: a webhook pointed at
// it, a test ping sent; the request is printed (one JSON line), verified
// against the webhook's secrets, and answered as told (here 503).
void TestCli::inspectShowsADeliveryArrive()
{
    const auto db = path(u"inspect.db"_s);
    const QStringList D{u"--db"_s, db};
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowInsecureUrls"_s, u"true"_s}));
    CLI_OK(run(D + QStringList{u"settings"_s, u"set"_s, u"allowPrivateAddresses"_s, u"true"_s}));
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    const auto id
        = addWebhook(db, {u"--url"_s, u"http://127.0.0.1:%1/webhook"_s.arg(port), u"--events"_s, u"lead.created"_s, u"--max-retries"_s, u"0"_s})
              .value(u"id"_s)
              .toString();
    QVERIFY(!id.isEmpty());
    QProcess inspect;
    inspect.setProcessEnvironment(baseEnvironment());
    inspect.start(m_cli, D
                             + QStringList{u"--json"_s, u"inspect"_s, u"--listen"_s, u"127.0.0.1:%1"_s.arg(port), u"--webhook"_s, id, u"--status"_s,
                                           u"503"_s, u"--count"_s, u"1"_s});
    QVERIFY(inspect.waitForStarted(30000));
    QByteArray err;
    QVERIFY(QTest::qWaitFor(
        [&] {
            inspect.waitForReadyRead(100);
            err += inspect.readAllStandardError();
            return err.contains("inspecting http://127.0.0.1");
        },
        20000));
    const auto ping = run(D + QStringList{u"webhook"_s, u"test"_s, id});
    QVERIFY2(ping.finished && ping.exitCode == 1 && ping.out.contains("HTTP 503"), qPrintable(ping.describe()));
    QVERIFY(inspect.waitForFinished(20000));
    QCOMPARE(inspect.exitCode(), 0);
    const auto line = QJsonDocument::fromJson(inspect.readAllStandardOutput().trimmed()).object();
    QCOMPARE(line.value(u"method"_s).toString(), u"POST"_s);
    QCOMPARE(line.value(u"answeredStatus"_s).toInt(), 503);
    QCOMPARE(line.value(u"headers"_s).toObject().value(u"X-Webhook-Event"_s).toString(), u"webhook.test"_s);
    QCOMPARE(line.value(u"signature"_s).toObject().value(u"valid"_s).toBool(), true);
}

void TestCli::settingsGetSetList()
{
    const QStringList D{u"--db"_s, path(u"settings.db"_s)};
    auto r = run(D + QStringList{u"settings"_s, u"list"_s, u"--json"_s});
    CLI_OK(r);
    auto s = r.object();
    QCOMPARE(s.value(u"allowInsecureUrls"_s).toString(), u"false"_s);
    QCOMPARE(s.value(u"allowPrivateAddresses"_s).toString(), u"false"_s);
    QCOMPARE(s.value(u"headerPrefix"_s).toString(), u"X-Webhook"_s);
    QCOMPARE(s.value(u"retention"_s).toString(), u"100"_s);
    r = run(D + QStringList{u"settings"_s, u"list"_s});
    CLI_OK(r);
    QVERIFY(r.out.startsWith("KEY") && r.out.contains("rotationGraceSeconds"));

    r = run(D + QStringList{u"settings"_s, u"get"_s, u"retention"_s});
    CLI_OK(r);
    QCOMPARE(r.out, QByteArray("100\n"));
    r = run(D + QStringList{u"settings"_s, u"set"_s, u"retention"_s, u"250"_s});
    CLI_OK(r);
    QCOMPARE(r.out, QByteArray("250\n"));
    r = run(D + QStringList{u"settings"_s, u"set"_s, u"allowInsecureUrls"_s, u"yes"_s});
    CLI_OK(r);
    QCOMPARE(r.out, QByteArray("true\n"));
    r = run(D + QStringList{u"settings"_s, u"set"_s, u"headerPrefix"_s, u"X-FinSight"_s});
    CLI_OK(r);
    r = run(D + QStringList{u"--json"_s, u"settings"_s, u"get"_s, u"retention"_s});
    CLI_OK(r);
    QCOMPARE(r.object(), (QJsonObject{{u"retention"_s, u"250"_s}}));
    r = run(D + QStringList{u"settings"_s, u"list"_s, u"--json"_s});
    CLI_OK(r);
    s = r.object();
    QCOMPARE(s.value(u"retention"_s).toString(), u"250"_s);
    QCOMPARE(s.value(u"allowInsecureUrls"_s).toString(), u"true"_s);
    QCOMPARE(s.value(u"headerPrefix"_s).toString(), u"X-FinSight"_s);
    r = run(D + QStringList{u"settings"_s, u"reset"_s, u"retention"_s});
    CLI_OK(r);
    QCOMPARE(r.out, QByteArray("100\n"));
}

void TestCli::tenantsAndQuota()
{
    const auto db = path(u"tenants.db"_s);
    const QStringList D{u"--db"_s, db};
    auto r = run(D + QStringList{u"tenant"_s, u"add"_s, u"acme"_s, u"--plan"_s, u"PRO"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"id"_s).toString(), u"acme"_s);
    QCOMPARE(r.object().value(u"plan"_s).toString(), u"PRO"_s);
    QCOMPARE(r.object().value(u"webhookQuota"_s).toInt(), 5);
    r = run(D + QStringList{u"tenant"_s, u"list"_s, u"--json"_s});
    CLI_OK(r);
    QCOMPARE(idsOf(r.array()), (QStringList{u"acme"_s, u"default"_s}));
    // A new installation's default tenant is on a plan without limits.
    QCOMPARE(r.array().at(1).toObject().value(u"plan"_s).toString(), u"UNLIMITED"_s);
    QVERIFY(r.array().at(1).toObject().value(u"webhookQuota"_s).isNull());

    for (int i = 0; i < 5; ++i) {
        const auto w = addWebhook(
            db, {u"--url"_s, u"https://hooks.example.com/%1"_s.arg(i), u"--events"_s, u"*"_s, u"--tenant"_s, u"acme"_s, u"--schedule"_s, u"60"_s});
        QCOMPARE(w.value(u"tenant"_s).toString(), u"acme"_s);
    }
    // The sixth is refused, says why, and changes nothing.
    const auto before = dbState(db);
    r = run(D
            + QStringList{u"webhook"_s, u"add"_s, u"--url"_s, u"https://hooks.example.com/6"_s, u"--events"_s, u"*"_s, u"--tenant"_s, u"acme"_s,
                          u"--schedule"_s, u"60"_s});
    QVERIFY2(r.finished && r.exitCode != 0 && r.out.isEmpty() && r.err.count('\n') == 1, qPrintable(r.describe()));
    QVERIFY2(r.err.contains("PRO") && r.err.contains("5 webhooks"), qPrintable(r.describe()));
    QCOMPARE(dbState(db), before);
    r = run(D + QStringList{u"webhook"_s, u"list"_s, u"--json"_s, u"--tenant"_s, u"acme"_s});
    CLI_OK(r);
    QCOMPARE(r.array().size(), 5);
    // A bigger plan lifts the limit.
    r = run(D + QStringList{u"tenant"_s, u"set-plan"_s, u"acme"_s, u"--plan"_s, u"SCALE"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"webhookQuota"_s).toInt(), 20);
    addWebhook(db, {u"--url"_s, u"https://hooks.example.com/6"_s, u"--events"_s, u"*"_s, u"--tenant"_s, u"acme"_s, u"--schedule"_s, u"60"_s});

    // Plans are data: an administrator adds one and changes it; the seeds' stay as they are.
    r = run(D + QStringList{u"plan"_s, u"add"_s, u"gold"_s, u"--webhooks"_s, u"1"_s, u"--requests-per-minute"_s, u"unlimited"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"name"_s).toString(), u"GOLD"_s);
    QVERIFY(r.object().value(u"requestsPerMinute"_s).isNull());
    r = run(D + QStringList{u"tenant"_s, u"add"_s, u"initech"_s, u"--plan"_s, u"gold"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"webhookQuota"_s).toInt(), 1);
    addWebhook(db, {u"--url"_s, u"https://hooks.example.com/i1"_s, u"--events"_s, u"*"_s, u"--tenant"_s, u"initech"_s});
    r = run(D
            + QStringList{u"webhook"_s, u"add"_s, u"--url"_s, u"https://hooks.example.com/i2"_s, u"--events"_s, u"*"_s, u"--tenant"_s, u"initech"_s});
    QVERIFY2(r.finished && r.exitCode != 0 && r.err.contains("GOLD"), qPrintable(r.describe()));
    r = run(D + QStringList{u"plan"_s, u"update"_s, u"GOLD"_s, u"--webhooks"_s, u"3"_s});
    CLI_OK(r);
    QCOMPARE(r.object().value(u"webhookQuota"_s).toInt(), 3);
    addWebhook(db, {u"--url"_s, u"https://hooks.example.com/i2"_s, u"--events"_s, u"*"_s, u"--tenant"_s, u"initech"_s});
    r = run(D + QStringList{u"plan"_s, u"update"_s, u"PRO"_s, u"--webhooks"_s, u"50"_s});
    QVERIFY2(r.finished && r.exitCode != 0 && r.err.contains("built-in"), qPrintable(r.describe()));
    r = run(D + QStringList{u"plan"_s, u"list"_s, u"--json"_s});
    CLI_OK(r);
    QCOMPARE(idsOf(r.array(), u"name"_s), (QStringList{u"FREE"_s, u"GOLD"_s, u"PRO"_s, u"SCALE"_s, u"ENTERPRISE"_s, u"UNLIMITED"_s}));
}

// ---------------------------------------------------------------- refusals

// clang-format off
void TestCli::refusesBadInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("stdinData");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("keyword");

    const auto row = [](const char *tag, const QStringList &args, int exitCode, const QString &keyword, const QByteArray &in = {}) {
        QTest::newRow(tag) << args << in << exitCode << keyword;
    };
    const QStringList emitLead{u"emit"_s, u"lead.created"_s, u"--data"_s};
    const QStringList add{u"webhook"_s, u"add"_s, u"--url"_s, u"https://hooks.example.com/x"_s, u"--events"_s, u"lead.created"_s};
    const QStringList addUrl{u"webhook"_s, u"add"_s, u"--events"_s, u"lead.created"_s, u"--url"_s};

    // emit
    row("emit: invalid JSON", emitLead + QStringList{u"{\n  \"name\": \"Ada\",\n  \"score\": }"_s}, 1, u"line 3, column 12"_s);
    row("emit: invalid JSON, trailing comma", emitLead + QStringList{uR"({"a": 1,})"_s}, 1, u"line 1, column 9"_s);
    row("emit: empty data", emitLead + QStringList{QString()}, 1, u"invalid JSON"_s);
    row("emit: unknown event type", {u"emit"_s, u"no.such_type"_s, u"--data"_s, u"{}"_s}, 1, u"unknown event type \"no.such_type\""_s);
    row("emit: type names are case-sensitive", {u"emit"_s, u"Lead.Created"_s, u"--data"_s, u"{}"_s}, 1, u"unknown event type"_s);
    row("emit: body over 1 MB", emitLead + QStringList{u"@%DIR%/big.json"_s}, 1, u"over the 1 MB limit"_s);
    row("emit: data is an array", emitLead + QStringList{u"[1, 2, 3]"_s}, 1, u"object"_s);
    row("emit: data is a string", emitLead + QStringList{u"\"text\""_s}, 1, u"object"_s);
    row("emit: @- with invalid stdin", emitLead + QStringList{u"@-"_s}, 1, u"line 1"_s, "{\"a\" 1}");
    row("emit: missing @file", emitLead + QStringList{u"@%DIR%/no-such-file.json"_s}, 1, u"cannot read"_s);
    row("emit: unknown tenant", emitLead + QStringList{u"{}"_s, u"--tenant"_s, u"ghost"_s}, 1, u"no tenant \"ghost\""_s);
    row("emit: --batch, bad JSON on line 3", {u"emit"_s, u"--batch"_s, u"%DIR%/batch-bad-json.jsonl"_s}, 1, u"line 3"_s);
    row("emit: --batch, unknown type on line 2", {u"emit"_s, u"--batch"_s, u"%DIR%/batch-unknown-type.jsonl"_s}, 1, u"line 2: event: unknown event type"_s);
    row("emit: --batch, array data on line 4", {u"emit"_s, u"--batch"_s, u"%DIR%/batch-array-data.jsonl"_s}, 1, u"line 4"_s);
    row("emit: --batch, no event", {u"emit"_s, u"--batch"_s, u"%DIR%/batch-empty.jsonl"_s}, 1, u"no event"_s);
    row("emit: --batch, missing file", {u"emit"_s, u"--batch"_s, u"%DIR%/no-such.jsonl"_s}, 1, u"cannot read"_s);
    row("emit: --batch with a TYPE", {u"emit"_s, u"lead.created"_s, u"--batch"_s, u"%DIR%/batch-empty.jsonl"_s}, 2, u"--batch"_s);
    row("emit: missing --data", {u"emit"_s, u"lead.created"_s}, 2, u"--data is required"_s);

    // webhook add
    row("add: not a URL", addUrl + QStringList{u"not a url"_s}, 1, u"must start with https:// (it has no scheme)"_s);
    row("add: a password, and a space", addUrl + QStringList{u"http://user:hunter2@host/x y"_s}, 1,
        u"must not carry a user name or password; send credentials in a custom header"_s);
    row("add: ftp://", addUrl + QStringList{u"ftp://files.example.com/x"_s}, 1, u"https://"_s);
    row("add: no scheme", addUrl + QStringList{u"hooks.example.com/x"_s}, 1, u"https://"_s);
    row("add: no host", addUrl + QStringList{u"https:///x"_s}, 1, u"no host"_s);
    row("add: https://", addUrl + QStringList{u"https://"_s}, 1, u"no host"_s);
    row("add: credentials in the URL", addUrl + QStringList{u"https://user:pw@hooks.example.com/x"_s}, 1, u"password"_s);
    row("add: http:// while allowInsecureUrls is false", addUrl + QStringList{u"http://hooks.example.com/x"_s}, 1, u"allowInsecureUrls"_s);
    row("add: private address 10.0.0.1", addUrl + QStringList{u"https://10.0.0.1/hook"_s}, 1, u"host 10.0.0.1 is a private"_s);
    row("add: 10.0.0.1 as a decimal number", addUrl + QStringList{u"https://167772161/hook"_s}, 1, u"private"_s);
    row("add: 10.0.0.1 mapped into IPv6", addUrl + QStringList{u"https://[::ffff:10.0.0.1]/hook"_s}, 1, u"private"_s);
    row("add: loopback 127.0.0.1", addUrl + QStringList{u"https://127.0.0.1:8443/hook"_s}, 1, u"loopback"_s);
    row("add: localhost", addUrl + QStringList{u"https://localhost/hook"_s}, 1, u"localhost"_s);
    row("add: link-local [fe80::1]", addUrl + QStringList{u"https://[fe80::1]/hook"_s}, 1, u"link-local"_s);
    row("add: cloud metadata 169.254.169.254", addUrl + QStringList{u"https://169.254.169.254/latest"_s}, 1, u"allowPrivateAddresses"_s);
    row("add: reserved header Content-Type", add + QStringList{u"--header"_s, u"Content-Type: text/plain"_s}, 1, u"Content-Type is set by Hookline"_s);
    row("add: reserved header X-Webhook-Signature", add + QStringList{u"--header"_s, u"x-webhook-signature: forged"_s}, 1, u"X-Webhook-Signature is set by Hookline"_s);
    row("add: reserved header webhook-signature", add + QStringList{u"--header"_s, u"Webhook-Signature: v1,forged"_s}, 1, u"webhook-signature is set by Hookline"_s);
    row("add: reserved header User-Agent", add + QStringList{u"--header"_s, u"User-Agent: me"_s}, 1, u"User-Agent"_s);
    row("add: invalid header name", add + QStringList{u"--header"_s, u"Bad Header: x"_s}, 1, u"not a valid header name"_s);
    row("add: header without a colon", add + QStringList{u"--header"_s, u"NoColon"_s}, 1, u"NAME:VALUE"_s);
    row("add: header given twice", add + QStringList{u"--header"_s, u"X-A: 1"_s, u"--header"_s, u"x-a: 2"_s}, 1, u"twice"_s);
    row("add: unknown event type", {u"webhook"_s, u"add"_s, u"--url"_s, u"https://hooks.example.com/x"_s, u"--events"_s, u"lead.created,no.such_type"_s}, 1, u"no.such_type"_s);
    row("add: unknown event group", {u"webhook"_s, u"add"_s, u"--url"_s, u"https://hooks.example.com/x"_s, u"--events"_s, u"nosuch.*"_s}, 1, u"group"_s);
    row("add: no event", {u"webhook"_s, u"add"_s, u"--url"_s, u"https://hooks.example.com/x"_s, u"--events"_s, u","_s}, 1, u"at least one event"_s);
    row("add: unknown scheme", add + QStringList{u"--scheme"_s, u"sha1"_s}, 1, u"\"sha1\" is not one of"_s);
    row("add: --max-retries 999", add + QStringList{u"--max-retries"_s, u"999"_s}, 1, u"--max-retries"_s);
    row("add: --max-retries abc", add + QStringList{u"--max-retries"_s, u"abc"_s}, 1, u"--max-retries"_s);
    row("add: --retry-delay -1", add + QStringList{u"--retry-delay"_s, u"-1"_s}, 1, u"--retry-delay"_s);
    row("add: --retry-delay nan", add + QStringList{u"--retry-delay"_s, u"nan"_s}, 1, u"--retry-delay"_s);
    row("add: --jitter 2", add + QStringList{u"--jitter"_s, u"2"_s}, 1, u"--jitter"_s);
    row("add: --backoff linear", add + QStringList{u"--backoff"_s, u"linear"_s}, 1, u"backoff"_s);
    row("add: --schedule 60,x", add + QStringList{u"--schedule"_s, u"60,x"_s}, 1, u"schedule"_s);
    row("add: --schedule with --max-retries mismatch", add + QStringList{u"--schedule"_s, u"60,300"_s, u"--max-retries"_s, u"5"_s}, 1, u"schedule"_s);
    row("add: --auto-disable-after -1", add + QStringList{u"--auto-disable-after"_s, u"-1"_s}, 1, u"--auto-disable-after"_s);
    row("add: --retention 0", add + QStringList{u"--retention"_s, u"0"_s}, 1, u"--retention"_s);
    row("add: short secret", add + QStringList{u"--secret"_s, u"abc"_s, u"--scheme"_s, u"github"_s}, 1, u"secret"_s);
    row("add: standard secret that is not base64", add + QStringList{u"--secret"_s, u"whsec_not*base64!!"_s}, 1, u"Standard Webhooks secret"_s);
    row("add: unknown tenant", add + QStringList{u"--tenant"_s, u"ghost"_s}, 1, u"no tenant \"ghost\""_s);
    row("add: missing --url", {u"webhook"_s, u"add"_s, u"--events"_s, u"lead.created"_s}, 2, u"--url is required"_s);
    row("add: missing --events", {u"webhook"_s, u"add"_s, u"--url"_s, u"https://hooks.example.com/x"_s}, 2, u"--events is required"_s);
    row("add: unknown option", add + QStringList{u"--colour"_s, u"red"_s}, 2, u"colour"_s);
    row("add: option without its value", {u"webhook"_s, u"add"_s, u"--events"_s, u"lead.created"_s, u"--url"_s}, 2, u"url"_s);

    // webhook update / delete / rotate-secret
    row("update: unknown id", {u"webhook"_s, u"update"_s, u"wh_doesnotexist"_s, u"--name"_s, u"x"_s}, 1, u"no webhook with id \"wh_doesnotexist\""_s);
    row("update: bad URL", {u"webhook"_s, u"update"_s, u"%WH%"_s, u"--url"_s, u"ftp://x.example.com"_s}, 1, u"https://"_s);
    row("update: unknown event type", {u"webhook"_s, u"update"_s, u"%WH%"_s, u"--events"_s, u"no.such_type"_s}, 1, u"no.such_type"_s);
    row("update: reserved header", {u"webhook"_s, u"update"_s, u"%WH%"_s, u"--header"_s, u"Stripe-Signature: x"_s}, 1, u"Stripe-Signature"_s);
    row("update: --active and --inactive", {u"webhook"_s, u"update"_s, u"%WH%"_s, u"--active"_s, u"--inactive"_s}, 1, u"not both"_s);
    row("update: --jitter 2", {u"webhook"_s, u"update"_s, u"%WH%"_s, u"--jitter"_s, u"2"_s}, 1, u"--jitter"_s);
    row("update: move to an unknown tenant", {u"webhook"_s, u"update"_s, u"%WH%"_s, u"--tenant"_s, u"ghost"_s}, 1, u"ghost"_s);
    row("update: no id", {u"webhook"_s, u"update"_s, u"--name"_s, u"x"_s}, 2, u"webhook id"_s);
    row("delete: unknown id", {u"webhook"_s, u"delete"_s, u"wh_doesnotexist"_s}, 1, u"no webhook with id \"wh_doesnotexist\""_s);
    row("delete: two ids", {u"webhook"_s, u"delete"_s, u"%WH%"_s, u"wh_other"_s}, 2, u"exactly one webhook id"_s);
    row("rotate-secret: unknown id", {u"webhook"_s, u"rotate-secret"_s, u"wh_doesnotexist"_s}, 1, u"no webhook with id \"wh_doesnotexist\""_s);
    row("rotate-secret: --grace -5", {u"webhook"_s, u"rotate-secret"_s, u"%WH%"_s, u"--grace"_s, u"-5"_s}, 1, u"--grace"_s);
    row("show: unknown id", {u"webhook"_s, u"show"_s, u"wh_doesnotexist"_s}, 1, u"no webhook"_s);
    row("webhook: unknown sub-command", {u"webhook"_s, u"remove"_s, u"%WH%"_s}, 2, u"remove"_s);
    row("webhook test: unknown id", {u"webhook"_s, u"test"_s, u"wh_doesnotexist"_s}, 1, u"no webhook with id \"wh_doesnotexist\""_s);
    row("replay: unknown delivery", {u"replay"_s, u"msg_doesnotexist"_s}, 1, u"no delivery with id \"msg_doesnotexist\""_s);
    row("replay: bad --since", {u"replay"_s, u"--webhook"_s, u"%WH%"_s, u"--since"_s, u"yesterday"_s}, 1, u"--since"_s);
    row("replay: --status pending", {u"replay"_s, u"--webhook"_s, u"%WH%"_s, u"--status"_s, u"pending"_s}, 1, u"--status"_s);
    row("deliver: --workers 0", {u"deliver"_s, u"--until-idle"_s, u"--workers"_s, u"0"_s}, 1, u"--workers"_s);

    // event-types
    row("import: malformed JSON", {u"event-types"_s, u"import"_s, u"%DIR%/catalog-bad-json.json"_s}, 1, u"line 2"_s);
    row("import: invalid name", {u"event-types"_s, u"import"_s, u"%DIR%/catalog-bad-name.json"_s}, 1, u"eventTypes[1]"_s);
    row("import: no eventTypes", {u"event-types"_s, u"import"_s, u"%DIR%/catalog-no-types.json"_s}, 1, u"eventTypes"_s);
    row("import: missing file", {u"event-types"_s, u"import"_s, u"%DIR%/no-such-catalog.json"_s}, 1, u"cannot read"_s);
    row("import: unknown built-in", {u"event-types"_s, u"import"_s, u"--builtin"_s, u"nosuch"_s}, 1, u"nosuch"_s);
    row("export: unwritable -o", {u"event-types"_s, u"export"_s, u"-o"_s, u"%DIR%/no-such-dir/out.json"_s}, 1, u"cannot write"_s);
    row("import: no file", {u"event-types"_s, u"import"_s}, 2, u"catalog file"_s);

    // deliveries
    row("deliveries: unknown status", {u"deliveries"_s, u"--status"_s, u"done"_s}, 1, u"\"done\" is not one of"_s);
    row("deliveries: --limit 0", {u"deliveries"_s, u"--limit"_s, u"0"_s}, 1, u"--limit"_s);

    // settings
    row("settings set: unknown key", {u"settings"_s, u"set"_s, u"allowEverything"_s, u"true"_s}, 1, u"unknown setting \"allowEverything\""_s);
    row("settings set: retention abc", {u"settings"_s, u"set"_s, u"retention"_s, u"abc"_s}, 1, u"retention"_s);
    row("settings set: retention 0", {u"settings"_s, u"set"_s, u"retention"_s, u"0"_s}, 1, u"between"_s);
    row("settings set: retention 1.5", {u"settings"_s, u"set"_s, u"retention"_s, u"1.5"_s}, 1, u"whole number"_s);
    row("settings set: boolean maybe", {u"settings"_s, u"set"_s, u"allowInsecureUrls"_s, u"maybe"_s}, 1, u"true or false"_s);
    row("settings set: header prefix with a space", {u"settings"_s, u"set"_s, u"headerPrefix"_s, u"X Bad"_s}, 1, u"headerPrefix"_s);
    row("settings set: requestTimeoutSeconds inf", {u"settings"_s, u"set"_s, u"requestTimeoutSeconds"_s, u"inf"_s}, 1, u"requestTimeoutSeconds"_s);
    row("settings set: requestTimeoutSeconds nan", {u"settings"_s, u"set"_s, u"requestTimeoutSeconds"_s, u"nan"_s}, 1, u"requestTimeoutSeconds"_s);
    row("settings set: missing CA file", {u"settings"_s, u"set"_s, u"extraCaCertificates"_s, u"%DIR%/no-such.pem"_s}, 1, u"no-such.pem: no such file"_s);
    row("settings get: unknown key", {u"settings"_s, u"get"_s, u"nope"_s}, 1, u"unknown setting"_s);
    row("settings reset: unknown key", {u"settings"_s, u"reset"_s, u"nope"_s}, 1, u"unknown setting"_s);
    row("settings set: missing value", {u"settings"_s, u"set"_s, u"retention"_s}, 2, u"2 arguments"_s);

    // tenants
    row("tenant add: bad plan", {u"tenant"_s, u"add"_s, u"globex"_s, u"--plan"_s, u"GOLD"_s}, 1, u"no plan \"GOLD\""_s);
    row("tenant add: existing", {u"tenant"_s, u"add"_s, u"acme"_s, u"--plan"_s, u"FREE"_s}, 1, u"already exists"_s);
    row("tenant add: invalid id", {u"tenant"_s, u"add"_s, u"bad id!"_s, u"--plan"_s, u"FREE"_s}, 1, u"not a valid tenant id"_s);
    row("apikey create: no such tenant", {u"apikey"_s, u"create"_s, u"--tenant"_s, u"nobody"_s}, 1, u"no tenant \"nobody\""_s);
    row("apikey create: admin with a tenant", {u"apikey"_s, u"create"_s, u"--admin"_s, u"--tenant"_s, u"acme"_s}, 1, u"an admin key is for every tenant"_s);
    row("apikey revoke: unknown id", {u"apikey"_s, u"revoke"_s, u"key_nothere"_s}, 1, u"no API key \"key_nothere\""_s);
    row("apikey: no sub-command", {u"apikey"_s}, 2, u"apikey needs a sub-command"_s);
    row("tenant set-plan: missing --plan", {u"tenant"_s, u"set-plan"_s, u"globex"_s}, 2, u"--plan is required"_s);
    row("tenant set-plan: unknown tenant", {u"tenant"_s, u"set-plan"_s, u"ghost"_s, u"--plan"_s, u"PRO"_s}, 1, u"ghost"_s);
    row("tenant: unknown sub-command", {u"tenant"_s, u"remove"_s, u"acme"_s}, 2, u"sub-command"_s);

    // sign / verify (no database involved, same rules)
    row("sign: unknown scheme", {u"sign"_s, u"--scheme"_s, u"md5"_s, u"--secret"_s, u"abcdefgh"_s, u"--body"_s, u"x"_s}, 1, u"\"md5\" is not one of"_s);
    row("sign: both --body and --body-file", {u"sign"_s, u"--scheme"_s, u"github"_s, u"--secret"_s, u"abcdefgh"_s, u"--body"_s, u"x"_s, u"--body-file"_s, u"%DIR%/hello.txt"_s}, 1, u"exactly one"_s);
    row("sign: bad --timestamp", {u"sign"_s, u"--scheme"_s, u"stripe"_s, u"--secret"_s, u"abcdefgh"_s, u"--body"_s, u"x"_s, u"--timestamp"_s, u"soon"_s}, 1, u"--timestamp"_s);
    row("sign: standard secret not base64", {u"sign"_s, u"--scheme"_s, u"standard"_s, u"--secret"_s, u"whsec_***"_s, u"--body"_s, u"x"_s}, 1, u"secret"_s);
    row("sign: missing --secret", {u"sign"_s, u"--scheme"_s, u"github"_s, u"--body"_s, u"x"_s}, 2, u"--secret"_s);
    row("verify: header without colon", {u"verify"_s, u"--secret"_s, u"abcdefgh"_s, u"--body"_s, u"x"_s, u"--header"_s, u"X-Hub-Signature-256"_s}, 1, u"'Name: value'"_s);
    // A valid signature: only the malformed --now is wrong.
    row("verify: bad --now", {u"verify"_s, u"--secret"_s, kGithubSecret, u"--body"_s, kGithubBody, u"--header"_s, u"X-Hub-Signature-256: "_s + kGithubSig,
                              u"--now"_s, u"soon"_s}, 1, u"--now"_s);
    row("verify: bad --tolerance", {u"verify"_s, u"--secret"_s, kGithubSecret, u"--body"_s, kGithubBody, u"--header"_s, u"X-Hub-Signature-256: "_s + kGithubSig,
                                    u"--tolerance"_s, u"5m"_s}, 1, u"--tolerance"_s);
    row("verify: missing --secret", {u"verify"_s, u"--body"_s, u"x"_s}, 2, u"--secret is required (or --webhook ID)"_s);

    // whole-database moves
    row("backup: no file", {u"backup"_s}, 2, u"give one FILE"_s);
    row("backup: over an existing file", {u"backup"_s, u"%DIR%/big.json"_s}, 1, u"exists already"_s);
    row("restore: no file", {u"restore"_s}, 2, u"give one FILE"_s);
    row("restore: missing file", {u"restore"_s, u"%DIR%/no-such-backup.db"_s}, 1, u"does not exist"_s);
    row("restore: not a database", {u"restore"_s, u"%DIR%/big.json"_s}, 1, u"not a SQLite database"_s);
    row("db: no sub-command", {u"db"_s}, 2, u"db needs a sub-command"_s);
    row("db copy: no --to", {u"db"_s, u"copy"_s}, 2, u"needs --to"_s);
    row("db copy: not PostgreSQL", {u"db"_s, u"copy"_s, u"--to"_s, u"%DIR%/other.db"_s}, 1, u"expected a postgresql:// URL"_s);

    // the command line itself
    row("unknown command", {u"frobnicate"_s}, 2, u"unknown command \"frobnicate\""_s);
    row("no command", {}, 2, u"Usage"_s);
}
// clang-format on

void TestCli::refusesBadInput()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, stdinData);
    QFETCH(int, exitCode);
    QFETCH(QString, keyword);

    const auto before = dbState(m_fixtureDb);
    QVERIFY(before.startsWith("db=") && !before.startsWith("db=absent"));
    const auto r = run(QStringList{u"--db"_s, m_fixtureDb} + expand(args), stdinData);
    QVERIFY2(r.finished, qPrintable(r.describe()));
    QVERIFY2(r.exitCode == exitCode, qPrintable(r.describe()));
    QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
    const bool noCommand = args.isEmpty(); // the bare command prints the whole usage on stderr
    if (!noCommand) {
        QVERIFY2(r.err.count('\n') == 1 && r.err.endsWith('\n'), qPrintable(u"not exactly one line on stderr: "_s + r.describe()));
        QVERIFY2(r.err.startsWith("hookline-cli: "), qPrintable(r.describe()));
    }
    QVERIFY2(QString::fromUtf8(r.err).contains(expand({keyword}).first()), qPrintable(u"stderr does not say \"%1\": "_s.arg(keyword) + r.describe()));
    // A password given on the command line is never repeated.
    if (args.join(u' ').contains(u"hunter2"_s))
        QVERIFY2(!r.err.contains("hunter2"), qPrintable(r.describe()));
    QCOMPARE(dbState(m_fixtureDb), before);
}

// A command refused for its syntax alone does not create a database at a
// mistyped --db path.
// clang-format off
void TestCli::refusalsDoNotCreateADatabase_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("unknown command") << QStringList{u"frobnicate"_s};
    QTest::newRow("webhook add without --url") << QStringList{u"webhook"_s, u"add"_s, u"--events"_s, u"lead.created"_s};
    QTest::newRow("webhook add, unknown scheme") << QStringList{u"webhook"_s, u"add"_s, u"--url"_s, u"https://a.example.com"_s,
                                                                 u"--events"_s, u"lead.created"_s, u"--scheme"_s, u"sha1"_s};
    QTest::newRow("webhook add, --max-retries 999") << QStringList{u"webhook"_s, u"add"_s, u"--url"_s, u"https://a.example.com"_s,
                                                                    u"--events"_s, u"lead.created"_s, u"--max-retries"_s, u"999"_s};
    QTest::newRow("emit without --data") << QStringList{u"emit"_s, u"lead.created"_s};
    QTest::newRow("emit, missing @file") << QStringList{u"emit"_s, u"lead.created"_s, u"--data"_s, u"@%DIR%/no-such-file.json"_s};
    QTest::newRow("event-types import, malformed") << QStringList{u"event-types"_s, u"import"_s, u"%DIR%/catalog-bad-json.json"_s};
    QTest::newRow("deliveries, unknown status") << QStringList{u"deliveries"_s, u"--status"_s, u"done"_s};
    QTest::newRow("settings, unknown sub-command") << QStringList{u"settings"_s, u"frob"_s};
    QTest::newRow("tenant, unknown sub-command") << QStringList{u"tenant"_s, u"frob"_s};
    QTest::newRow("tenant add, bad plan name") << QStringList{u"tenant"_s, u"add"_s, u"globex"_s, u"--plan"_s, u"GOLD!"_s};
    QTest::newRow("tenant set-plan, missing --plan") << QStringList{u"tenant"_s, u"set-plan"_s, u"globex"_s};
    QTest::newRow("plan add, missing limits") << QStringList{u"plan"_s, u"add"_s, u"GOLD"_s};
    QTest::newRow("plan add, bad limit") << QStringList{u"plan"_s, u"add"_s, u"GOLD"_s, u"--webhooks"_s, u"many"_s, u"--requests-per-minute"_s, u"5"_s};
    // Refused because of a catalog name: the new database must not be left behind half made.
    QTest::newRow("--catalogs with an unknown name") << QStringList{u"--catalogs"_s, u"crm,nosuch"_s, u"event-types"_s, u"list"_s};
}
// clang-format on

void TestCli::refusalsDoNotCreateADatabase()
{
    QFETCH(QStringList, args);
    static int n = 0;
    const auto db = path(u"typo-%1/must-not-exist.db"_s.arg(++n));
    const auto r = run(QStringList{u"--db"_s, db} + expand(args));
    QVERIFY2(r.finished && r.exitCode != 0 && r.out.isEmpty() && r.err.count('\n') == 1, qPrintable(r.describe()));
    QVERIFY2(!QFile::exists(db), qPrintable(u"a refused command created the database: "_s + r.describe()));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
