/**
 * The dashboard's static files: index.html for every dashboard page (the app routes in the
 * browser) with a strict Content-Security-Policy, and the hashed assets built into dist/ui.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../errors.js';
import type { AppDeps } from '../deps.js';

/**
 * No inline script or style, nothing from other origins, no framing. Visitor-sent text is only
 * ever rendered as text; this is the second line of defence if that ever slipped.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Share-link slugs are in page URLs: never send them to other sites as a referrer.
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Dashboard pages; the browser app picks the view from the path. */
const PAGES = ['/', '/login', '/setup', '/users', '/sql', '/drops', '/sites/*', '/share/*'];

/** GET of the dashboard pages (index.html with the CSP) and of /assets/<hashed file>. */
export async function uiStaticRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const dir = deps.accounts.uiDir;
  // Read per request only until found: the files are immutable for the life of the process.
  const cache = new Map<string, Buffer>();
  const load = async (file: string): Promise<Buffer | undefined> => {
    const cached = cache.get(file);
    if (cached) return cached;
    try {
      const data = await readFile(path.join(dir, file));
      cache.set(file, data);
      return data;
    } catch {
      return undefined;
    }
  };

  const sendPage = async (reply: FastifyReply) => {
    const html = await load('index.html');
    if (!html) throw new AppError('unavailable', 'the dashboard is not built; run `npm run build`');
    return reply.headers(PAGE_HEADERS).send(html);
  };
  for (const url of PAGES) app.get(url, async (_request, reply) => sendPage(reply));

  app.get('/assets/:file', async (request, reply) => {
    const file = (request.params as { file: string }).file;
    const type = ASSET_TYPES[path.extname(file)];
    const data = /^[\w.-]+$/.test(file) && type ? await load(path.join('assets', file)) : undefined;
    if (!data) throw new AppError('not_found', `no asset ${file}`);
    // Names carry a content hash (see scripts/build-ui.mjs): cache for good.
    return reply.headers({ 'Content-Type': type!, 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' }).send(data);
  });
}
