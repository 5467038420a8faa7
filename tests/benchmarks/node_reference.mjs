#!/usr/bin/env node
// What a team would write instead of Hookline: a Node loop with the global
// fetch and crypto's HMAC, signing Standard Webhooks style, `concurrency`
// requests in flight, nothing stored. For tests/benchmarks/run.sh.
//
//   node node_reference.mjs --bodies FILE --url URL [--url URL ...] [--repeat N]
//                           [--concurrency 64] [--secret whsec_...]
//
// Same request order as hookline-qnam-reference: request i posts body
// (i / urls) % bodies to url i % urls. Trust a private CA with
// NODE_EXTRA_CA_CERTS=ca.pem. Prints one JSON line:
// {"requests", "succeeded", "failed", "seconds", "perSecond"}.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
    options: {
        bodies: { type: 'string' },
        url: { type: 'string', multiple: true },
        repeat: { type: 'string' },
        concurrency: { type: 'string', default: '64' },
        secret: { type: 'string', default: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
        'header-prefix': { type: 'string', default: 'X-Webhook' },
    },
});
if (!args.bodies || !args.url) {
    console.error('usage: node node_reference.mjs --bodies FILE --url URL [--url URL ...] [--repeat N] [--concurrency N]');
    process.exit(2);
}

const bodies = fs.readFileSync(args.bodies, 'utf8').split('\n').filter((l) => l.trim() !== '');
const eventTypes = bodies.map((b) => JSON.parse(b).event ?? 'unknown');
const urls = args.url;
const repeat = args.repeat ? Number(args.repeat) : urls.length;
const concurrency = Number(args.concurrency);
const total = bodies.length * repeat;
const key = Buffer.from(args.secret.replace(/^whsec_/, ''), 'base64');
const prefix = args['header-prefix'];

let next = 0;
let succeeded = 0;
let failed = 0;
let firstError = null;

function sign(id, timestamp, body) {
    return 'v1,' + crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

async function loop() {
    for (;;) {
        const i = next++;
        if (i >= total)
            return;
        const url = urls[i % urls.length];
        const b = Math.floor(i / urls.length) % bodies.length;
        const body = bodies[b];
        const id = `msg_${i.toString(36).padStart(22, '0')}`;
        const timestamp = Math.floor(Date.now() / 1000);
        try {
            const res = await fetch(url, {
                method: 'POST',
                headers: {
                    'Content-Type': 'application/json',
                    'User-Agent': 'node-reference/1.0',
                    [`${prefix}-Event`]: eventTypes[b],
                    [`${prefix}-Id`]: 'wh_00000000000000000000000',
                    [`${prefix}-Delivery-Id`]: id,
                    [`${prefix}-Timestamp`]: String(timestamp),
                    'webhook-id': id,
                    'webhook-timestamp': String(timestamp),
                    'webhook-signature': sign(id, timestamp, body),
                },
                body,
                redirect: 'manual',
                signal: AbortSignal.timeout(10000),
            });
            await res.arrayBuffer(); // drain, so that the connection is reused
            if (res.status >= 200 && res.status < 300) {
                succeeded++;
            } else {
                failed++;
                firstError ??= `HTTP ${res.status}`;
            }
        } catch (e) {
            failed++;
            firstError ??= String(e.cause ?? e);
        }
    }
}

const start = process.hrtime.bigint();
await Promise.all(Array.from({ length: concurrency }, loop));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
if (firstError)
    console.error(`node_reference: first failure: ${firstError}`);
const requests = succeeded + failed;
console.log(JSON.stringify({ requests, succeeded, failed, seconds: +seconds.toFixed(3), perSecond: +(requests / seconds).toFixed(1) }));
process.exit(failed === 0 && requests === total ? 0 : 1);
