// SpreadRewriter (core/engine/SpreadRewriter.*): object spread rewritten to a
// defining helper for Qt 6.4's QJSEngine, which has no {...x}.
//
// The expected outputs below were computed OFFLINE with Node.js v20 on the
// ORIGINAL scripts (not the rewritten ones), with
//   node -e 'const fn = new Function("payload", SCRIPT); console.log(JSON.stringify(fn(JSON.parse(PAYLOAD))))'
// and are recorded here as literals: the test runs without Node. Every case
// rewrites the script, evaluates it in QJSEngine on the same payload, and must
// give the very bytes Node gave. new Date() is replaced by a fixed date so the
// output does not depend on the clock.

#include "engine/SpreadRewriter.h"

#include <QJSEngine>
#include <QJSValue>
#include <QtTest>

using namespace hookline;

namespace {
const QByteArray kPayload = QByteArrayLiteral(
    R"({"id":"evt_1","event":"lead.created","timestamp":"2026-01-01T10:00:00.000Z","data":{"name":"Ada","n":42,"tags":["a","b"],"nested":{"k":"v"}}})");

// Runs `script` as the body of function (payload) in a fresh QJSEngine and
// returns JSON.stringify of its result, or "ERROR: ..." when it throws.
QByteArray runInQjs(const QString &script, const QByteArray &payload = kPayload)
{
    QJSEngine engine;
    const auto fn = engine.evaluate(QStringLiteral("(function (payload) {\n") + script + QStringLiteral("\n})"));
    if (fn.isError())
        return "ERROR: " + fn.toString().toUtf8();
    const auto json = engine.globalObject().property(QStringLiteral("JSON"));
    const auto arg = json.property(QStringLiteral("parse")).call({QString::fromUtf8(payload)});
    const auto result = fn.call({arg});
    if (result.isError())
        return "ERROR: " + result.toString().toUtf8();
    return json.property(QStringLiteral("stringify")).call({result}).toString().toUtf8();
}
} // namespace

class TestSpreadRewriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameResultAsNode_data();
    void sameResultAsNode();
    void documentedShapes_data();
    void documentedShapes();
    void withoutSpreadUnchanged_data();
    void withoutSpreadUnchanged();
    void arraysAndCallsUntouched();
    void errors_data();
    void errors();
    void rewrittenIsStable();
};

// clang-format off
void TestSpreadRewriter::sameResultAsNode_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QByteArray>("node"); // JSON.stringify of the original script's result under Node v20

    QTest::newRow("seed 003 example") << QStringLiteral(R"js(return {
    ...payload,
    custom_field: 'value',
    timestamp: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)).toISOString()
  };)js")
        << QByteArray(R"js({"id":"evt_1","event":"lead.created","timestamp":"2026-01-02T03:04:05.678Z","data":{"name":"Ada","n":42,"tags":["a","b"],"nested":{"k":"v"}},"custom_field":"value"})js");
    QTest::newRow("spread first") << QStringLiteral(R"js(return {...payload, a: 1};)js")
        << QByteArray(R"js({"id":"evt_1","event":"lead.created","timestamp":"2026-01-01T10:00:00.000Z","data":{"name":"Ada","n":42,"tags":["a","b"],"nested":{"k":"v"}},"a":1})js");
    QTest::newRow("spread middle") << QStringLiteral(R"js(return {a: 1, ...payload, b: 2};)js")
        << QByteArray(R"js({"a":1,"id":"evt_1","event":"lead.created","timestamp":"2026-01-01T10:00:00.000Z","data":{"name":"Ada","n":42,"tags":["a","b"],"nested":{"k":"v"}},"b":2})js");
    QTest::newRow("spread last") << QStringLiteral(R"js(return {a: 1, b: 2, ...payload.data};)js")
        << QByteArray(R"js({"a":1,"b":2,"name":"Ada","n":42,"tags":["a","b"],"nested":{"k":"v"}})js");
    QTest::newRow("spread overrides earlier key in place") << QStringLiteral(R"js(return {id: 'x', event: 'y', ...payload};)js")
        << QByteArray(R"js({"id":"evt_1","event":"lead.created","timestamp":"2026-01-01T10:00:00.000Z","data":{"name":"Ada","n":42,"tags":["a","b"],"nested":{"k":"v"}}})js");
    QTest::newRow("later key overrides spread") << QStringLiteral(R"js(return {...payload, id: 'x'};)js")
        << QByteArray(R"js({"id":"x","event":"lead.created","timestamp":"2026-01-01T10:00:00.000Z","data":{"name":"Ada","n":42,"tags":["a","b"],"nested":{"k":"v"}}})js");
    QTest::newRow("several spreads") << QStringLiteral(R"js(return {...payload.data, ...payload.data.nested, x: 1, ...{y: 2}, z: 3};)js")
        << QByteArray(R"js({"name":"Ada","n":42,"tags":["a","b"],"nested":{"k":"v"},"k":"v","x":1,"y":2,"z":3})js");
    QTest::newRow("only spreads") << QStringLiteral(R"js(return {...payload.data.nested, ...{k: 'w'}};)js")
        << QByteArray(R"js({"k":"w"})js");
    QTest::newRow("nested literals with spreads") << QStringLiteral(R"js(return {outer: {...payload.data, added: true}, list: [1, {...payload.data.nested, i: 0}], deep: {a: {b: {...payload.data.nested}}}};)js")
        << QByteArray(R"js({"outer":{"name":"Ada","n":42,"tags":["a","b"],"nested":{"k":"v"},"added":true},"list":[1,{"k":"v","i":0}],"deep":{"a":{"b":{"k":"v"}}}})js");
    QTest::newRow("spread in arrays and calls left alone") << QStringLiteral(R"js(const a = [...payload.data.tags, 'c'];
const m = Math.max(...[1, 5, 3]);
return {a, m, ...payload.data.nested};)js")
        << QByteArray(R"js({"a":["a","b","c"],"m":5,"k":"v"})js");
    QTest::newRow("strings containing dots and braces") << QStringLiteral(R"js(return {s: '...{x}', t: "}{...", u: '\'...}', ...payload.data.nested};)js")
        << QByteArray(R"js({"s":"...{x}","t":"}{...","u":"'...}","k":"v"})js");
    QTest::newRow("template literals") << QStringLiteral(R"js(const t = `a ${'{'} ...b } ${1 + 1} ${`in${'}'}ner`}`;
return {t, ...payload.data.nested};)js")
        << QByteArray(R"js({"t":"a { ...b } 2 in}ner","k":"v"})js");
    QTest::newRow("regular expressions") << QStringLiteral(R"js(const r = /\{.../g;
const q = /[/}]/;
return {r: 'a{...b'.replace(r, '#'), q: q.test('}'), ...payload.data.nested};)js")
        << QByteArray(R"js({"r":"a#b","q":true,"k":"v"})js");
    QTest::newRow("division is not a regex") << QStringLiteral(R"js(const half = payload.data.n / 2 / 1;
return {...payload.data.nested, half: (half) / 3};)js")
        << QByteArray(R"js({"k":"v","half":7})js");
    QTest::newRow("comments") << QStringLiteral(R"js(// {...payload}
/* { ... } */
return {/* ... } */ ...payload.data.nested, c: 1 // }
, d: '//' /* { */};)js")
        << QByteArray(R"js({"k":"v","c":1,"d":"//"})js");
    QTest::newRow("arrow function returning a literal") << QStringLiteral(R"js(const f = x => ({...x, z: 1});
return f(payload.data.nested);)js")
        << QByteArray(R"js({"k":"v","z":1})js");
    QTest::newRow("arrow function with a block") << QStringLiteral(R"js(const f = (x) => { const y = {...x}; y.w = 2; return y; };
return f(payload.data.nested);)js")
        << QByteArray(R"js({"k":"v","w":2})js");
    QTest::newRow("blocks") << QStringLiteral(R"js(let q = null;
if (payload.data) { q = {...payload.data.nested, b: 1}; } else { q = {}; }
for (let i = 0; i < 2; i++) { q = {...q, ['i' + i]: i}; }
return {q};)js")
        << QByteArray(R"js({"q":{"k":"v","b":1,"i0":0,"i1":1}})js");
    QTest::newRow("object method bodies") << QStringLiteral(R"js(const o = { m() { return {...payload.data.nested, m: true}; }, n: function () { return {n: 1, ...this.m()}; } };
return o.n();)js")
        << QByteArray(R"js({"n":1,"k":"v","m":true})js");
    QTest::newRow("shorthand properties") << QStringLiteral(R"js(const a = 1, b = 2;
return {a, ...payload.data.nested, b};)js")
        << QByteArray(R"js({"a":1,"k":"v","b":2})js");
    QTest::newRow("computed keys") << QStringLiteral(R"js(const k = 'dyn';
return {[k]: 1, ...payload.data.nested, [k + '2']: 2, ['x'.repeat(2)]: {...{y: 3}}};)js")
        << QByteArray(R"js({"dyn":1,"k":"v","dyn2":2,"xx":{"y":3}})js");
    QTest::newRow("spread of null, undefined, string, array") << QStringLiteral(R"js(return {...null, ...undefined, ...'hi', ...[7, 8], a: 1};)js")
        << QByteArray(R"js({"0":7,"1":8,"a":1})js");
    QTest::newRow("order of evaluation") << QStringLiteral(R"js(const log = [];
const f = (v) => { log.push(v); return {[v]: v}; };
const o = {a: f('1'), ...f('2'), b: f('3'), ...f('4')};
return {o, log};)js")
        << QByteArray(R"js({"o":{"2":"2","4":"4","a":{"1":"1"},"b":{"3":"3"}},"log":["1","2","3","4"]})js");
    QTest::newRow("trailing comma") << QStringLiteral(R"js(return {
  ...payload.data.nested,
  last: true,
};)js")
        << QByteArray(R"js({"k":"v","last":true})js");
    QTest::newRow("spread of a conditional") << QStringLiteral(R"js(return {...(payload.data.n > 1 ? {big: true} : {}), ...payload.data.nested};)js")
        << QByteArray(R"js({"big":true,"k":"v"})js");
    QTest::newRow("switch case block") << QStringLiteral(R"js(switch (payload.event) { case 'lead.created': { return {...payload.data.nested, c: 1}; } default: return {}; })js")
        << QByteArray(R"js({"k":"v","c":1})js");
    // Spread *defines* own data properties where Object.assign would *assign*
    // them ([[Set]]: the __proto__ setter, accessors of the target).
    QTest::newRow("spread replaces __proto__ own key (JSON.parse)") << QStringLiteral(R"js(const d = JSON.parse('{"__proto__": {"x": 1}, "a": 2}');
return {...d, b: 3};)js")
        << QByteArray(R"js({"__proto__":{"x":1},"a":2,"b":3})js");
    QTest::newRow("getter in the first group then a spread") << QStringLiteral(R"js(return {get x() { return 1; }, ...{x: 2}};)js")
        << QByteArray(R"js({"x":2})js");
}
// clang-format on

void TestSpreadRewriter::sameResultAsNode()
{
    QFETCH(QString, script);
    QFETCH(QByteArray, node);
    QString error;
    const auto rewritten = SpreadRewriter::rewrite(script, &error);
    QVERIFY2(rewritten, qPrintable(error));
    const auto got = runInQjs(*rewritten);
    if (got != node)
        qInfo().noquote() << "rewritten script:" << *rewritten;
    QCOMPARE(got, node);
}

// clang-format off
void TestSpreadRewriter::documentedShapes_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("expected");
    // The two examples of SpreadRewriter.h, verbatim.
    QTest::newRow("spread first and last") << QStringLiteral("return {...a, x: 1, ...b};") << QStringLiteral("return __hooklineSpread({}, a, {x: 1}, b);");
    QTest::newRow("literal then spread") << QStringLiteral("return {x: 1, ...a};") << QStringLiteral("return __hooklineSpread({x: 1}, a);");
    QTest::newRow("nested") << QStringLiteral("return {o: {...a}};") << QStringLiteral("return {o: __hooklineSpread({}, a)};");
}
// clang-format on

void TestSpreadRewriter::documentedShapes()
{
    QFETCH(QString, script);
    QFETCH(QString, expected);
    const auto rewritten = SpreadRewriter::rewrite(script).value_or(QStringLiteral("<nullopt>"));
    // The script's own line, then the helper declaration appended after it.
    QCOMPARE(rewritten.section(u'\n', 0, 0), expected);
    QVERIFY(rewritten.section(u'\n', 1).startsWith(QStringLiteral("function __hooklineSpread(target)")));
}

void TestSpreadRewriter::withoutSpreadUnchanged_data()
{
    QTest::addColumn<QString>("script");
    QTest::newRow("plain return") << QStringLiteral("return payload;");
    QTest::newRow("literal") << QStringLiteral("return {\n  a: 1,\n\tb: [2, 3], // c\n  d: {e: 'f'} /* g */\n};\n");
    QTest::newRow("dots in strings") << QStringLiteral("return {s: '...', t: \"{...x}\", u: `${'...'}`};");
    QTest::newRow("dots in comments") << QStringLiteral("// {...payload}\n/* ...payload */\nreturn payload; // ...");
    QTest::newRow("dots in a regex") << QStringLiteral("return {m: /\\.\\.\\./.test('...')};");
    QTest::newRow("number with dot") << QStringLiteral("return {n: 1.5 + .5 + 2.};");
    QTest::newRow("blocks and functions") << QStringLiteral("function f(x) { if (x) { return {x}; } return {}; }\nreturn f(1);");
    QTest::newRow("leading and trailing whitespace") << QStringLiteral("\n\n   return payload;   \n\n");
    QTest::newRow("empty") << QString();
    QTest::newRow("non-ASCII") << QStringLiteral("return {\"é\": 'ü…', emoji: '\U0001F600'};");
}

void TestSpreadRewriter::withoutSpreadUnchanged()
{
    QFETCH(QString, script);
    const auto rewritten = SpreadRewriter::rewrite(script);
    QVERIFY(rewritten);
    QCOMPARE(*rewritten, script);
    QCOMPARE(rewritten->toUtf8(), script.toUtf8()); // byte for byte
}

void TestSpreadRewriter::arraysAndCallsUntouched()
{
    // Spread elements and spread arguments are ES2015 and QJSEngine has them:
    // they must come out as they went in.
    const auto script = QStringLiteral("const a = [...payload.data.tags, 'c'];\nreturn {a: a, m: Math.max(...[1, 5, 3]), f: [...'ab']};");
    const auto rewritten = SpreadRewriter::rewrite(script);
    QVERIFY(rewritten);
    QCOMPARE(*rewritten, script);
    QCOMPARE(runInQjs(*rewritten), QByteArray(R"({"a":["a","b","c"],"m":5,"f":["a","b"]})"));
}

// clang-format off
void TestSpreadRewriter::errors_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("unterminated single-quoted string") << QStringLiteral("return {...payload, a: 'x};") << QStringLiteral("unterminated string");
    QTest::newRow("unterminated double-quoted string") << QStringLiteral("return {a: \"x};") << QStringLiteral("unterminated string");
    QTest::newRow("string broken by a newline") << QStringLiteral("return {...payload, a: 'x\n'};") << QStringLiteral("unterminated string");
    QTest::newRow("unterminated template") << QStringLiteral("return {...payload, a: `x};") << QStringLiteral("unterminated template");
    QTest::newRow("unterminated template substitution") << QStringLiteral("return {...payload, a: `x${1 + `};") << QStringLiteral("unterminated template");
    QTest::newRow("unterminated comment") << QStringLiteral("return {...payload}; /* no end") << QStringLiteral("unterminated comment");
    QTest::newRow("unterminated regex") << QStringLiteral("return {...payload, r: /abc};") << QStringLiteral("unterminated regular expression");
    QTest::newRow("unclosed brace") << QStringLiteral("return {...payload, a: 1;") << QStringLiteral("unclosed '{'");
    QTest::newRow("mismatched bracket") << QStringLiteral("return {...payload, a: (1};") << QStringLiteral("unbalanced '}'");
    QTest::newRow("stray closing paren") << QStringLiteral("return {...payload});") << QStringLiteral("unbalanced ')'");
}
// clang-format on

void TestSpreadRewriter::errors()
{
    QFETCH(QString, script);
    QFETCH(QString, messagePart);
    QString error;
    const auto rewritten = SpreadRewriter::rewrite(script, &error);
    QVERIFY2(!rewritten, qPrintable(QStringLiteral("rewrote to: %1").arg(rewritten.value_or(QString()))));
    QVERIFY2(error.contains(messagePart), qPrintable(error));
    // No error pointer: still nullopt, no crash.
    QVERIFY(!SpreadRewriter::rewrite(script));
}

void TestSpreadRewriter::rewrittenIsStable()
{
    // Rewriting the output again changes nothing: it holds no spread any more.
    const auto once = SpreadRewriter::rewrite(QStringLiteral("return {...payload, a: {...payload.data, b: [1, {...{c: 2}}]}};"));
    QVERIFY(once);
    QVERIFY(!once->contains(QStringLiteral("...")));
    QCOMPARE(SpreadRewriter::rewrite(*once), once);
}

QTEST_GUILESS_MAIN(TestSpreadRewriter)
#include "tst_spreadrewriter.moc"
