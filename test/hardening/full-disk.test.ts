/**
 * A full disk (issue 7, overload). The data dir (spool and DuckDB file) lives on a small tmpfs
 * (support/small-disk.ts); under a bounded load the disk is filled to the last byte, kept full
 * for a few seconds, then freed. While full, a hit whose spool write fails is not acknowledged:
 * /api/event answers 503 + Retry-After, a beacon is dropped and counted as 'overload', and
 * /metrics counts the failed spool writes. Nothing crashes, memory stays flat, and once space is
 * freed the collector recovers by itself: every acknowledged event is stored exactly once (a line
 * cut short by ENOSPC must not take the next acknowledged line with it).
 * Two runs, as whichever fails first turns writes away before the other is tried: (a) no flush
 * while the disk is full, so the spool write is what fails; (b) flushes every 200 ms, so DuckDB's
 * writes fail too (and are retried, not quarantined: a full disk is no data error).
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { runCli, type RunningServer } from '../helpers/server.js';
import { describeOutcomes, runLoad } from './support/load.js';
import { startManaged } from './support/managed.js';
import { skipOrFail } from './support/require.js';
import { sleep } from './support/seeded.js';
import { makeSmallDisk } from './support/small-disk.js';
import { assertExactlyOnce, health, metric, sampleRss, storedInDuckDb, waitForDrained } from './support/stored.js';
import { waitFor } from './support/wait-for.js';

const DISK_MB = 16;
const CLIENTS = 4;
const FULL_FOR_MS = 4000;
/** How much RSS may grow while the disk is full (a queue that grows would show here). */
const MAX_RSS_GROWTH_MB = 40;

function assertAlive(server: RunningServer, when: string): void {
  assert.equal(server.process.exitCode, null, `the server exited ${when}:\n${server.output()}`);
  assert.equal(server.process.signalCode, null, `the server was killed ${when}:\n${server.output()}`);
}

interface Run {
  /** FOOTFALL_FLUSH_INTERVAL_MS of the server. */
  flushIntervalMs: number;
  /** The failure that must have been seen while the disk was full. */
  expect: 'spool' | 'spool or store';
}

async function fullDisk(t: TestContext, run: Run): Promise<void> {
  const disk = makeSmallDisk(DISK_MB);
  if (typeof disk === 'string') return skipOrFail(t, disk);
  t.after(() => disk.dispose());
  t.diagnostic(`disk: ${disk.why}`);
  if (disk.mechanism !== 'tmpfs') process.stderr.write(`full-disk test: ${disk.why}\n`);

  assert.equal((await runCli(disk.dir, ['site', 'add', 'example.com'])).code, 0);
  // FLUSH_MAX_EVENTS high: only the interval (or the shutdown) flushes.
  const server = await startManaged(t, { dataDir: disk.dir, env: { FOOTFALL_FLUSH_INTERVAL_MS: String(run.flushIntervalMs), FOOTFALL_FLUSH_MAX_EVENTS: '1000000' } });
  const pid = server.process.pid!;
  const rss = sampleRss(pid);

  let refusals = 0;
  let fullSince = Infinity;
  let freedAt = Infinity;
  let acknowledgedWhileFull = 0;
  let stopLoad = false;
  const load = runLoad({
    baseUrl: server.url, clients: CLIENTS, maxRequests: 30_000, maxMs: 45_000, prefix: '/disk', pauseMs: 2,
    stop: () => stopLoad,
    onAnswer: (a) => {
      if (a.outcome === '503' || a.outcome === 'gif:overload') refusals++;
      // tmpfs can still take a line into a page a segment already has, so some writes succeed
      // while the disk is full: they are on disk and must be stored like any other.
      if (a.startedAt >= fullSince && a.endedAt < freedAt && (a.outcome === '202' || a.outcome === '200')) acknowledgedWhileFull++;
    },
  });

  await sleep(1500);
  assert.equal((await health(server)).status, 'ok');
  const fillerBytes = disk.fill(pid);
  fullSince = Date.now();
  const rssAtFull = sampleRss(pid).stop().lastMb;
  const detectMs = await waitFor('the collector refuses writes on the full disk', 5000, async () => (await health(server)).status === 'overloaded');
  while (Date.now() - fullSince < FULL_FOR_MS) {
    assertAlive(server, 'while the disk was full');
    await sleep(250);
  }
  const whileFull = await health(server);
  const spoolFailures = await metric(server, 'footfall_spool_write_failures_total');
  const storeFailures = await metric(server, 'footfall_flush_failures_total');
  const rssFull = sampleRss(pid).stop().lastMb;
  disk.free(pid);
  freedAt = Date.now();

  // The store's retry may sit in its longest backoff (10 s) when space comes back.
  // Run (a) flushes only at shutdown: its queue grows until then.
  const flushes = run.flushIntervalMs < 10_000;
  const recoverMs = await waitFor('recovery after space is freed', 20_000, async () => {
    const h = await health(server);
    return h.status === 'ok' && (!flushes || h.queue_depth < 500);
  });
  await sleep(1500); // writes are acknowledged again after recovery
  stopLoad = true;
  const result = await load;
  const drained = flushes ? await waitForDrained(server, 15_000) : await health(server);
  const dropped = await metric(server, 'footfall_events_dropped_total', '{reason="overload"}');
  const peak = rss.stop();
  t.diagnostic(`filler took ${(fillerBytes / 1048576).toFixed(1)} MB; refusing after ${detectMs} ms; ${spoolFailures} spool writes and ${storeFailures} flushes failed, `
    + `${acknowledgedWhileFull} hits still acknowledged while full (into pages already allocated), ${whileFull.queue_depth} events waited; `
    + `recovered ${recoverMs} ms after space was freed; RSS ${rssAtFull.toFixed(0)} MB at full, ${rssFull.toFixed(0)} MB after ${FULL_FOR_MS} ms, peak ${peak.peakMb.toFixed(0)} MB`);
  t.diagnostic(`answers: ${describeOutcomes(result.outcomes)}`);

  assertAlive(server, 'after the disk was freed');
  if (run.expect === 'spool') assert.ok(spoolFailures > 0, 'spool writes failed on the full disk (and /metrics counts them)');
  else assert.ok(spoolFailures + storeFailures > 0, 'spool or store writes failed on the full disk (and /metrics counts them)');
  assert.equal(await metric(server, 'footfall_quarantined_segments_total'), 0, 'a full disk is not a data error');
  assert.ok(refusals > 20, `writes were refused while the disk was full (${refusals})`);
  assert.equal(dropped, refusals, '/metrics counts every refused hit with reason overload');
  assert.ok(result.retryAfter.every((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 60), `Retry-After values: ${result.retryAfter.slice(0, 5).join(', ')}`);
  // Only acknowledgements, 503 + Retry-After and overload drops: no 500, no connection error.
  assert.deepEqual(result.unexpected.slice(0, 5), [], `${result.unexpected.length} unexpected answers`);
  if (flushes) assert.equal(drained.queue_depth, 0);
  assert.equal(drained.status, 'ok');
  const lastAcknowledged = [...result.acknowledged].map((k) => Number(k.split('/').at(-1)));
  assert.ok(Math.max(...lastAcknowledged) > result.sent.size - 100, 'writes are acknowledged again after recovery');
  assert.ok(rssFull - rssAtFull < MAX_RSS_GROWTH_MB, `RSS grew ${(rssFull - rssAtFull).toFixed(0)} MB while the disk was full`);

  const stop = await server.stop();
  assert.equal(stop.code, 0, server.output());
  assertExactlyOnce(await storedInDuckDb(disk.dir, '/disk/'), result.acknowledged, result.sent, 'after the disk was full');
}

test('(a) a full disk under the spool: 503 + Retry-After and overload drops, no crash, flat memory, recovery, stored == acknowledged', { timeout: 60_000 }, async (t) => {
  await fullDisk(t, { flushIntervalMs: 60_000, expect: 'spool' });
});

test('(b) a full disk under the spool and DuckDB: the same while flushes fail too', { timeout: 60_000 }, async (t) => {
  await fullDisk(t, { flushIntervalMs: 200, expect: 'spool or store' });
});
