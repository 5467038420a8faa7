#!/usr/bin/env node
// A loopback receiver that verifies every Hookline delivery the way the
// integrators on the other side do: with the seeds' own verification code
// (copied verbatim below) and with the public libraries of the Standard
// Webhooks, GitHub and Stripe schemes.
//
//   node receiver.js PORT CONFIG.json [PORT_FILE]
//
// PORT 0 picks a free port; the port actually bound is written to PORT_FILE
// (and printed as "listening 127.0.0.1:PORT"). Binds 127.0.0.1 only.
//
// CONFIG.json maps a request path to its verifier and secret(s):
//
//   { "/standard": { "verifier": "standard", "secrets": ["whsec_..."], "prefix": "X-Webhook" },
//     "/rotation": { "verifier": "standard", "secrets": ["whsec_old", "whsec_new"], "requireAll": true },
//     ... }
//
// The file is read again on every request (it is tiny), so a test can add the
// new secret after a rotation without restarting the receiver. With several
// secrets a delivery is valid when one of them verifies it, or, with
// "requireAll", only when every one of them verifies it on its own.
//
// With "prefix" (the installation's header prefix), a delivery that verified
// must also carry the rest of the wire contract: Content-Type, User-Agent,
// <P>-Event (= the body's event), <P>-Id, <P>-Delivery-Id, a current
// <P>-Timestamp, and the default envelope (evt_ id, ISO timestamp with
// milliseconds, object data, "tenantId" exactly when the route names "tenant").
//
// Verifiers: standard, github, stripe, seed000, seed000-python, seed001,
// seed002, seed002-python, seed004 (see the functions below).
//
// Every POST is answered 200 when valid and 401 when not; invalid ones are
// logged on stderr with the reason. GET /stats returns
// {"/path": {"valid": N, "invalid": N}, ...}; GET /data returns, per path, the
// "data" member of every valid body as JSON.stringify gives it back.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const { Webhook } = require('standardwebhooks');
const Stripe = require('stripe');

const [, , portArg, configPath, portFile] = process.argv;
if (portArg === undefined || configPath === undefined) {
    console.error('usage: node receiver.js PORT CONFIG.json [PORT_FILE]');
    process.exit(2);
}

// A client object only to reach stripe.webhooks; it never talks to Stripe.
const stripe = Stripe('sk_test_hookline_receiver_never_used');
let octokitVerify = null; // @octokit/webhooks-methods is ESM-only: imported at start-up

// ---------------------------------------------------------------------------
// Seed 000 (FinSight), "Exemple Node.js", verbatim. `payload` is Express's
// req.body: the PARSED body, re-serialised by JSON.stringify.
function seed000_verifyWebhookSignature(payload, signature, secret) {
  const expectedSignature = crypto
    .createHmac('sha256', secret)
    .update(JSON.stringify(payload))
    .digest('hex');

  return crypto.timingSafeEqual(
    Buffer.from(signature),
    Buffer.from(expectedSignature)
  );
}

// Seed 000 (FinSight), "Exemple Python (Flask)", ported line by line:
//   expected_signature = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
//   return hmac.compare_digest(signature, expected_signature)
// with payload = request.get_data(as_text=True) (the raw body as text).
function seed000_python_verify_webhook_signature(payload, signature, secret) {
    const expected_signature = crypto
        .createHmac('sha256', Buffer.from(secret, 'utf8'))
        .update(Buffer.from(payload, 'utf8'))
        .digest('hex');
    return compare_digest(signature, expected_signature);
}

// Seed 001 (CRM Alforis), "Vérification côté destinataire (Python)", ported
// line by line:
//   def verify_signature(secret: str, payload: bytes, header_signature: str) -> bool:
//       computed = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()
//       return hmac.compare_digest(computed, header_signature)
// with payload = the raw request bytes.
function seed001_verify_signature(secret, payload, header_signature) {
    const computed = crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(payload).digest('hex');
    return compare_digest(computed, header_signature);
}

// Seed 002 (Audit Trail), "Verification (Node.js)", verbatim. `payload` is
// Express's req.body (parsed).
function seed002_verifyWebhookSignature(payload, signature, timestamp, secret) {
  const signedPayload = `${timestamp}.${JSON.stringify(payload)}`;
  const expectedSignature = crypto
    .createHmac('sha256', secret)
    .update(signedPayload)
    .digest('hex');

  const expected = `sha256=${expectedSignature}`;

  // Utiliser timingSafeEqual pour eviter timing attacks
  return crypto.timingSafeEqual(
    Buffer.from(signature),
    Buffer.from(expected)
  );
}

// Seed 002 (Audit Trail), "Verification (Python)", ported line by line, with
// payload = request.data.decode().
function seed002_python_verify_webhook_signature(payload, signature, timestamp, secret) {
    const signed_payload = `${timestamp}.${payload}`;
    const expected = crypto
        .createHmac('sha256', Buffer.from(secret, 'utf8'))
        .update(Buffer.from(signed_payload, 'utf8'))
        .digest('hex');
    const expected_signature = `sha256=${expected}`;
    return compare_digest(signature, expected_signature);
}

// Seed 004 (case tool), "Node.js Example", verbatim. `payload` is the raw
// body as a string.
function seed004_verifyWebhookSignature(payload, signature, secret) {
  const hmac = crypto.createHmac('sha256', secret);
  hmac.update(payload);
  const expectedSignature = hmac.digest('base64');
  
  return crypto.timingSafeEqual(
    Buffer.from(signature),
    Buffer.from(expectedSignature)
  );
}

// Python's hmac.compare_digest on two str: False (not an exception) when the
// lengths differ or an argument is missing.
function compare_digest(a, b) {
    if (typeof a !== 'string' || typeof b !== 'string')
        return false;
    const x = Buffer.from(a, 'utf8');
    const y = Buffer.from(b, 'utf8');
    return x.length === y.length && crypto.timingSafeEqual(x, y);
}
// ---------------------------------------------------------------------------

class Invalid extends Error {}

function need(headers, name) {
    const v = headers[name];
    if (typeof v !== 'string' || v === '')
        throw new Invalid(`missing header ${name}`);
    return v;
}

// Express's express.json(): the body as UTF-8 text, parsed.
function parsed(text) {
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new Invalid(`body is not JSON: ${e.message}`);
    }
}

// One secret, one delivery: resolves when valid, throws (Invalid or the
// library's own error) when not.
async function verifyOne(verifier, secret, raw, text, headers) {
    switch (verifier) {
    case 'standard':
        // Standard Webhooks' official library: checks webhook-id,
        // webhook-timestamp (5 min tolerance) and any v1 signature.
        new Webhook(secret).verify(text, headers);
        return;
    case 'github':
        if (!(await octokitVerify(secret, text, need(headers, 'x-hub-signature-256'))))
            throw new Invalid('@octokit/webhooks-methods verify() returned false');
        return;
    case 'stripe':
        // Checks t= against a 300 s tolerance and every v1= entry.
        stripe.webhooks.constructEvent(raw, need(headers, 'stripe-signature'), secret);
        return;
    case 'seed000':
        if (!seed000_verifyWebhookSignature(parsed(text), need(headers, 'x-finsight-signature'), secret))
            throw new Invalid('seed 000 (Node): signature mismatch');
        return;
    case 'seed000-python':
        if (!seed000_python_verify_webhook_signature(text, headers['x-finsight-signature'], secret))
            throw new Invalid('seed 000 (Python): signature mismatch');
        return;
    case 'seed001':
        if (!seed001_verify_signature(secret, raw, headers['x-webhook-signature']))
            throw new Invalid('seed 001 (Python): signature mismatch');
        return;
    case 'seed002':
        if (!seed002_verifyWebhookSignature(parsed(text), need(headers, 'x-audit-trail-signature'),
                                            need(headers, 'x-audit-trail-timestamp'), secret))
            throw new Invalid('seed 002 (Node): signature mismatch');
        return;
    case 'seed002-python':
        if (!seed002_python_verify_webhook_signature(text, headers['x-audit-trail-signature'],
                                                     headers['x-audit-trail-timestamp'], secret))
            throw new Invalid('seed 002 (Python): signature mismatch');
        return;
    case 'seed004':
        if (!seed004_verifyWebhookSignature(text, need(headers, 'x-webhook-signature'), secret))
            throw new Invalid('seed 004 (Node): signature mismatch');
        return;
    default:
        throw new Invalid(`unknown verifier "${verifier}" in the config`);
    }
}

// The rest of the wire contract (PRODUCT.md), checked on every delivery that
// verified: the headers every delivery carries under the installation's
// prefix, and the default envelope. Throws Invalid with what is wrong.
function checkContract(route, text, headers) {
    if (!route.prefix)
        return;
    const p = route.prefix.toLowerCase();
    const body = parsed(text);
    const problems = [];
    if (!/^application\/json/.test(headers['content-type'] ?? ''))
        problems.push(`content-type is ${headers['content-type']}`);
    if (!/^Hookline-Webhooks\/\S+$/.test(headers['user-agent'] ?? ''))
        problems.push(`user-agent is ${headers['user-agent']}`);
    if (headers[`${p}-event`] !== body.event)
        problems.push(`${p}-event is ${headers[`${p}-event`]}, the body says ${body.event}`);
    if (!/^wh_\S+$/.test(headers[`${p}-id`] ?? ''))
        problems.push(`${p}-id is ${headers[`${p}-id`]}`);
    if (!/^\S+$/.test(headers[`${p}-delivery-id`] ?? ''))
        problems.push(`${p}-delivery-id is missing`);
    const ts = Number(headers[`${p}-timestamp`]);
    if (!Number.isInteger(ts) || Math.abs(Date.now() / 1000 - ts) > 300)
        problems.push(`${p}-timestamp is ${headers[`${p}-timestamp`]}`);
    if (typeof body.id !== 'string' || !body.id.startsWith('evt_'))
        problems.push(`envelope id is ${body.id}`);
    if (typeof body.timestamp !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(body.timestamp))
        problems.push(`envelope timestamp is ${body.timestamp}`);
    if (body.data === null || typeof body.data !== 'object' || Array.isArray(body.data))
        problems.push('envelope data is not an object');
    if ((route.tenant ?? undefined) !== body.tenantId)
        problems.push(`envelope tenantId is ${body.tenantId}, expected ${route.tenant}`);
    if (problems.length > 0)
        throw new Invalid(`contract: ${problems.join('; ')}`);
}

async function verify(route, raw, headers) {
    const text = raw.toString('utf8');
    const secrets = Array.isArray(route.secrets) ? route.secrets : [route.secret];
    if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s === ''))
        throw new Invalid('no secret configured for this path');
    const errors = [];
    let verified = 0;
    for (const [i, secret] of secrets.entries()) {
        try {
            await verifyOne(route.verifier, secret, raw, text, headers);
            verified++;
            if (!route.requireAll)
                break;
        } catch (e) {
            errors.push(`secret #${i + 1}: ${e.message}`);
        }
    }
    if (route.requireAll ? errors.length === 0 : verified > 0) {
        checkContract(route, text, headers);
        return;
    }
    // The seeds' parsed-body verifiers need JSON.stringify(JSON.parse(body)) === body:
    // say so when that is why.
    try {
        if (JSON.stringify(JSON.parse(text)) !== text)
            errors.push('the body is not canonical: JSON.stringify(JSON.parse(body)) differs from it');
    } catch (_) { /* reported by the verifier */ }
    throw new Invalid(errors.join('; '));
}

const stats = {};
const received = {}; // path -> [JSON.stringify(body.data)] of the valid deliveries
function count(path, key) {
    stats[path] ??= { valid: 0, invalid: 0 };
    stats[path][key] += 1;
}

function readConfig() {
    return JSON.parse(fs.readFileSync(configPath, 'utf8'));
}

const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
        if (req.method === 'GET' && path === '/stats') {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(stats));
            return;
        }
        if (req.method === 'GET' && path === '/data') {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(received));
            return;
        }
        if (req.method !== 'POST') {
            res.writeHead(405).end();
            return;
        }
        const raw = Buffer.concat(chunks);
        let why = null;
        try {
            const route = readConfig()[path];
            if (!route)
                throw new Invalid('no such path in the config');
            await verify(route, raw, req.headers);
        } catch (e) {
            why = e.message || String(e);
        }
        if (why === null) {
            count(path, 'valid');
            try {
                (received[path] ??= []).push(JSON.stringify(JSON.parse(raw.toString('utf8')).data));
            } catch (_) { /* a valid non-JSON body: nothing to record */ }
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            res.end('OK');
            return;
        }
        count(path, 'invalid');
        const shown = {};
        for (const [k, v] of Object.entries(req.headers)) {
            if (k.startsWith('x-') || k.startsWith('webhook-') || k === 'stripe-signature' || k === 'content-type')
                shown[k] = v;
        }
        console.error(`INVALID ${path}: ${why}\n  headers: ${JSON.stringify(shown)}\n  body (${raw.length} bytes): ${raw.toString('utf8').slice(0, 300)}`);
        res.writeHead(401, { 'Content-Type': 'text/plain' });
        res.end('Invalid signature');
    });
});
server.keepAliveTimeout = 30000;

(async () => {
    ({ verify: octokitVerify } = await import('@octokit/webhooks-methods'));
    readConfig(); // fail early on a broken config
    server.listen(Number(portArg), '127.0.0.1', () => {
        const { port } = server.address();
        if (portFile)
            fs.writeFileSync(portFile, String(port));
        console.log(`listening 127.0.0.1:${port}`);
    });
})().catch((e) => {
    console.error(`receiver.js: ${e.stack || e}`);
    process.exit(1);
});

for (const sig of ['SIGINT', 'SIGTERM'])
    process.on(sig, () => server.close(() => process.exit(0)) && setTimeout(() => process.exit(0), 500).unref());
