/**
 * Crash and shutdown under load on the ClickHouse store (issue 7), through chdb: the engine runs
 * inside the server process, so kill -9 kills it mid-insert too, as it would kill DuckDB, and the
 * next start has to open its directory cleanly (parts half written are discarded by the engine)
 * and replay the spool exactly once (insert deduplication tokens per segment chunk, then the
 * segment id; docs/clickhouse.md). Fewer rounds than crash-loop.test.ts (DuckDB): a chdb start
 * takes a few seconds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempDataDir } from '../helpers/server.js';
import { describeOutcomes, runLoad } from './support/load.js';
import { startManaged } from './support/managed.js';
import { skipOrFail } from './support/require.js';
import { seededRandom, sleep } from './support/seeded.js';
import { storedInChdb, storeUnderTest } from './support/stores.js';
import { assertExactlyOnce, health, waitForDrained } from './support/stored.js';
import { spoolSegments } from './support/stored.js';

const ROUNDS = 3;
const CLIENTS = 4;

test('ClickHouse (chdb): kill -9 at random moments under load, every acknowledged event stored exactly once', { timeout: 120_000 }, async (t) => {
  const store = await storeUnderTest('clickhouse', 'crash');
  if (typeof store === 'string') return skipOrFail(t, store);
  t.after(() => store.dispose());
  const random = seededRandom();
  t.diagnostic(`seed ${random.seed} (FOOTFALL_TEST_SEED=${random.seed} replays this schedule)`);
  const dataDir = tempDataDir('footfall-crash-ch-');
  const added = await runCli(dataDir, ['site', 'add', 'example.com'], { env: store.env });
  assert.equal(added.code, 0, added.stderr);

  const sent = new Set<string>();
  const acknowledged = new Set<string>();
  for (let round = 0; round < ROUNDS; round++) {
    const flushIntervalMs = random.pick([20, 100, 500]);
    const flushMaxEvents = random.pick([10, 50, 500]);
    const startedAt = Date.now();
    const server = await startManaged(t, {
      dataDir, env: { ...store.env, FOOTFALL_FLUSH_INTERVAL_MS: String(flushIntervalMs), FOOTFALL_FLUSH_MAX_EVENTS: String(flushMaxEvents) },
    });
    const startMs = Date.now() - startedAt;
    assert.equal((await health(server)).status, 'ok', `round ${round}: the store did not open cleanly`);
    const killAfterMs = random.int(300, 1500);
    const load = runLoad({ baseUrl: server.url, clients: CLIENTS, maxRequests: 3000, maxMs: 10_000, prefix: `/chcrash/r${round}`, stopOnNetworkError: true });
    await sleep(killAfterMs);
    // On a busy machine chdb may not have taken much yet: let each round see some load.
    const waitStarted = Date.now();
    while ((await health(server)).accepted < 20 && Date.now() - waitStarted < 5000) await sleep(50);
    await server.kill9();
    const result = await load;
    for (const k of result.sent) sent.add(k);
    for (const k of result.acknowledged) acknowledged.add(k);
    t.diagnostic(`round ${round}: started in ${startMs} ms, flush ${flushIntervalMs} ms / ${flushMaxEvents} events, kill after ${killAfterMs} ms, `
      + `${result.acknowledged.size} acknowledged of ${result.sent.size} sent, ${spoolSegments(dataDir).length} spool segments left (${describeOutcomes(result.outcomes)})`);
    assert.deepEqual(result.unexpected.slice(0, 5), [], `round ${round}: unexpected answers`);
  }
  assert.ok(acknowledged.size > 50, `only ${acknowledged.size} events were acknowledged over ${ROUNDS} rounds`);

  const server = await startManaged(t, { dataDir, env: store.env });
  const drained = await waitForDrained(server, 20_000);
  assert.equal(drained.queue_depth, 0, 'the spool left by the crashes is replayed into the store');
  assert.equal((await server.stop()).code, 0);
  assert.deepEqual(spoolSegments(dataDir), []);
  assertExactlyOnce(await storedInChdb(store.chdbDir!, '/chcrash/'), acknowledged, sent, `after ${ROUNDS} kills`);
});

test('ClickHouse (chdb): SIGTERM under load, exit 0 within 5 s with every acknowledged event stored', { timeout: 60_000 }, async (t) => {
  const store = await storeUnderTest('clickhouse', 'term');
  if (typeof store === 'string') return skipOrFail(t, store);
  t.after(() => store.dispose());
  const dataDir = tempDataDir('footfall-term-ch-');
  assert.equal((await runCli(dataDir, ['site', 'add', 'example.com'], { env: store.env })).code, 0);
  // A long interval keeps most events in the spool until shutdown; the small batch size keeps a
  // flush running when the signal comes.
  const server = await startManaged(t, { dataDir, env: { ...store.env, FOOTFALL_FLUSH_INTERVAL_MS: '60000', FOOTFALL_FLUSH_MAX_EVENTS: '300' } });
  const load = runLoad({ baseUrl: server.url, clients: CLIENTS, maxRequests: 4000, maxMs: 15_000, prefix: '/chterm', stopOnNetworkError: true });
  // Signal once the load is well under way (chdb's pace varies a lot on a busy machine).
  const loadStarted = Date.now();
  while ((await health(server)).accepted < 150 && Date.now() - loadStarted < 8000) await sleep(100);
  const { code, ms } = await server.stop();
  const result = await load;
  t.diagnostic(`exit ${code} after ${ms} ms; ${result.acknowledged.size} acknowledged of ${result.sent.size} sent (${describeOutcomes(result.outcomes)})`);
  assert.equal(code, 0, server.output());
  assert.ok(ms < 5000, `exit took ${ms} ms`);
  assert.ok(result.acknowledged.size > 100, 'the server was under load when the signal came');
  assert.deepEqual(result.unexpected.filter((u) => !u.endsWith(': 503')).slice(0, 5), []);
  // The store as shutdown left it: no restart, so no replay could hide a lost flush.
  assert.deepEqual(spoolSegments(dataDir), [], 'shutdown moved the whole spool into the store');
  assertExactlyOnce(await storedInChdb(store.chdbDir!, '/chterm/'), result.acknowledged, result.sent, 'after SIGTERM');
});
