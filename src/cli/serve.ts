/**
 * `footfall serve`: the composition root of the server process. Opens the store, replays the
 * spool, wires the pipeline and the HTTP app, and shuts down cleanly on SIGTERM/SIGINT
 * (stop accepting, flush everything, exit 0 within 5 s).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stop as stopEsbuild } from 'esbuild';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { AppError, messageOf } from '../errors.js';
import { openCountryLookup } from '../ingest/geo.js';
import { Ingestor } from '../ingest/ingestor.js';
import { createPipeline } from '../ingest/pipeline.js';
import { SaltKeeper } from '../ingest/salts.js';
import { SESSION_TIMEOUT_MS, SessionTracker } from '../ingest/session.js';
import { reloadingOnSiteChange, SiteRegistry } from '../ingest/site-registry.js';
import { Spool } from '../ingest/spool.js';
import { createUserAgentParser } from '../ingest/user-agent.js';
import { findOpenVisitWithin, OPEN_VISIT_TIMEOUT_MS } from '../query/open-visit.js';
import { createApp } from '../server/app.js';
import { createAccountDeps } from '../server/session/account-deps.js';
import { isSingleProcessStore, openStore } from '../store/open-store.js';
import { buildTracker } from '../tracker/build.js';
import { readServerLink, removeServerLink, writeServerLink } from './server-link.js';

const SHUTDOWN_BUDGET_MS = 4_500;
const HOUSEKEEPING_MS = 60_000;

export const SERVE_USAGE = 'footfall serve [--host 127.0.0.1] [--port 8000] [--data ./data] [--public-url URL] [--trust-proxy]';

export async function serve(argv: string[]): Promise<void> {
  let flags;
  try {
    flags = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' }, port: { type: 'string' }, data: { type: 'string' },
        'public-url': { type: 'string' }, 'trust-proxy': { type: 'boolean' },
        store: { type: 'string' }, 'database-url': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new AppError('bad_request', `${messageOf(err)}\nusage: ${SERVE_USAGE}`);
  }
  if (flags.help) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return;
  }
  const config = loadConfig({
    host: flags.host, port: flags.port, dataDir: flags.data, publicUrl: flags['public-url'],
    trustProxy: flags['trust-proxy'], store: flags.store, databaseUrl: flags['database-url'],
  });
  const running = readServerLink(config.dataDir);
  if (running && running.pid !== process.pid) {
    throw new AppError('conflict', `a server (pid ${running.pid}) already serves ${config.dataDir} at ${running.url}`);
  }

  const clock = systemClock;
  const spool = new Spool(path.join(config.dataDir, 'spool'));
  const rawStore = await openStore(config, { spoolDir: spool.dir });
  const sites = new SiteRegistry(rawStore);
  const salts = new SaltKeeper(rawStore, clock);
  const refreshSites = async () => {
    const all = await sites.reload();
    await salts.refresh(all.map((s) => s.saltRotationHours));
  };
  await refreshSites();
  const store = reloadingOnSiteChange(rawStore, refreshSites);

  const sessions = new SessionTracker();
  for (const s of await rawStore.recentSessions(clock.now() - SESSION_TIMEOUT_MS)) {
    sessions.restore(s.site_id, s.visitor_id, s.session_id, s.last_ts);
  }
  const pipeline = createPipeline({ sites, salts, sessions, country: openCountryLookup(), userAgent: createUserAgentParser() });
  const log = (message: string) => process.stderr.write(`footfall: ${message}\n`);
  const ingestor = new Ingestor(rawStore, spool, pipeline, clock, {
    resumeVisit: isSingleProcessStore(config) ? undefined : async ({ site, visitorId, previousVisitorId, request }) => {
      if (sessions.isOpen(site.id, visitorId, previousVisitorId, request.receivedAt)) return;
      const ids = previousVisitorId ? [visitorId, previousVisitorId] : [visitorId];
      const visit = await findOpenVisitWithin(OPEN_VISIT_TIMEOUT_MS, rawStore, site.id, ids, request.receivedAt - SESSION_TIMEOUT_MS);
      if (visit) sessions.restore(site.id, visit.visitorId, visit.sessionId, visit.lastTs);
    },
    flushIntervalMs: config.flushIntervalMs,
    flushMaxEvents: config.flushMaxEvents,
    maxPendingEvents: config.maxPendingEvents,
    log,
  });
  await ingestor.start();

  const tracker = (await buildTracker()).code;
  await stopEsbuild();
  const adminToken = randomBytes(24).toString('base64url');
  const accounts = createAccountDeps(clock);
  const app = await createApp({ config, store, clock, adminToken, ingestor, trackerScript: async () => tracker, accounts });

  const housekeeping = setInterval(() => {
    sessions.sweep(clock.now());
    refreshSites().catch((err: unknown) => log(`housekeeping failed: ${messageOf(err)}`));
  }, HOUSEKEEPING_MS);
  housekeeping.unref();

  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('://[::1]', '://localhost');
  writeServerLink(config.dataDir, { pid: process.pid, url, token: adminToken });
  // No account yet: a one-time link creates the first admin (printed before "listening", which tests wait for).
  if ((await rawStore.listUsers()).length === 0) {
    const setupUrl = `${config.publicUrl?.replace(/\/+$/, '') ?? url}/setup?token=${accounts.setupToken.issue()}`;
    process.stdout.write(`footfall: no accounts yet; create the first admin at ${setupUrl}\n`);
  }
  process.stdout.write(`footfall listening on ${url} (data: ${config.dataDir})\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const hardStop = setTimeout(() => {
      log('shutdown took too long; acknowledged events stay in the spool and are stored at the next start');
      process.exit(1);
    }, 5_000);
    hardStop.unref();
    try {
      clearInterval(housekeeping);
      await app.close();
      await ingestor.close(SHUTDOWN_BUDGET_MS - 500);
      await rawStore.close();
      removeServerLink(config.dataDir, process.pid);
      process.stdout.write(`footfall stopped (${signal})\n`);
      process.exit(0);
    } catch (err) {
      log(`shutdown failed: ${messageOf(err)}`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
