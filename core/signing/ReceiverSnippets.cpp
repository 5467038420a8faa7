#include "ReceiverSnippets.h"

#include "signing/SchemeDescriptor.h"

namespace hookline {

namespace {
using Carries = SchemeHeader::Carries;

// What a snippet needs to know of a scheme, its header names resolved.
struct Facts {
    QString label;
    QString signatureHeader;
    QString idHeader;        // empty: no message id is signed
    QString timestampHeader; // empty: no timestamp header (Stripe's is in the signature header)
    bool timestampInSignature = false;
    SignedContent content = SignedContent::Body;
    bool whsecKey = false;
    bool hex = true;
    QString tag;
    QString separator; // empty: one signature
};

Facts factsOf(Scheme scheme, QByteArrayView prefix)
{
    const SchemeDescriptor &d = *SchemeDescriptor::find(scheme);
    Facts f;
    f.label = QString::fromLatin1(d.label).replace(QLatin1StringView("<P>"), QString::fromLatin1(prefix));
    for (const SchemeHeader &h : d.headers) {
        const QString name = QString::fromLatin1(h.resolved(prefix));
        if (h.carries == Carries::Signature)
            f.signatureHeader = name;
        else if (h.carries == Carries::MessageId)
            f.idHeader = name;
        else if (h.carries == Carries::Timestamp)
            f.timestampHeader = name;
    }
    f.timestampInSignature = !d.signature.timestampTag.isEmpty();
    f.content = d.content;
    f.whsecKey = d.key == SecretKey::WhsecBase64;
    f.hex = d.signature.encoding == SignatureEncoding::Hex;
    f.tag = QString::fromLatin1(d.signature.tag);
    f.separator = d.signature.separator ? QString(QLatin1Char(d.signature.separator)) : QString();
    return f;
}

// "{{NAME}}" placeholders of a template, replaced in one pass.
QString fill(QString text, const QList<std::pair<const char *, QString>> &values)
{
    for (const auto &[name, value] : values)
        text.replace(QStringLiteral("{{%1}}").arg(QLatin1StringView(name)), value);
    return text;
}

QString nodeLibrary(Scheme scheme, const Facts &f)
{
    if (scheme == Scheme::Standard) {
        return fill(QStringLiteral(R"js(// Verifies Hookline's {{LABEL}} deliveries with the standardwebhooks library.
// npm install express standardwebhooks; WEBHOOK_SECRET=whsec_... PORT=3000 node receiver.js
const express = require('express');
const { Webhook } = require('standardwebhooks');

const webhook = new Webhook(process.env.WEBHOOK_SECRET);
const app = express();

// The raw bytes: a signature covers the body exactly as sent, not parsed JSON.
app.post('/webhook', express.raw({ type: () => true }), (req, res) => {
  let event;
  try {
    event = webhook.verify(req.body, {
      'webhook-id': req.get('webhook-id'),
      'webhook-timestamp': req.get('webhook-timestamp'),
      'webhook-signature': req.get('webhook-signature'),
    });
  } catch (error) {
    return res.status(401).send('invalid signature');
  }
  console.log('verified', event.event);
  res.status(204).end();
});

app.listen(Number(process.env.PORT) || 3000);
)js"),
                    {{"LABEL", f.label}});
    }
    if (scheme == Scheme::Github) {
        return fill(QStringLiteral(R"js(// Verifies Hookline's {{LABEL}} deliveries with @octokit/webhooks-methods.
// npm install express @octokit/webhooks-methods; WEBHOOK_SECRET=... PORT=3000 node receiver.js
const express = require('express');
const { verify } = require('@octokit/webhooks-methods');

const app = express();

// The raw bytes: a signature covers the body exactly as sent, not parsed JSON.
app.post('/webhook', express.raw({ type: () => true }), async (req, res) => {
  const body = req.body.toString('utf8');
  const valid = await verify(process.env.WEBHOOK_SECRET, body, req.get('X-Hub-Signature-256') || '').catch(() => false);
  if (!valid) return res.status(401).send('invalid signature');
  console.log('verified', JSON.parse(body).event);
  res.status(204).end();
});

app.listen(Number(process.env.PORT) || 3000);
)js"),
                    {{"LABEL", f.label}});
    }
    return fill(QStringLiteral(R"js(// Verifies Hookline's {{LABEL}} deliveries with Stripe's library.
// npm install express stripe; WEBHOOK_SECRET=whsec_... PORT=3000 node receiver.js
const express = require('express');
const stripe = require('stripe')('sk_unused'); // no API call is made: only the signature check

const app = express();

// The raw bytes: a signature covers the body exactly as sent, not parsed JSON.
app.post('/webhook', express.raw({ type: () => true }), (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.get('Stripe-Signature') || '', process.env.WEBHOOK_SECRET);
  } catch (error) {
    return res.status(401).send('invalid signature');
  }
  console.log('verified', event.event);
  res.status(204).end();
});

app.listen(Number(process.env.PORT) || 3000);
)js"),
                {{"LABEL", f.label}});
}

QString node(const Facts &f)
{
    const QString signedPrefix = f.content == SignedContent::IdTimestampBody ? QStringLiteral("`${id}.${timestamp}.`")
                                 : f.content == SignedContent::TimestampBody ? QStringLiteral("`${timestamp}.`")
                                                                             : QStringLiteral("''");
    return fill(
        QStringLiteral(R"js(// Verifies Hookline's {{LABEL}} deliveries with Node's crypto.
// npm install express; WEBHOOK_SECRET=... PORT=3000 node receiver.js
const crypto = require('crypto');
const express = require('express');

const secret = process.env.WEBHOOK_SECRET;
const key = {{KEY}};
const toleranceSeconds = 300;
const app = express();

// The raw bytes: a signature covers the body exactly as sent, not parsed JSON.
app.post('/webhook', express.raw({ type: () => true }), (req, res) => {
  const header = req.get('{{SIG}}') || '';
  const entries = {{SPLIT}};
  const timestamp = {{TS}};
  const id = {{ID}};
  const signed = Buffer.concat([Buffer.from({{PREFIX}}), req.body]);
  const expected = crypto.createHmac('sha256', key).update(signed).digest('{{ENC}}');
  const given = entries.filter((e) => e.startsWith('{{TAG}}')).map((e) => e.slice({{TAGLEN}}){{LOWER}});
  const match = given.some((g) => g.length === expected.length && crypto.timingSafeEqual(Buffer.from(g), Buffer.from(expected)));
  const fresh = {{FRESH}};
  if (!match || !fresh) return res.status(401).send('invalid signature');
  console.log('verified', JSON.parse(req.body.toString('utf8')).event);
  res.status(204).end();
});

app.listen(Number(process.env.PORT) || 3000);
)js"),
        {{"LABEL", f.label},
         {"KEY", f.whsecKey ? QStringLiteral("Buffer.from(secret.replace(/^whsec_/, ''), 'base64')") : QStringLiteral("Buffer.from(secret, 'utf8')")},
         {"SIG", f.signatureHeader},
         {"SPLIT",
          f.separator.isEmpty() ? QStringLiteral("[header.trim()]") : QStringLiteral("header.split('%1').map((e) => e.trim())").arg(f.separator)},
         {"TS", !f.timestampHeader.isEmpty() ? QStringLiteral("req.get('%1') || ''").arg(f.timestampHeader)
                : f.timestampInSignature     ? QStringLiteral("(entries.find((e) => e.startsWith('t=')) || '').slice(2)")
                                             : QStringLiteral("''")},
         {"ID", f.idHeader.isEmpty() ? QStringLiteral("''") : QStringLiteral("req.get('%1') || ''").arg(f.idHeader)},
         {"PREFIX", signedPrefix},
         {"ENC", f.hex ? QStringLiteral("hex") : QStringLiteral("base64")},
         {"TAG", f.tag},
         {"TAGLEN", QString::number(f.tag.size())},
         {"LOWER", f.hex ? QStringLiteral(".toLowerCase()") : QString()},
         {"FRESH", f.content == SignedContent::Body
                       ? QStringLiteral("true")
                       : QStringLiteral("/^\\d+$/.test(timestamp) && Math.abs(Date.now() / 1000 - Number(timestamp)) <= toleranceSeconds")}});
}

QString python(const Facts &f)
{
    const QString signedPrefix = f.content == SignedContent::IdTimestampBody ? QStringLiteral("f\"{message_id}.{timestamp}.\".encode()")
                                 : f.content == SignedContent::TimestampBody ? QStringLiteral("f\"{timestamp}.\".encode()")
                                                                             : QStringLiteral("b\"\"");
    return fill(QStringLiteral(R"py(# Verifies Hookline's {{LABEL}} deliveries with Python's hmac.
# apt install python3-flask (or pip install flask); WEBHOOK_SECRET=... PORT=3000 python3 receiver.py
import base64
import hashlib
import hmac
import json
import os
import time

from flask import Flask, request

SECRET = os.environ["WEBHOOK_SECRET"]
KEY = {{KEY}}
TOLERANCE_SECONDS = 300
app = Flask(__name__)


@app.post("/webhook")
def webhook():
    body = request.get_data()  # the raw bytes: a signature covers the body exactly as sent
    header = request.headers.get("{{SIG}}", "")
    entries = {{SPLIT}}
    timestamp = {{TS}}
    message_id = {{ID}}
    digest = hmac.new(KEY, {{PREFIX}} + body, hashlib.sha256).digest()
    expected = {{ENC}}
    given = [e[{{TAGLEN}}:]{{LOWER}} for e in entries if e.startswith("{{TAG}}")]
    match = any(hmac.compare_digest(g, expected) for g in given)
    fresh = {{FRESH}}
    if not (match and fresh):
        return "invalid signature", 401
    print("verified", json.loads(body).get("event"))
    return "", 204


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "3000")))
)py"),
                {{"LABEL", f.label},
                 {"KEY", f.whsecKey ? QStringLiteral("base64.b64decode(SECRET.removeprefix(\"whsec_\"))") : QStringLiteral("SECRET.encode()")},
                 {"SIG", f.signatureHeader},
                 {"SPLIT", f.separator.isEmpty() ? QStringLiteral("[header.strip()]")
                                                 : QStringLiteral("[e.strip() for e in header.split(\"%1\")]").arg(f.separator)},
                 {"TS", !f.timestampHeader.isEmpty() ? QStringLiteral("request.headers.get(\"%1\", \"\")").arg(f.timestampHeader)
                        : f.timestampInSignature     ? QStringLiteral("next((e[2:] for e in entries if e.startswith(\"t=\")), \"\")")
                                                     : QStringLiteral("\"\"")},
                 {"ID", f.idHeader.isEmpty() ? QStringLiteral("\"\"") : QStringLiteral("request.headers.get(\"%1\", \"\")").arg(f.idHeader)},
                 {"PREFIX", signedPrefix},
                 {"ENC", f.hex ? QStringLiteral("digest.hex()") : QStringLiteral("base64.b64encode(digest).decode()")},
                 {"TAG", f.tag},
                 {"TAGLEN", QString::number(f.tag.size())},
                 {"LOWER", f.hex ? QStringLiteral(".lower()") : QString()},
                 {"FRESH", f.content == SignedContent::Body
                               ? QStringLiteral("True")
                               : QStringLiteral("timestamp.isdigit() and abs(time.time() - int(timestamp)) <= TOLERANCE_SECONDS")}});
}

QString php(const Facts &f)
{
    const auto server = [](QString header) -> QString { return QStringLiteral("HTTP_") + header.replace(u'-', u'_').toUpper(); };
    const QString signedPrefix = f.content == SignedContent::IdTimestampBody ? QStringLiteral("\"$id.$timestamp.\" . ")
                                 : f.content == SignedContent::TimestampBody ? QStringLiteral("\"$timestamp.\" . ")
                                                                             : QString();
    return fill(QStringLiteral(R"php(<?php
// Verifies Hookline's {{LABEL}} deliveries with PHP's hash_hmac.
// WEBHOOK_SECRET=... php -S 0.0.0.0:3000 receiver.php
$secret = getenv('WEBHOOK_SECRET');
$key = {{KEY}};
$toleranceSeconds = 300;

$body = file_get_contents('php://input'); // the raw bytes: a signature covers the body exactly as sent
$header = $_SERVER['{{SIG}}'] ?? '';
$entries = {{SPLIT}};
$timestamp = {{TS}};
$id = {{ID}};
$digest = hash_hmac('sha256', {{PREFIX}}$body, $key, true);
$expected = {{ENC}};
$match = false;
foreach ($entries as $entry) {
    if (str_starts_with($entry, '{{TAG}}') && hash_equals($expected, {{LOWER}}(substr($entry, {{TAGLEN}})))) {
        $match = true;
    }
}
$fresh = {{FRESH}};
if (!$match || !$fresh) {
    http_response_code(401);
    echo 'invalid signature';
    exit;
}
$event = json_decode($body, true);
error_log('verified ' . ($event['event'] ?? ''));
http_response_code(204);
)php"),
                {{"LABEL", f.label},
                 {"KEY", f.whsecKey ? QStringLiteral("base64_decode(preg_replace('/^whsec_/', '', $secret))") : QStringLiteral("$secret")},
                 {"SIG", server(f.signatureHeader)},
                 {"SPLIT", f.separator.isEmpty() ? QStringLiteral("[trim($header)]")
                                                 : QStringLiteral("array_map('trim', explode('%1', $header))").arg(f.separator)},
                 {"TS", !f.timestampHeader.isEmpty() ? QStringLiteral("$_SERVER['%1'] ?? ''").arg(server(f.timestampHeader))
                        : f.timestampInSignature
                            ? QStringLiteral("(string) substr(current(array_filter($entries, fn ($e) => str_starts_with($e, 't='))) ?: '', 2)")
                            : QStringLiteral("''")},
                 {"ID", f.idHeader.isEmpty() ? QStringLiteral("''") : QStringLiteral("$_SERVER['%1'] ?? ''").arg(server(f.idHeader))},
                 {"PREFIX", signedPrefix},
                 {"ENC", f.hex ? QStringLiteral("bin2hex($digest)") : QStringLiteral("base64_encode($digest)")},
                 {"TAG", f.tag},
                 {"TAGLEN", QString::number(f.tag.size())},
                 {"LOWER", f.hex ? QStringLiteral("strtolower") : QString()},
                 {"FRESH", f.content == SignedContent::Body
                               ? QStringLiteral("true")
                               : QStringLiteral("ctype_digit($timestamp) && abs(time() - (int) $timestamp) <= $toleranceSeconds")}});
}
QString go(const Facts &f)
{
    const bool stamped = f.content != SignedContent::Body;
    QStringList imports{QStringLiteral("crypto/hmac"), QStringLiteral("crypto/sha256"), QStringLiteral("io"),
                        QStringLiteral("log"),         QStringLiteral("net/http"),      QStringLiteral("os"),
                        QStringLiteral("strings")};
    if (f.whsecKey || !f.hex)
        imports << QStringLiteral("encoding/base64");
    if (f.hex)
        imports << QStringLiteral("encoding/hex");
    if (stamped)
        imports << QStringLiteral("math") << QStringLiteral("strconv") << QStringLiteral("time");
    imports.sort();
    QString importBlock;
    for (const auto &i : std::as_const(imports))
        importBlock += QStringLiteral("\t\"%1\"\n").arg(i);
    QString read;
    if (!f.timestampHeader.isEmpty()) {
        read += QStringLiteral("\t\ttimestamp := r.Header.Get(\"%1\")\n").arg(f.timestampHeader);
    } else if (f.timestampInSignature) {
        read += QStringLiteral(
            "\t\ttimestamp := \"\"\n\t\tfor _, e := range entries {\n\t\t\tif e = strings.TrimSpace(e); strings.HasPrefix(e, \"t=\") {\n"
            "\t\t\t\ttimestamp = e[2:]\n\t\t\t}\n\t\t}\n");
    }
    if (!f.idHeader.isEmpty())
        read += QStringLiteral("\t\tid := r.Header.Get(\"%1\")\n").arg(f.idHeader);
    const QString signedPrefix = f.content == SignedContent::IdTimestampBody
                                     ? QStringLiteral("\t\tmac.Write([]byte(id + \".\" + timestamp + \".\"))\n")
                                 : f.content == SignedContent::TimestampBody ? QStringLiteral("\t\tmac.Write([]byte(timestamp + \".\"))\n")
                                                                             : QString();
    return fill(
        QStringLiteral(R"go(// Verifies Hookline's {{LABEL}} deliveries with Go's crypto/hmac.
// WEBHOOK_SECRET=... PORT=3000 go run receiver.go
package main

import (
{{IMPORTS}})

const toleranceSeconds = 300

func main() {
	secret := os.Getenv("WEBHOOK_SECRET")
{{KEY}}
	http.HandleFunc("/webhook", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body) // the raw bytes: a signature covers the body exactly as sent
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		header := r.Header.Get("{{SIG}}")
		entries := {{SPLIT}}
{{READ}}		mac := hmac.New(sha256.New, key)
{{PREFIX}}		mac.Write(body)
		expected := {{ENC}}
		match := false
		for _, e := range entries {
			if e = strings.TrimSpace(e); strings.HasPrefix(e, "{{TAG}}") && hmac.Equal([]byte({{LOWER}}(e[{{TAGLEN}}:])), []byte(expected)) {
				match = true
			}
		}
		if !match{{FRESH}} {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		log.Printf("verified a delivery of %d bytes", len(body))
		w.WriteHeader(http.StatusNoContent)
	})
	port := os.Getenv("PORT")
	if port == "" {
		port = "3000"
	}
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
{{FRESHFUNC}})go"),
        {{"LABEL", f.label},
         {"IMPORTS", importBlock},
         {"KEY", f.whsecKey ? QStringLiteral("\tkey, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, \"whsec_\"))\n"
                                             "\tif err != nil {\n\t\tlog.Fatal(\"WEBHOOK_SECRET is not a whsec_ secret: \", err)\n\t}")
                            : QStringLiteral("\tkey := []byte(secret)")},
         {"SIG", f.signatureHeader},
         {"SPLIT", f.separator.isEmpty() ? QStringLiteral("[]string{header}") : QStringLiteral("strings.Split(header, \"%1\")").arg(f.separator)},
         {"READ", read},
         {"PREFIX", signedPrefix},
         {"ENC", f.hex ? QStringLiteral("hex.EncodeToString(mac.Sum(nil))") : QStringLiteral("base64.StdEncoding.EncodeToString(mac.Sum(nil))")},
         {"TAG", f.tag},
         {"TAGLEN", QString::number(f.tag.size())},
         {"LOWER", f.hex ? QStringLiteral("strings.ToLower") : QString()},
         {"FRESH", stamped ? QStringLiteral(" || !fresh(timestamp)") : QString()},
         {"FRESHFUNC", stamped ? QStringLiteral("\n// A timestamp too old (a replay) or too new (a skewed clock) is refused.\n"
                                                "func fresh(timestamp string) bool {\n"
                                                "\tseconds, err := strconv.ParseInt(timestamp, 10, 64)\n"
                                                "\treturn err == nil && math.Abs(float64(time.Now().Unix()-seconds)) <= toleranceSeconds\n}\n")
                               : QString()}});
}

QString java(const Facts &f)
{
    const bool stamped = f.content != SignedContent::Body;
    const QString signedPrefix = f.content == SignedContent::IdTimestampBody ? QStringLiteral("id + \".\" + timestamp + \".\"")
                                 : f.content == SignedContent::TimestampBody ? QStringLiteral("timestamp + \".\"")
                                                                             : QStringLiteral("\"\"");
    QString timestamp = QStringLiteral("            String timestamp = \"\";\n");
    if (!f.timestampHeader.isEmpty()) {
        timestamp = QStringLiteral("            String timestamp = header(exchange, \"%1\");\n").arg(f.timestampHeader);
    } else if (f.timestampInSignature) {
        timestamp += QStringLiteral("            for (String e : entries) {\n                if (e.trim().startsWith(\"t=\")) {\n"
                                    "                    timestamp = e.trim().substring(2);\n                }\n            }\n");
    }
    return fill(QStringLiteral(R"java(// Verifies Hookline's {{LABEL}} deliveries with Java's javax.crypto (Java 17).
// WEBHOOK_SECRET=... PORT=3000 java Receiver.java
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class Receiver {
    static final long TOLERANCE_SECONDS = 300;

    static String header(HttpExchange exchange, String name) {
        return Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst(name), "");
    }

    public static void main(String[] args) throws Exception {
        String secret = System.getenv("WEBHOOK_SECRET");
        byte[] key = {{KEY}};
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/webhook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes(); // the raw bytes: a signature covers the body exactly as sent
            String[] entries = {{SPLIT}};
{{TS}}            String id = {{ID}};
            int status;
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                mac.update(({{PREFIX}}).getBytes(StandardCharsets.UTF_8));
                String expected = {{ENC}};
                boolean match = false;
                for (String e : entries) {
                    e = e.trim();
                    if (e.startsWith("{{TAG}}")
                        && MessageDigest.isEqual(e.substring({{TAGLEN}}){{LOWER}}.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
                        match = true;
                    }
                }
                boolean fresh = {{FRESH}};
                status = match && fresh ? 204 : 401;
            } catch (Exception error) {
                status = 500;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }
}
)java"),
                {{"LABEL", f.label},
                 {"KEY", f.whsecKey ? QStringLiteral("Base64.getDecoder().decode(secret.replaceFirst(\"^whsec_\", \"\"))")
                                    : QStringLiteral("secret.getBytes(StandardCharsets.UTF_8)")},
                 {"SPLIT", f.separator.isEmpty() ? QStringLiteral("new String[] {header(exchange, \"%1\")}").arg(f.signatureHeader)
                                                 : QStringLiteral("header(exchange, \"%1\").split(\"%2\")").arg(f.signatureHeader, f.separator)},
                 {"TS", timestamp},
                 {"ID", f.idHeader.isEmpty() ? QStringLiteral("\"\"") : QStringLiteral("header(exchange, \"%1\")").arg(f.idHeader)},
                 {"PREFIX", signedPrefix},
                 {"ENC", f.hex ? QStringLiteral("HexFormat.of().formatHex(mac.doFinal(body))")
                               : QStringLiteral("Base64.getEncoder().encodeToString(mac.doFinal(body))")},
                 {"TAG", f.tag},
                 {"TAGLEN", QString::number(f.tag.size())},
                 {"LOWER", f.hex ? QStringLiteral(".toLowerCase()") : QString()},
                 {"FRESH",
                  stamped ? QStringLiteral(
                      "timestamp.matches(\"\\\\d+\") && Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) <= TOLERANCE_SECONDS")
                          : QStringLiteral("true")}});
}
} // namespace

QList<ReceiverSnippets::Language> ReceiverSnippets::languages()
{
    return {Language::Node, Language::Python, Language::Php, Language::Go, Language::Java};
}

QString ReceiverSnippets::name(Language language)
{
    switch (language) {
    case Language::Node: return QStringLiteral("node");
    case Language::Python: return QStringLiteral("python");
    case Language::Php: return QStringLiteral("php");
    case Language::Go: return QStringLiteral("go");
    case Language::Java: return QStringLiteral("java");
    }
    return {};
}

QString ReceiverSnippets::title(Language language)
{
    switch (language) {
    case Language::Node: return QStringLiteral("Node.js (Express)");
    case Language::Python: return QStringLiteral("Python (Flask)");
    case Language::Php: return QStringLiteral("PHP");
    case Language::Go: return QStringLiteral("Go (net/http)");
    case Language::Java: return QStringLiteral("Java (17, com.sun.net.httpserver)");
    }
    return {};
}

std::optional<ReceiverSnippets::Language> ReceiverSnippets::fromName(QStringView name)
{
    for (const auto l : languages()) {
        if (name == ReceiverSnippets::name(l))
            return l;
    }
    return std::nullopt;
}

QString ReceiverSnippets::code(Scheme scheme, QByteArrayView prefix, Language language)
{
    QByteArray p = prefix.toByteArray().trimmed();
    while (p.endsWith('-'))
        p.chop(1);
    const Facts facts = factsOf(scheme, p.isEmpty() ? QByteArrayView("X-Webhook") : QByteArrayView(p));
    switch (language) {
    case Language::Node:
        // The standard libraries where they exist, Node's crypto elsewhere.
        if (scheme == Scheme::Standard || scheme == Scheme::Github || scheme == Scheme::Stripe)
            return nodeLibrary(scheme, facts);
        return node(facts);
    case Language::Python: return python(facts);
    case Language::Php: return php(facts);
    case Language::Go: return go(facts);
    case Language::Java: return java(facts);
    }
    return {};
}

} // namespace hookline
