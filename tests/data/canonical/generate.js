#!/usr/bin/env node
// Regenerates the expected outputs of the canonical JSON tests from a real
// JavaScript engine (Node.js >= 20):
//
//   node tests/data/canonical/generate.js
//
// cases.json    [{name, input | inputHex, error?, qjsengine?}]  (hand-maintained)
//   input      the JSON text (must be well-formed Unicode; use inputHex for raw bytes)
//   inputHex   the JSON text as hex bytes, for invalid UTF-8 and BOM cases
//   error      {offset, line, column} that CanonicalJson must report (our positions)
//   qjsengine  id of a known deviation of Qt 6.4's QJSEngine on this case
// numbers.json  [{bits, rfc8785?}]  IEEE-754 bit patterns (hex), optionally with
//               the serialisation printed in RFC 8785 Appendix B
//
// expected.json         every case plus either "output" (what a receiver computes:
//                       JSON.stringify(JSON.parse(body))) or "nodeError"; inputHex cases
//                       also get "decodedInput", the body as Node decodes it (bad
//                       UTF-8 -> U+FFFD), so QJSEngine can be fed the same string.
// expected-numbers.json every bit pattern plus "output" = JSON.stringify(number).
'use strict';
const fs = require('fs');
const path = require('path');

const dir = __dirname;
const read = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
const fail = (message) => { console.error(`generate.js: ${message}`); process.exit(1); };
// One entry per line keeps the diffs of the generated files readable.
const write = (name, entries) =>
    fs.writeFileSync(path.join(dir, name), '[\n' + entries.map((e) => JSON.stringify(e)).join(',\n') + '\n]\n');

const cases = read('cases.json');
const seen = new Set();
const expected = cases.map((c) => {
    if (typeof c.name !== 'string' || seen.has(c.name))
        fail(`missing or duplicate case name ${JSON.stringify(c.name)}`);
    seen.add(c.name);
    if ((typeof c.input === 'string') === (typeof c.inputHex === 'string'))
        fail(`${c.name}: give exactly one of "input" and "inputHex"`);
    if (typeof c.input === 'string' && !c.input.isWellFormed())
        fail(`${c.name}: "input" has lone surrogates, which UTF-8 cannot carry; use inputHex`);

    // A receiver decodes the request body as UTF-8 (invalid sequences -> U+FFFD,
    // a BOM is kept) and hands the string to JSON.parse.
    const body = typeof c.input === 'string' ? c.input : Buffer.from(c.inputHex, 'hex').toString('utf8');
    const entry = { ...c };
    if (typeof c.inputHex === 'string')
        entry.decodedInput = body;
    try {
        entry.output = JSON.stringify(JSON.parse(body));
    } catch (e) {
        entry.nodeError = e.message;
    }
    if (c.error && entry.output !== undefined)
        fail(`${c.name}: expected an error but JSON.parse accepted it`);
    return entry;
});
write('expected.json', expected);

const numbers = read('numbers.json').map((n) => {
    const value = Buffer.from(n.bits, 'hex').readDoubleBE(0);
    const output = JSON.stringify(value);
    if (n.rfc8785 !== undefined && n.rfc8785 !== output)
        fail(`${n.bits}: Node prints ${output}, RFC 8785 says ${n.rfc8785}`);
    return { ...n, output };
});
write('expected-numbers.json', numbers);

const errors = expected.filter((e) => e.nodeError !== undefined).length;
console.log(`expected.json: ${expected.length} cases (${expected.length - errors} valid, ${errors} invalid); ` +
            `expected-numbers.json: ${numbers.length} numbers`);
