// Issue 6, acceptance 2: `footfall migrate-store` from DuckDB to PostgreSQL of a 1M-event data
// set: counts equal and the dashboard's answers equal on both stores.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { dashboardQueries, GOALS } from '../../bench/query/dashboard-queries.js';
import { fixedClock } from '../../src/clock.js';
import { generateEvents } from '../../src/generate/generate-events.js';
import { parseQuery } from '../../src/query/parse-query.js';
import { runQuery } from '../../src/query/run-query.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { duckDbFile } from '../../src/store/open-store.js';
import { openPostgresStore } from '../../src/store/postgres/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, skipOrFailWithout } from '../helpers/postgres.js';
import { runCli, tempDataDir } from '../helpers/server.js';

const EVENTS = 1_000_000;
const END = Date.UTC(2024, 3, 1);

/** Generates EVENTS events into a fresh DuckDB data dir through spool segments (the ingest path). */
async function generateDataDir(): Promise<{ dataDir: string; stored: number }> {
  const dataDir = tempDataDir();
  const spoolDir = path.join(dataDir, 'spool');
  fs.mkdirSync(spoolDir);
  const store = await DuckDbStore.open({ file: duckDbFile(dataDir), spoolDir });
  await store.migrate();
  const berlin = await store.addSite({ domain: 'site1.example', timezone: 'Europe/Berlin' });
  const utc = await store.addSite({ domain: 'site2.example', timezone: 'UTC', raw: true });
  for (const goal of GOALS) await store.addGoal(berlin.id, goal);
  let stored = 0;
  let lines: string[] = [];
  const flush = async () => {
    const file = path.join(spoolDir, `seg-${stored}.ndjson`);
    fs.writeFileSync(file, lines.join(''));
    stored += await store.ingestSegment({ id: `seg-${stored}`, path: file });
    fs.rmSync(file);
    lines = [];
  };
  const sites = [berlin, utc].map((s) => ({ id: s.id, domain: s.domain, timezone: s.timezone, raw: s.raw }));
  for (const { row, hit } of generateEvents({ seed: 42, events: EVENTS, days: 45, endMs: END, sites })) {
    if (hit.bot) continue;
    lines.push(`${JSON.stringify(row)}\n`);
    if (lines.length === 200_000) await flush();
  }
  await flush();
  await store.close();
  return { dataDir, stored };
}

async function dashboard(store: Store): Promise<unknown[]> {
  const sites = await store.listSites();
  const answers: unknown[] = [];
  for (const site of sites) {
    for (const q of dashboardQueries(site.domain, '2024-03-02', '2024-03-31')) {
      const result = await runQuery({ store, clock: fixedClock(END) }, parseQuery(q.body), site);
      answers.push({ site: site.domain, query: q.name, results: result.results });
    }
  }
  return answers;
}

test('migrate-store copies a 1M-event DuckDB data dir into PostgreSQL with equal counts and answers', { timeout: 300_000 }, async (t) => {
  const database = await createTestDatabase('footfall_migrate');
  if (typeof database === 'string') return skipOrFailWithout(t, database);
  try {
    const { dataDir, stored } = await generateDataDir();
    assert.ok(stored > EVENTS * 0.9, `generated ${stored} events`);
    const result = await runCli(dataDir, ['migrate-store', '--from', `duckdb:${dataDir}`, '--to', database.url]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`copied 2 sites and ${stored} events; counts match`));
    assert.match(result.stderr, /site1\.example: \d+ \/ \d+ events/, 'progress is shown');

    const duck = await DuckDbStore.open({ file: duckDbFile(dataDir) });
    const postgres = await openPostgresStore(database.url);
    try {
      assert.deepEqual((await postgres.listGoals((await postgres.getSite('site1.example'))!.id)).map((g) => g.displayName),
        (await duck.listGoals((await duck.getSite('site1.example'))!.id)).map((g) => g.displayName));
      const [expected, actual] = [await dashboard(duck), await dashboard(postgres)];
      assert.equal(actual.length, 24);
      assert.deepEqual(actual, expected);
    } finally {
      await duck.close();
      await postgres.close();
    }
    // Copying into a store that already has data is refused, and nothing changes.
    const again = await runCli(dataDir, ['migrate-store', '--from', dataDir, '--to', database.url]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already has sites/);
  } finally {
    await database.drop();
  }
});
