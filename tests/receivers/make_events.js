#!/usr/bin/env node
// Writes the events of the seed receivers test:
//
//   node make_events.js OUT_DIR [TENANT]
//
//   OUT_DIR/events.jsonl     one {"event", "data"[, "tenant"]} a line, for `emit --batch`;
//                            "data" is the ORIGINAL JSON text, spliced in as-is, so that
//                            key order, integer-like keys, duplicates, escapes and number
//                            spellings (1.0, 1e21, -0) reach Hookline's canonicaliser
//   OUT_DIR/single-N.json    data for `emit TYPE --data @FILE` (cases with raw newlines
//                            or tabs, and a few more, to cover the single-event path)
//   OUT_DIR/single.tsv       TYPE<TAB>FILE of those
//   OUT_DIR/expected.json    {"count": N, "data": [JSON.stringify(JSON.parse(text)) ...]}:
//                            the data a receiver must find in the bodies, whatever order
//
// The cases: a hand-written set aimed at the canonical JSON rules, then every
// object case of tests/data/canonical/cases.json that Node parses.
'use strict';

const fs = require('fs');
const path = require('path');

const [, , outDir, tenant] = process.argv;
if (!outDir) {
    console.error('usage: node make_events.js OUT_DIR [TENANT]');
    process.exit(2);
}

// Event types of the catalogs every new database starts with.
const TYPES = ['dashboard.created', 'kpi.threshold_reached', 'lead.created', 'event.created', 'dossier.created'];

const hand = [
    // key order, integer-like keys (ascending first), near-integers (string keys)
    '{"zeta":1,"alpha":2,"Mid":3,"10":"ten","2":"two","-1":"neg","01":"zero-led","4294967295":"not-an-index","4294967294":"index"}',
    // number spellings
    '{"one":1.0,"big":1e21,"bigger":1E+22,"below":999999999999999999999,"negzero":-0,"negzerof":-0.0,"small":1e-7,"tiny":0.000001,"exp":2.5E-3,"huge":123456789012345678901234567890,"over53":9007199254740993,"frac":0.1,"third":0.33333333333333333333,"neg":-1.50,"e0":5e0,"min":5e-324,"max":1.7976931348623157e308}',
    // unicode: literal non-ASCII, escaped non-ASCII, astral, combining, RTL, U+2028/2029 raw and escaped
    '{"fr":"Élodie à l\'école","emoji":"😀 🚀","cjk":"日本語","rtl":"مرحبا","combining":"e\\u0301","escaped":"\\u00e9\\u00E9","astral":"\\ud83d\\ude00","ls":"\\u2028\\u2029","raw_ls":"\u2028\u2029","bom_inside":"\ufeff"}',
    // escapes
    '{"quote":"\\"","backslash":"\\\\","slash":"\\/","controls":"\\b\\f\\n\\r\\t","nul":"\\u0000","unit":"\\u001f","del":"\\u007f","html":"<script>&amp;</script>","apos":"it\'s","hex_upper":"\\u00C9\\u00c9"}',
    // lone surrogates (JSON.stringify escapes them)
    '{"lone_high":"\\ud800","lone_low":"\\udfff","reversed":"\\udc00\\ud800","ok_pair":"\\uD83D\\uDE00"}',
    // duplicates: last value, first position
    '{"dup":1,"other":true,"dup":{"replaced":"entirely"},"3":"x","3":"y"}',
    // nesting, empties, literals
    '{"empty_obj":{},"empty_arr":[],"nested":{"b":[1,{"2":0,"1":0,"b":0,"a":0}],"a":null},"bools":[true,false,null],"deep":[[[[[[[[[[{"z":1,"0":2}]]]]]]]]]]}',
    // insignificant whitespace (no raw newline: this goes through --batch)
    '{ "spaced" :  [ 1 , 2.50 , -0 ] ,\t"tab" : "x" , "e" : 1E2 }',
    // prototype names are own properties
    '{"__proto__":{"polluted":true},"constructor":"c","toString":"t","hasOwnProperty":1}',
    // the seeds' own example payloads
    '{"dashboardId":"dash_xyz789","fileName":"compta-q4.csv","companyId":"comp_abc","kpis":{"revenue":125000,"cashFlow":-12000}}',
    '{"metric":"cashFlow","value":-12000.0,"threshold":-10000,"dashboardId":"dash_xyz789"}',
    '{"organisation_id":51,"name":"ACME Capital","category":"Institution","country_code":"FR"}',
    '{"event":{"id":"550e8400-e29b-41d4-a716-446655440000","timestamp":"2025-01-15T10:30:00Z","actor":{"id":"user-123","type":"USER","name":"John Doe"},"action":{"type":"CREATE","description":"Created document"},"resource":{"id":"doc-456","type":"DOCUMENT","name":"Q4 Report"}}}',
    '{"id":456,"orgId":"ORG-123","reference":"DOS-2024-001","status":"NEW","createdAt":"2024-01-01T10:00:00Z","createdBy":"user@example.com"}',
    '{"id":"123e4567-e89b-12d3-a456-426614174000","nom":"Dupont","prenom":"Jean","email":"jean.dupont@example.com","telephone":"+33612345678","statut":"nouveau","created_at":"2024-01-15T10:30:00Z"}',
    // a larger body (about 120 KB) with mixed content
    JSON.stringify({ rows: Array.from({ length: 1500 }, (_, i) => ({ [String(1500 - i)]: i, n: i / 7, s: `ligne ${i} é€😀` })) }),
];

// Raw-newline cases go through `emit --data @FILE`: JSON Lines cannot carry them.
// So do the deepest (see below).
const multiline = [
    '{\n  "pretty": true,\n  "2": "b",\n  "1": "a",\n  "num": 1.0\n}',
    '{\r\n"crlf":"yes",\r\n"n":-0\r\n}',
];

function depth(v) {
    if (v === null || typeof v !== 'object')
        return 0;
    let d = 0;
    for (const x of Object.values(v))
        d = Math.max(d, depth(x));
    return d + 1;
}

const cases = [...hand];
const corpus = path.join(__dirname, '..', 'data', 'canonical', 'cases.json');
if (fs.existsSync(corpus)) {
    for (const c of JSON.parse(fs.readFileSync(corpus, 'utf8'))) {
        if (typeof c.input !== 'string' || c.error)
            continue;
        let v;
        try {
            v = JSON.parse(c.input);
        } catch (_) {
            continue;
        }
        if (v === null || typeof v !== 'object' || Array.isArray(v))
            continue; // event data is an object
        // A batch line wraps the data in one more object: data nested 512 deep (the
        // limit) is refused there, so it takes the single-event path.
        if (/[\r\n]/.test(c.input) || depth(v) >= 512)
            multiline.push(c.input);
        else
            cases.push(c.input);
    }
}

fs.mkdirSync(outDir, { recursive: true });
const tenantPart = tenant ? `,"tenant":${JSON.stringify(tenant)}` : '';
const lines = cases.map((text, i) => `{"event":${JSON.stringify(TYPES[i % TYPES.length])},"data":${text}${tenantPart}}`);
fs.writeFileSync(path.join(outDir, 'events.jsonl'), lines.join('\n') + '\n');

// The single-event path also gets a few of the batch's cases again.
const singles = [...multiline, hand[1], hand[2], hand[3]];
const tsv = singles.map((text, i) => {
    const file = path.join(outDir, `single-${i}.json`);
    fs.writeFileSync(file, text);
    return `${TYPES[(i + 1) % TYPES.length]}\t${file}`;
});
fs.writeFileSync(path.join(outDir, 'single.tsv'), tsv.join('\n') + '\n');

const all = [...cases, ...singles];
const expected = all.map((text) => JSON.stringify(JSON.parse(text)));
fs.writeFileSync(path.join(outDir, 'expected.json'), JSON.stringify({ count: all.length, data: expected }));
console.log(`${cases.length} batch events, ${singles.length} single events`);
