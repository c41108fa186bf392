/**
 * Overload (issue 7; issue 6, acceptance 3). The collector on PostgreSQL, under a bounded load:
 *  (a) the database goes away for ~10 s: after the first failed flush /api/event answers 503 +
 *      Retry-After and beacons are dropped and counted as 'overload'; the process stays up with
 *      bounded memory; when the database returns it recovers by itself and every acknowledged
 *      event is stored exactly once;
 *  (b) the database is up but stalled (the events table locked against writes, so flushes hang
 *      rather than fail): the backlog cap FOOTFALL_MAX_PENDING_EVENTS alone turns writes away.
 * Stopping a server needs a private throwaway cluster (support/private-postgres.ts): the shared
 * one serves other test files at the same time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { TestContext } from 'node:test';
import { runCli, tempDataDir, type RunningServer } from '../helpers/server.js';
import { describeOutcomes, runLoad } from './support/load.js';
import { startManaged } from './support/managed.js';
import { PrivatePostgres } from './support/private-postgres.js';
import { skipOrFail } from './support/require.js';
import { sleep } from './support/seeded.js';
import { assertExactlyOnce, health, metric, sampleRss, storedInPostgres, waitForDrained } from './support/stored.js';
import { waitFor } from './support/wait-for.js';

const CLIENTS = 4;
/** RSS ceilings: the budget of ARCHITECTURE.md (<= 192 MB under load) with room for a 2-core CI box. */
const MAX_RSS_MB = 250;
/** How much RSS may grow while writes are being refused (a queue that grows would show here). */
const MAX_RSS_GROWTH_MB = 40;

let cluster: PrivatePostgres | undefined;
let unavailable: string | undefined;

before(async () => {
  const made = await PrivatePostgres.create();
  if (typeof made === 'string') unavailable = made;
  else cluster = made;
}, { timeout: 60_000 });
after(async () => {
  await cluster?.destroy();
});

async function serveOnPostgres(t: TestContext, env: Record<string, string>): Promise<RunningServer> {
  const dataDir = tempDataDir('footfall-overload-');
  const storeEnv = { FOOTFALL_STORE: 'postgres', FOOTFALL_DATABASE_URL: cluster!.url() };
  const added = await runCli(dataDir, ['site', 'add', 'example.com'], { env: storeEnv });
  assert.ok(added.code === 0 || /exists/.test(added.stderr), added.stderr);
  return startManaged(t, { dataDir, env: { ...storeEnv, ...env } });
}

describe('overload on PostgreSQL', { timeout: 120_000 }, () => {
  test('(a) the database goes away for 10 s: 503 + Retry-After, overload drops, bounded memory, recovery, stored == acknowledged', { timeout: 90_000 }, async (t) => {
    if (!cluster) return skipOrFail(t, unavailable ?? 'no private Postgres cluster');
    const server = await serveOnPostgres(t, { FOOTFALL_FLUSH_INTERVAL_MS: '200' });
    const pid = server.process.pid;
    const rss = sampleRss(pid);

    // Answers are judged by when they were made: [refusing, returned) is the window in which
    // the collector knows the store is down (first failed flush seen) and it has not come back.
    let refusingSince = Infinity;
    let returnedAt = Infinity;
    const wrongWhileDown: string[] = [];
    let overloadAnswers = 0;
    let stopLoad = false;
    const load = runLoad({
      baseUrl: server.url, clients: CLIENTS, maxRequests: 15_000, maxMs: 60_000, prefix: '/pgdown', pauseMs: 5,
      stop: () => stopLoad,
      onAnswer: (a) => {
        if (a.outcome === '503' || a.outcome === 'gif:overload') overloadAnswers++;
        if (a.startedAt < refusingSince || a.endedAt >= returnedAt) return;
        const refused = a.channel === 'event'
          ? a.outcome === '503' && /^\d+$/.test(a.retryAfter ?? '') && Number(a.retryAfter) >= 1 && Number(a.retryAfter) <= 60
          : a.outcome === 'gif:overload';
        if (!refused) wrongWhileDown.push(`${a.channel} ${a.key}: ${a.outcome} retry-after=${a.retryAfter}`);
      },
    });

    await sleep(2000);
    const beforeOutage = await health(server);
    assert.equal(beforeOutage.status, 'ok');
    assert.ok(beforeOutage.accepted > 50, 'events were flowing before the outage');
    await cluster.stop('fast');
    const downAt = Date.now();
    const rssAtDown = sampleRss(pid).stop().lastMb;
    const detectMs = await waitFor('the collector notices the store is down', 5000, async () => (await health(server)).status === 'overloaded');
    refusingSince = Date.now();
    // Keep it down ~10 s while the load goes on; the process must keep answering meanwhile.
    while (Date.now() - downAt < 10_000) {
      assert.equal(server.process.exitCode, null, `the server exited while the store was down:\n${server.output()}`);
      const h = await health(server);
      assert.equal(h.status, 'overloaded');
      await sleep(500);
    }
    const duringOutage = await health(server);
    const rssDown = sampleRss(pid).stop().lastMb;
    returnedAt = Date.now();
    await cluster.start();
    const recoverMs = await waitFor('recovery after the store returns', 25_000, async () => {
      const h = await health(server);
      return h.status === 'ok' && h.queue_depth < 500;
    });
    await sleep(1500); // load goes on after recovery: new writes are acknowledged again
    stopLoad = true;
    const result = await load;
    const drained = await waitForDrained(server, 15_000);
    const dropped = await metric(server, 'footfall_events_dropped_total', '{reason="overload"}');
    const peak = rss.stop();
    t.diagnostic(`outage noticed after ${detectMs} ms, recovered ${recoverMs} ms after the store returned; `
      + `${duringOutage.queue_depth} events waited on disk; RSS ${rssAtDown.toFixed(0)} MB at outage, ${rssDown.toFixed(0)} MB after 10 s, peak ${peak.peakMb.toFixed(0)} MB`);
    t.diagnostic(`answers: ${describeOutcomes(result.outcomes)}`);

    assert.deepEqual(wrongWhileDown.slice(0, 5), [], `${wrongWhileDown.length} answers while down were not 503 + Retry-After / overload drops`);
    assert.ok(overloadAnswers > 100, 'writes were refused during the outage');
    assert.equal(dropped, overloadAnswers, '/metrics counts every refused hit with reason overload');
    assert.equal(drained.queue_depth, 0);
    assert.deepEqual(result.unexpected.filter((u) => !/: (503|gif:overload)$/.test(u)).slice(0, 5), []);
    const lastAcknowledged = [...result.acknowledged].map((k) => Number(k.split('/').at(-1)));
    assert.ok(Math.max(...lastAcknowledged) > result.sent.size - 200, 'writes are acknowledged again after recovery');
    assert.ok(peak.peakMb < MAX_RSS_MB, `peak RSS ${peak.peakMb.toFixed(0)} MB`);
    assert.ok(rssDown - rssAtDown < MAX_RSS_GROWTH_MB, `RSS grew ${(rssDown - rssAtDown).toFixed(0)} MB while the store was down`);

    const stop = await server.stop();
    assert.equal(stop.code, 0);
    assertExactlyOnce(await storedInPostgres(cluster.url(), '/pgdown/'), result.acknowledged, result.sent, 'after a 10 s outage');
  });

  test('(b) a stalled store: the backlog cap turns writes away (503, overload drops) with bounded memory, then recovers', { timeout: 60_000 }, async (t) => {
    if (!cluster) return skipOrFail(t, unavailable ?? 'no private Postgres cluster');
    const CAP = 200;
    const server = await serveOnPostgres(t, { FOOTFALL_FLUSH_INTERVAL_MS: '100', FOOTFALL_MAX_PENDING_EVENTS: String(CAP) });
    const pid = server.process.pid;
    // EXCLUSIVE lets reads through (the collector may look up open visits) but makes every
    // flush wait: a stalled writer, not a failing one.
    const locker = new pg.Client({ connectionString: cluster.url(), connectionTimeoutMillis: 5000 });
    await locker.connect();
    let locked = true;
    // A failed assertion must not leave the lock (and an open socket) behind.
    t.after(async () => {
      if (locked) await locker.end().catch(() => undefined);
    });
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE events IN EXCLUSIVE MODE');
    const rss = sampleRss(pid);
    const rssStart = rss.stop().lastMb;
    const peakRss = sampleRss(pid);

    let maxDepth = 0;
    let stopLoad = false;
    const load = runLoad({ baseUrl: server.url, clients: CLIENTS, maxRequests: 10_000, maxMs: 30_000, prefix: '/stall', pauseMs: 2, stop: () => stopLoad });
    const stallStarted = Date.now();
    while (Date.now() - stallStarted < 5000) {
      const h = await health(server);
      maxDepth = Math.max(maxDepth, h.queue_depth);
      await sleep(100);
    }
    const stalled = await health(server);
    const failures = await metric(server, 'footfall_flush_failures_total');
    const rssStalled = peakRss.stop();
    await locker.query('COMMIT');
    await locker.end();
    locked = false;
    await waitFor('recovery once the lock is released', 15_000, async () => (await health(server)).status === 'ok');
    await sleep(1000);
    stopLoad = true;
    const result = await load;
    const drained = await waitForDrained(server, 15_000);
    t.diagnostic(`cap ${CAP}: queue depth peaked at ${maxDepth}; RSS ${rssStart.toFixed(0)} -> ${rssStalled.peakMb.toFixed(0)} MB; answers: ${describeOutcomes(result.outcomes)}`);

    assert.equal(stalled.status, 'overloaded');
    assert.equal(failures, 0, 'no flush failed: the cap, not a store error, refused the writes');
    // Accepting is synchronous after the cap check, except for the visit look-up of shared
    // stores: at most one in-flight request per client can pass the check together.
    assert.ok(maxDepth >= CAP && maxDepth <= CAP + CLIENTS, `queue depth ${maxDepth} stays at the cap ${CAP}`);
    assert.ok((result.outcomes.get('503') ?? 0) > 50, 'API clients got 503');
    assert.ok((result.outcomes.get('gif:overload') ?? 0) > 20, 'beacons were dropped as overload');
    assert.deepEqual(result.unexpected.filter((u) => !/: (503|gif:overload)$/.test(u)).slice(0, 5), []);
    assert.ok(rssStalled.peakMb - rssStart < MAX_RSS_GROWTH_MB, `RSS grew ${(rssStalled.peakMb - rssStart).toFixed(0)} MB while stalled`);
    assert.equal(drained.queue_depth, 0);
    assert.equal((await server.stop()).code, 0);
    assertExactlyOnce(await storedInPostgres(cluster.url(), '/stall/'), result.acknowledged, result.sent, 'after the stall');
  });
});
