// A loopback receiver for the demo database and the screenshots:
// /ok answers 200, /flaky fails one request in three with 500, /slow waits 300 ms,
// /down always answers 503.
'use strict';
const http = require('http');
const port = Number(process.argv[2] || 18090);
let count = 0;
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    count += 1;
    const reply = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url.startsWith('/flaky') && count % 3 === 0)
      return reply(500, { error: 'temporarily unavailable' });
    if (req.url.startsWith('/down'))
      return reply(503, { error: 'maintenance' });
    if (req.url.startsWith('/slow'))
      return setTimeout(() => reply(200, { received: true }), 300);
    reply(200, { received: true, bytes: Buffer.concat(chunks).length });
  });
}).listen(port, '127.0.0.1');
