/**
 * The baseline: a bare node:http server that answers the collector's URLs the cheapest way
 * possible (same 43-byte GIF and headers, 202 for events, body read but ignored). Run as its
 * own process by the ingest bench; prints `listening on <url>` like `footfall serve`.
 */
import http from 'node:http';
import { PIXEL_GIF } from '../../src/server/gif.js';

const GIF_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Content-Type': 'image/gif',
  'Cache-Control': 'private, no-cache',
  'Content-Length': String(PIXEL_GIF.length),
};
const EVENT_HEADERS = { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain', 'Content-Length': '2' };

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url?.startsWith('/a.gif')) {
    response.writeHead(200, GIF_HEADERS).end(PIXEL_GIF);
    return;
  }
  if (request.method === 'POST' && request.url === '/api/event') {
    // Drain the body first so the comparison includes reading it, as the real collector must.
    request.on('data', () => undefined);
    request.on('end', () => response.writeHead(202, EVENT_HEADERS).end('ok'));
    return;
  }
  response.writeHead(404).end();
});

// Same keep-alive window as Fastify's default so that neither side drops idle connections earlier.
server.keepAliveTimeout = 72_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
