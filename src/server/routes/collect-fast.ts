/**
 * The collector's hot routes (GET /a.gif, POST /api/event and their CORS preflights) answered
 * straight from node:http, in front of Fastify: at full load Fastify's routing, hooks and reply
 * machinery cost more than the whole ingest pipeline. Every other request, HEAD and the 405s
 * of these paths included, goes on to Fastify (collect.ts), as does everything once the app
 * starts closing (Fastify then answers 503).
 *
 * The answers are those of collect.ts, byte for byte where it matters: the same status codes,
 * headers (CORS, cache, content type, X-Footfall-Dropped), JSON error bodies, 503 +
 * Retry-After on overload, the 413 of an oversized body (before its content type is looked
 * at, with Connection: close, as Fastify's body parser does) and the rejected-hits metric.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, messageOf } from '../../errors.js';
import type { RequestInfo } from '../../ingest/hit.js';
import { decodeUtf8, MAX_BODY_BYTES, parseEventBody, parseGifQuery } from '../../ingest/parse-request.js';
import type { AppDeps } from '../deps.js';
import { PIXEL_GIF } from '../gif.js';
import { errorAnswer, errorBody } from '../http-errors.js';
import { CORS_HEADERS, EVENT_CONTENT_TYPES, GIF_HEADERS, mediaType, unsupportedTypeMessage } from './collect-headers.js';
import { parseQueryString } from './collect-query.js';

export interface CollectFastPath {
  /** Answers the request when it is one of the hot routes (true); false leaves it to Fastify. */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
  /** From now on every request goes to Fastify (it answers 503 while the app closes). */
  stop(): void;
}

type Headers = Record<string, string>;

const GIF_LENGTH = String(PIXEL_GIF.length);
const ACCEPTED_HEADERS: Headers = { ...CORS_HEADERS, 'content-type': 'text/plain', 'content-length': '2' };
const PREFLIGHT_HEADERS: Headers = { ...CORS_HEADERS };

export function createCollectFastPath(deps: AppDeps, logError: (err: unknown) => void): CollectFastPath {
  let stopped = false;
  const { ingestor } = deps;

  const requestInfo = (request: IncomingMessage): RequestInfo => ({
    ip: clientIp(request, deps.config.trustProxy).replace(/^::ffff:/, ''),
    userAgent: String(request.headers['user-agent'] ?? ''),
    headers: request.headers,
    receivedAt: deps.clock.now(),
  });

  const sendError = (response: ServerResponse, err: unknown, headers: Headers): void => {
    const answer = errorAnswer(err);
    if (answer.log) logError(err);
    sendJson(response, answer.status, { ...headers, ...answer.headers }, answer.body);
  };

  const sendJson = (response: ServerResponse, status: number, headers: Headers, body: unknown): void => {
    const text = JSON.stringify(body);
    // Counted once the answer went out, like Fastify's onResponse hook in collect.ts.
    if (status >= 400 && status < 500) response.once('finish', () => ingestor.metrics.rejected++);
    response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
    response.end(text);
  };

  const gif = async (request: IncomingMessage, response: ServerResponse, query: string): Promise<void> => {
    try {
      const hit = parseGifQuery(parseQueryString(query));
      const result = await ingestor.accept(hit, requestInfo(request));
      const headers: Headers = { ...CORS_HEADERS };
      // A pixel is never retried by a browser, so overload drops it (counted) rather than 503.
      if (!result.accepted) headers['x-footfall-dropped'] = result.reason;
      Object.assign(headers, GIF_HEADERS);
      headers['content-length'] = GIF_LENGTH;
      response.writeHead(200, headers);
      response.end(PIXEL_GIF);
    } catch (err) {
      sendError(response, err, CORS_HEADERS);
    }
  };

  const event = async (request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> => {
    try {
      const type = mediaType(request.headers['content-type']);
      if (!EVENT_CONTENT_TYPES.has(type)) throw new AppError('unsupported_media_type', unsupportedTypeMessage(type));
      if (body.length === 0) throw new AppError('bad_request', 'body is empty');
      const hit = parseEventBody(decodeUtf8(body));
      const result = await ingestor.accept(hit, requestInfo(request));
      if (result.accepted) {
        response.writeHead(202, ACCEPTED_HEADERS);
        response.end('ok');
        return;
      }
      const headers: Headers = { ...CORS_HEADERS, 'x-footfall-dropped': result.reason };
      if (result.reason === 'overload') {
        headers['retry-after'] = String(ingestor.retryAfterSeconds);
        sendJson(response, 503, headers, errorBody('unavailable', 'the store is behind; retry later'));
        return;
      }
      headers['content-type'] = 'text/plain';
      headers['content-length'] = '2';
      response.writeHead(202, headers);
      response.end('ok');
    } catch (err) {
      sendError(response, err, CORS_HEADERS);
    }
  };

  /** Reads the body up to the limit, then answers; body errors close the connection (the client may send more). */
  const readBody = (request: IncomingMessage, response: ServerResponse): void => {
    const bodyError = (status: 400 | 413, message: string) => {
      sendJson(response, status, { connection: 'close' }, errorBody(status === 413 ? 'payload_too_large' : 'bad_request', message));
    };
    const declared = Number(request.headers['content-length']);
    if (declared > MAX_BODY_BYTES) {
      bodyError(413, 'Request body is too large');
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_BODY_BYTES) {
        done();
        bodyError(413, 'Request body is too large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      if (!Number.isNaN(declared) && received !== declared) {
        bodyError(400, 'Request body size did not match Content-Length');
        return;
      }
      void event(request, response, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    };
    const onError = (err: Error) => {
      done();
      bodyError(400, messageOf(err));
    };
    const done = () => {
      request.removeListener('data', onData);
      request.removeListener('end', onEnd);
      request.removeListener('error', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  };

  return {
    handle(request, response) {
      if (stopped) return false;
      const url = request.url ?? '';
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      const method = request.method;
      if (path === '/a.gif') {
        if (method === 'GET') {
          void gif(request, response, q === -1 ? '' : url.slice(q + 1));
          return true;
        }
      } else if (path === '/api/event') {
        if (method === 'POST') {
          readBody(request, response);
          return true;
        }
      } else {
        return false;
      }
      if (method !== 'OPTIONS') return false;
      response.writeHead(204, PREFLIGHT_HEADERS);
      response.end();
      return true;
    },
    stop() {
      stopped = true;
    },
  };
}

/**
 * The client address as Fastify's request.ip gives it: the socket's peer, or with trust-proxy
 * the first (client-most) address of X-Forwarded-For.
 */
function clientIp(request: IncomingMessage, trustProxy: boolean): string {
  const socketAddress = request.socket.remoteAddress ?? '';
  if (!trustProxy) return socketAddress;
  const forwarded = request.headers['x-forwarded-for'];
  if (typeof forwarded !== 'string' || forwarded === '') return socketAddress;
  for (const part of forwarded.split(',')) {
    const address = part.replace(/^[ \t]+|[ \t]+$/g, '');
    if (address !== '') return address;
  }
  return socketAddress;
}
