#!/usr/bin/env node
// Compares what receiver.js saw with what the test sent.
//
//   node check_results.js RECEIVER_URL PLAN.json
//
// PLAN.json: {"/path": {"verifier": "...", "scheme": "...", "expected": N,
//                       "data": [JSON.stringify(data) ...] (optional, any order)}, ...}
//
// Prints a table and exits 0 only when, for every path, valid == expected,
// invalid == 0 and (when "data" is given) the bodies' data equal the expected
// data as a multiset.
'use strict';

const fs = require('fs');

const [, , base, planFile] = process.argv;
const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));

(async () => {
    const get = async (what) => {
        const r = await fetch(`${base}/${what}`, { signal: AbortSignal.timeout(5000) });
        if (!r.ok)
            throw new Error(`GET /${what}: HTTP ${r.status}`);
        return r.json();
    };
    const stats = await get('stats');
    const received = await get('data');

    const rows = [['path', 'scheme', 'verified with', 'expected', 'valid', 'invalid', 'data', 'result']];
    let ok = true;
    for (const [path, p] of Object.entries(plan)) {
        const s = stats[path] ?? { valid: 0, invalid: 0 };
        let dataOk = 'n/a';
        if (Array.isArray(p.data)) {
            const want = [...p.data].sort();
            const got = [...(received[path] ?? [])].sort();
            const same = want.length === got.length && want.every((x, i) => x === got[i]);
            dataOk = same ? 'same' : 'DIFFERS';
            if (!same) {
                const missing = want.filter((x) => !got.includes(x)).slice(0, 3);
                const extra = got.filter((x) => !want.includes(x)).slice(0, 3);
                console.error(`${path}: the delivered data differ from the emitted data`);
                for (const m of missing)
                    console.error(`  missing: ${m.slice(0, 200)}`);
                for (const e of extra)
                    console.error(`  unexpected: ${e.slice(0, 200)}`);
            }
        }
        const pass = s.valid === p.expected && s.invalid === 0 && dataOk !== 'DIFFERS';
        ok &&= pass;
        rows.push([path, p.scheme, p.verifier, String(p.expected), String(s.valid), String(s.invalid), dataOk, pass ? 'ok' : 'FAIL']);
    }
    for (const path of Object.keys(stats)) {
        if (!(path in plan)) {
            ok = false;
            rows.push([path, '?', '?', '0', String(stats[path].valid), String(stats[path].invalid), 'n/a', 'FAIL (unexpected path)']);
        }
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows)
        console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());

    // The verifiers are not vacuous: a forged request (every scheme's headers,
    // well-formed, current timestamp, wrong signatures) is refused on every path.
    const now = String(Math.floor(Date.now() / 1000));
    const zeros = '0'.repeat(64);
    const forged = {
        'content-type': 'application/json',
        'webhook-id': 'msg_forged', 'webhook-timestamp': now,
        'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}`,
        'x-hub-signature-256': `sha256=${zeros}`,
        'stripe-signature': `t=${now},v1=${zeros}`,
        'x-webhook-signature': zeros, 'x-finsight-signature': zeros,
        'x-audit-trail-signature': `sha256=${zeros}`, 'x-audit-trail-timestamp': now,
    };
    const refused = [];
    for (const path of Object.keys(plan)) {
        const r = await fetch(`${base}${path}`, { method: 'POST', headers: forged, body: '{"forged":true}', signal: AbortSignal.timeout(5000) });
        if (r.status !== 401) {
            ok = false;
            console.error(`${path}: a forged request was answered ${r.status}, not 401`);
        } else {
            refused.push(path);
        }
    }
    console.log(`forged requests refused (401): ${refused.length} of ${Object.keys(plan).length} paths`);
    process.exit(ok ? 0 : 1);
})().catch((e) => {
    console.error(`check_results.js: ${e.message}`);
    process.exit(1);
});
