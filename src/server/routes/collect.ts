/**
 * The collection endpoints, open to every origin (no credentials): the classic /a.js +
 * /a.gif pixel, the modern /script.js and Plausible-compatible POST /api/event. Under a running
 * server the hot ones (GET /a.gif, POST /api/event, preflights) are answered the same way by
 * collect-fast.ts in front of Fastify; these routes serve the rest and app.inject().
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { Hit, RequestInfo } from '../../ingest/hit.js';
import { decodeUtf8, MAX_BODY_BYTES, parseEventBody, parseGifQuery } from '../../ingest/parse-request.js';
import { classicScript } from '../../tracker/classic.js';
import type { AppDeps } from '../deps.js';
import { PIXEL_GIF } from '../gif.js';
import { errorBody } from '../http-errors.js';
import { CORS_HEADERS, EVENT_CONTENT_TYPES, GIF_HEADERS, mediaType, unsupportedTypeMessage } from './collect-headers.js';


export async function collectRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // The event body is read raw so that invalid UTF-8 and the size limit are ours to judge.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));

  const requestInfo = (request: FastifyRequest): RequestInfo => ({
    ip: request.ip.replace(/^::ffff:/, ''),
    userAgent: String(request.headers['user-agent'] ?? ''),
    headers: request.headers,
    receivedAt: deps.clock.now(),
  });

  const record = async (hit: Hit, request: FastifyRequest, reply: FastifyReply) => {
    const result = await deps.ingestor.accept(hit, requestInfo(request));
    if (!result.accepted) void reply.header('X-Footfall-Dropped', result.reason);
    return result;
  };

  // Malformed hits are counted too: a rising count means a broken snippet somewhere.
  app.addHook('onResponse', async (_request, reply) => {
    if (reply.statusCode >= 400 && reply.statusCode < 500) deps.ingestor.metrics.rejected++;
  });

  const publicUrl = (request: FastifyRequest) => deps.config.publicUrl ?? `${request.protocol}://${request.host}`;

  app.get('/a.js', async (request, reply) => {
    return reply.headers({ ...CORS_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' })
      .send(classicScript(publicUrl(request)));
  });

  app.get('/script.js', async (_request, reply) => {
    return reply.headers({ ...CORS_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' })
      .send(await deps.trackerScript());
  });

  app.get('/a.gif', async (request, reply) => {
    reply.headers(CORS_HEADERS);
    const hit = parseGifQuery(request.query as Record<string, unknown>);
    await record(hit, request, reply);
    // A pixel is never retried by a browser, so overload drops it (counted) rather than 503.
    return reply.headers(GIF_HEADERS).send(PIXEL_GIF);
  });

  app.options('/api/event', async (_request, reply) => reply.headers(CORS_HEADERS).status(204).send());

  app.post('/api/event', async (request, reply) => {
    reply.headers(CORS_HEADERS);
    const type = mediaType(request.headers['content-type']);
    if (!EVENT_CONTENT_TYPES.has(type)) throw new AppError('unsupported_media_type', unsupportedTypeMessage(type));
    const body = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('bad_request', 'body is empty');
    const hit = parseEventBody(decodeUtf8(body));
    const result = await record(hit, request, reply);
    if (!result.accepted && result.reason === 'overload') {
      return reply.status(503).header('Retry-After', String(deps.ingestor.retryAfterSeconds))
        .send(errorBody('unavailable', 'the store is behind; retry later'));
    }
    return reply.status(202).type('text/plain').send('ok');
  });

  for (const url of ['/api/event', '/a.gif', '/a.js', '/script.js']) {
    const allowed = url === '/api/event' ? 'POST, OPTIONS' : 'GET, HEAD, OPTIONS';
    app.route({
      method: ['PUT', 'DELETE', 'PATCH', ...(url === '/api/event' ? ['GET'] : ['POST'])],
      url,
      handler: async (request, reply) => reply.status(405).header('Allow', allowed)
        .send(errorBody('method_not_allowed', `${request.method} is not allowed on ${url}; use ${allowed}`)),
    });
  }
  for (const url of ['/a.gif', '/a.js', '/script.js']) {
    app.options(url, async (_request, reply) => reply.headers(CORS_HEADERS).status(204).send());
  }
}
