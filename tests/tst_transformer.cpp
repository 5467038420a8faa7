// Transformer (core/engine/Transformer.*): a webhook's JavaScript transformation
// (seed 003) run in QJSEngine with a time limit, returning canonical JSON.

#include "engine/Transformer.h"
#include "service/EventService.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

using namespace hookline;

namespace {
// The process's peak resident memory so far (VmHWM), in bytes; -1 if unknown.
qint64 peakRss()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const auto &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

const QByteArray kEnvelope
    = QByteArrayLiteral(R"({"id":"evt_1","event":"lead.created","timestamp":"2026-01-01T10:00:00.000Z","data":{"name":"Ada","n":42}})");
} // namespace

class TestTransformer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void canonicalBody_data();
    void canonicalBody();
    void seedExample();
    void infiniteLoopStops_data();
    void infiniteLoopStops();
    void customTimeLimit();
    void allocationBombStopped_data();
    void allocationBombStopped();
    void throwGivesMessage_data();
    void throwGivesMessage();
    void mustReturnObject_data();
    void mustReturnObject();
    void sandbox();
    void syntaxErrorLine_data();
    void syntaxErrorLine();
    void cacheKeyReusesFunction();
    void scriptsDoNotLeakIntoEachOther();
    void check_data();
    void check();
};

// clang-format off
void TestTransformer::canonicalBody_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QByteArray>("expected");
    // Expected values are JSON.stringify's (checked with Node v20 offline).
    QTest::newRow("identity keeps key order") << QStringLiteral("return payload;") << kEnvelope;
    QTest::newRow("numbers") << QStringLiteral("return {a: 1.0, b: 2.50, c: 1e21, d: -0, e: 0.1 + 0.2, f: 1e-7};")
                             << QByteArray(R"({"a":1,"b":2.5,"c":1e+21,"d":0,"e":0.30000000000000004,"f":1e-7})");
    QTest::newRow("integer-like keys first") << QStringLiteral("return {b: 1, 2: 'x', a: 2, 1: 'y'};")
                                             << QByteArray(R"({"1":"y","2":"x","b":1,"a":2})");
    QTest::newRow("strings escaped") << QStringLiteral("return {s: 'q\"\\\\\\n\\t\\u0001é'};")
                                     << QByteArray("{\"s\":\"q\\\"\\\\\\n\\t\\u0001\xc3\xa9\"}");
    QTest::newRow("undefined and functions dropped") << QStringLiteral("return {a: undefined, f: function () {}, n: null, arr: [undefined, 1]};")
                                                     << QByteArray(R"({"n":null,"arr":[null,1]})");
    QTest::newRow("reshape") << QStringLiteral("return {type: payload.event, who: payload.data.name, at: payload.timestamp};")
                             << QByteArray(R"({"type":"lead.created","who":"Ada","at":"2026-01-01T10:00:00.000Z"})");
}
// clang-format on

void TestTransformer::canonicalBody()
{
    QFETCH(QString, script);
    QFETCH(QByteArray, expected);
    Transformer t;
    const auto out = t.apply(QStringLiteral("k"), script, kEnvelope);
    QVERIFY2(out.ok(), qPrintable(out.error));
    QCOMPARE(out.body, expected);
}

void TestTransformer::seedExample()
{
    // Seed 003's example, as printed there.
    const auto script = QStringLiteral("return {\n    ...payload,\n    custom_field: 'value',\n    timestamp: new Date().toISOString()\n  };");
    Transformer t;
    const auto before = QDateTime::currentDateTimeUtc();
    const auto out = t.apply(QStringLiteral("seed"), script, kEnvelope);
    QVERIFY2(out.ok(), qPrintable(out.error));
    static const QRegularExpression ts(QStringLiteral("\"timestamp\":\"([^\"]+)\""));
    const auto m = ts.match(QString::fromUtf8(out.body));
    QVERIFY(m.hasMatch());
    const auto when = QDateTime::fromString(m.captured(1), Qt::ISODateWithMs);
    QVERIFY(when.isValid());
    QVERIFY(std::abs(before.msecsTo(when)) < 5000);
    // The envelope's keys in their order, timestamp replaced in place, custom_field last.
    QByteArray expected = kEnvelope;
    expected.replace("2026-01-01T10:00:00.000Z", m.captured(1).toUtf8());
    expected.chop(1);
    expected += ",\"custom_field\":\"value\"}";
    QCOMPARE(out.body, expected);
}

void TestTransformer::infiniteLoopStops_data()
{
    QTest::addColumn<QString>("script");
    QTest::newRow("while (true) {}") << QStringLiteral("while (true) {}");
    QTest::newRow("for (;;) with work") << QStringLiteral("let x = 0; for (;;) { x = (x + 1) % 7; }");
    QTest::newRow("catch does not swallow the stop") << QStringLiteral("for (;;) { try { for (;;) {} } catch (e) {} }");
    QTest::newRow("finally continue does not swallow the stop") << QStringLiteral("for (;;) { try { for (;;) {} } finally { continue; } }");
    QTest::newRow("recursion in a loop") << QStringLiteral("function f(n) { return n ? f(n - 1) : 0; } for (;;) f(100);");
}

void TestTransformer::infiniteLoopStops()
{
    QFETCH(QString, script);
    Transformer t;
    QElapsedTimer clock;
    clock.start();
    const auto out = t.apply(QStringLiteral("loop"), script, kEnvelope);
    const auto ms = clock.elapsed();
    QVERIFY2(ms < 2000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
    QVERIFY2(ms >= 90, qPrintable(QStringLiteral("stopped after only %1 ms").arg(ms)));
    QVERIFY(!out.ok());
    QVERIFY2(out.error.contains(QStringLiteral("time limit")), qPrintable(out.error));
    QVERIFY(out.body.isEmpty());

    // The engine is usable again afterwards, and so is the same cached script's neighbour.
    const auto next = t.apply(QStringLiteral("ok"), QStringLiteral("return {fine: true};"), kEnvelope);
    QVERIFY2(next.ok(), qPrintable(next.error));
    QCOMPARE(next.body, QByteArray(R"({"fine":true})"));
}

void TestTransformer::customTimeLimit()
{
    Transformer t;
    QElapsedTimer clock;
    clock.start();
    const auto out = t.apply(QStringLiteral("loop"), QStringLiteral("while (true) {}"), kEnvelope, 300);
    const auto ms = clock.elapsed();
    QVERIFY(!out.ok());
    QVERIFY2(out.error.contains(QStringLiteral("300 ms")), qPrintable(out.error));
    QVERIFY2(ms >= 280 && ms < 2000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));

    // A quick script well inside the limit is never interrupted, however often it runs.
    for (int i = 0; i < 200; ++i) {
        const auto o = t.apply(QStringLiteral("quick"), QStringLiteral("return {i: payload.data.n};"), kEnvelope, 100);
        QVERIFY2(o.ok(), qPrintable(o.error));
    }
}

void TestTransformer::allocationBombStopped_data()
{
    QTest::addColumn<QString>("script");
    QTest::newRow("arrays pushed without end") << QStringLiteral("var a = []; for (;;) a.push(new Array(1e6));");
    QTest::newRow("filled arrays") << QStringLiteral("var a = []; for (;;) a.push(new Array(1e6).fill(1.5));");
    QTest::newRow("a string doubled") << QStringLiteral("var s = 'x'; for (;;) s = s + s;");
    QTest::newRow("objects kept") << QStringLiteral("var k = []; for (let i = 0; ; ++i) k.push({i: i, s: 'v' + i});");
}

void TestTransformer::allocationBombStopped()
{
    QFETCH(QString, script);
    Transformer t;
    const auto before = peakRss();
    QVERIFY(before > 0);
    QElapsedTimer clock;
    clock.start();
    // A time limit far away: the memory limit must be what stops it.
    const auto out = t.apply(QStringLiteral("bomb"), script, kEnvelope, 10'000);
    const auto ms = clock.elapsed();
    const auto grown = peakRss() - before;
    qInfo("stopped after %lld ms; peak RSS grew by %.1f MB: %s", ms, grown / 1048576.0, qPrintable(out.error));
    QVERIFY(!out.ok());
    QVERIFY2(out.error.contains(QStringLiteral("memory limit")) || out.error.contains(QStringLiteral("out of memory"), Qt::CaseInsensitive),
             qPrintable(out.error));
    // Bounded: the limit and what one poll of the watchdog lets through.
    QVERIFY2(grown < Transformer::kMaxMemoryBytes + 96 * 1024 * 1024, qPrintable(QString::number(grown)));
    // And usable again.
    const auto next = t.apply(QStringLiteral("ok"), QStringLiteral("return {fine: true};"), kEnvelope);
    QVERIFY2(next.ok(), qPrintable(next.error));
}

void TestTransformer::throwGivesMessage_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("message");
    QTest::newRow("Error") << QStringLiteral("throw new Error('boom: missing customer');") << QStringLiteral("boom: missing customer");
    QTest::newRow("TypeError") << QStringLiteral("return payload.nothing.here;") << QStringLiteral("TypeError");
    QTest::newRow("string") << QStringLiteral("throw 'plain words';") << QStringLiteral("plain words");
    QTest::newRow("ReferenceError") << QStringLiteral("return {a: notDefinedAnywhere};") << QStringLiteral("notDefinedAnywhere");
}

void TestTransformer::throwGivesMessage()
{
    QFETCH(QString, script);
    QFETCH(QString, message);
    Transformer t;
    const auto out = t.apply(QStringLiteral("k"), script, kEnvelope);
    QVERIFY(!out.ok());
    QVERIFY2(out.error.startsWith(QStringLiteral("transformation:")), qPrintable(out.error));
    QVERIFY2(out.error.contains(message), qPrintable(out.error));
}

void TestTransformer::mustReturnObject_data()
{
    QTest::addColumn<QString>("script");
    QTest::newRow("number") << QStringLiteral("return 42;");
    QTest::newRow("string") << QStringLiteral("return 'text';");
    QTest::newRow("undefined") << QStringLiteral("return undefined;");
    QTest::newRow("no return") << QStringLiteral("const a = 1;");
    QTest::newRow("null") << QStringLiteral("return null;");
    QTest::newRow("array") << QStringLiteral("return [1, 2];");
    QTest::newRow("boolean") << QStringLiteral("return true;");
}

void TestTransformer::mustReturnObject()
{
    QFETCH(QString, script);
    Transformer t;
    const auto out = t.apply(QStringLiteral("k"), script, kEnvelope);
    QVERIFY2(!out.ok(), out.body.constData());
    QVERIFY2(out.error.contains(QStringLiteral("must return an object")), qPrintable(out.error));
}

void TestTransformer::sandbox()
{
    Transformer t;
    const auto out
        = t.apply(QStringLiteral("k"),
                  QStringLiteral("return {require: typeof require, xhr: typeof XMLHttpRequest, fetch: typeof fetch, console: typeof console,"
                                 " qt: typeof Qt, print: typeof print, importScripts: typeof importScripts, setTimeout: typeof setTimeout,"
                                 " process: typeof process};"),
                  kEnvelope);
    QVERIFY2(out.ok(), qPrintable(out.error));
    QCOMPARE(out.body, QByteArray(R"({"require":"undefined","xhr":"undefined","fetch":"undefined","console":"undefined",)"
                                  R"("qt":"undefined","print":"undefined","importScripts":"undefined","setTimeout":"undefined",)"
                                  R"("process":"undefined"})"));
    // And using one is an error, not a crash.
    const auto call = t.apply(QStringLiteral("k2"), QStringLiteral("require('fs'); return {};"), kEnvelope);
    QVERIFY(!call.ok());
    QVERIFY2(call.error.contains(QStringLiteral("require")), qPrintable(call.error));
}

// clang-format off
void TestTransformer::syntaxErrorLine_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("line");
    QTest::newRow("line 1") << QStringLiteral("return {a: };") << 1;
    QTest::newRow("line 3") << QStringLiteral("const a = 1;\nconst b = 2;\nconst c = ;\nreturn {a, b};") << 3;
    // The rewriting of a spread must not move the lines the administrator sees.
    QTest::newRow("after a multi-line spread literal") << QStringLiteral("const x = {\n  ...payload,\n  a: 1\n};\n\nconst c = ;\nreturn x;") << 6;
    QTest::newRow("after a leading comment, with a spread") << QStringLiteral("// my transformation\nconst x = {...payload};\nconst c = ;\nreturn x;") << 3;
}
// clang-format on

void TestTransformer::syntaxErrorLine()
{
    QFETCH(QString, script);
    QFETCH(int, line);
    Transformer t;
    const auto out = t.apply(QStringLiteral("k"), script, kEnvelope);
    QVERIFY(!out.ok());
    QVERIFY2(out.error.contains(QStringLiteral("line %1:").arg(line)), qPrintable(out.error));
    QVERIFY2(out.error.contains(QStringLiteral("SyntaxError")), qPrintable(out.error));
    const auto checked = Transformer::check(script);
    QVERIFY(checked);
    QVERIFY2(checked->startsWith(QStringLiteral("line %1:").arg(line)), qPrintable(*checked));
}

void TestTransformer::cacheKeyReusesFunction()
{
    Transformer t;
    const auto a = t.apply(QStringLiteral("wh_1@1"), QStringLiteral("return {v: 'first'};"), kEnvelope);
    QCOMPARE(a.body, QByteArray(R"({"v":"first"})"));
    // Same key: the compiled function is reused, the new text is not even read.
    const auto b = t.apply(QStringLiteral("wh_1@1"), QStringLiteral("return {v: 'second'};"), kEnvelope);
    QCOMPARE(b.body, QByteArray(R"({"v":"first"})"));
    const auto broken = t.apply(QStringLiteral("wh_1@1"), QStringLiteral("this is not javascript"), kEnvelope);
    QVERIFY2(broken.ok(), qPrintable(broken.error));
    // A new key (the webhook was updated): compiled afresh.
    const auto c = t.apply(QStringLiteral("wh_1@2"), QStringLiteral("return {v: 'second'};"), kEnvelope);
    QCOMPARE(c.body, QByteArray(R"({"v":"second"})"));
    // A failed compilation is not cached: the same key compiles again next time.
    const auto bad = t.apply(QStringLiteral("wh_2@1"), QStringLiteral("return {;"), kEnvelope);
    QVERIFY(!bad.ok());
    const auto good = t.apply(QStringLiteral("wh_2@1"), QStringLiteral("return {fixed: 1};"), kEnvelope);
    QVERIFY2(good.ok(), qPrintable(good.error));

    // The cached function runs on each new payload.
    const auto e2 = QByteArray(R"({"id":"evt_2","event":"lead.updated","timestamp":"2026-01-01T10:00:01.000Z","data":{}})");
    const auto d1 = t.apply(QStringLiteral("wh_3@1"), QStringLiteral("return {e: payload.event};"), kEnvelope);
    const auto d2 = t.apply(QStringLiteral("wh_3@1"), QStringLiteral("return {e: payload.event};"), e2);
    QCOMPARE(d1.body, QByteArray(R"({"e":"lead.created"})"));
    QCOMPARE(d2.body, QByteArray(R"({"e":"lead.updated"})"));
}

void TestTransformer::scriptsDoNotLeakIntoEachOther()
{
    // One Transformer (one QJSEngine) serves every webhook of a worker thread.
    // One webhook's script must not change what another webhook sends.
    Transformer t;
    const auto evil = t.apply(QStringLiteral("wh_a@1"),
                              QStringLiteral("JSON.parse = function () { return {hijacked: true}; };\n"
                                             "Object.assign = function () { return {hijacked: true}; };\n"
                                             "leaked = 'from webhook a';\n"
                                             "return {a: 1};"),
                              kEnvelope);
    QVERIFY2(evil.ok(), qPrintable(evil.error));
    const auto other = t.apply(QStringLiteral("wh_b@1"), QStringLiteral("return {...payload, seen: typeof leaked};"), kEnvelope);
    QVERIFY2(other.ok(), qPrintable(other.error));
    QByteArray expected = kEnvelope;
    expected.chop(1);
    expected += ",\"seen\":\"undefined\"}";
    QCOMPARE(other.body, expected);
}

// clang-format off
void TestTransformer::check_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("error"); // empty: compiles
    QTest::newRow("seed example") << QStringLiteral("return {\n  ...payload,\n  custom_field: 'value',\n  timestamp: new Date().toISOString()\n};") << QString();
    QTest::newRow("plain") << QStringLiteral("return payload;") << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("infinite loop compiles (it is never run)") << QStringLiteral("while (true) {}") << QString();
    QTest::newRow("syntax error") << QStringLiteral("return {a: };") << QStringLiteral("line 1: SyntaxError");
    QTest::newRow("unterminated string") << QStringLiteral("return {a: 'x};") << QStringLiteral("cannot read the script: unterminated string");
    QTest::newRow("unbalanced with spread") << QStringLiteral("return {...payload;") << QStringLiteral("cannot read the script: unclosed '{'");
}
// clang-format on

void TestTransformer::check()
{
    QFETCH(QString, script);
    QFETCH(QString, error);
    const auto result = Transformer::check(script);
    if (error.isEmpty()) {
        QVERIFY2(!result, qPrintable(result.value_or(QString())));
    } else {
        QVERIFY(result);
        QVERIFY2(result->startsWith(error), qPrintable(*result));
    }
}

QTEST_GUILESS_MAIN(TestTransformer)
#include "tst_transformer.moc"
