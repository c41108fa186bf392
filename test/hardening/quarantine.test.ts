/**
 * Quarantine of a spool segment the store refuses (issue 7). Before, the collector retried such
 * a segment forever, so one unstorable row stopped every segment behind it and turned every
 * writer away (503). Now a data error (the store rejects the content) is retried a few times,
 * then the segment is moved to <data>/spool/quarantine/ with a note of the error, counted at
 * /metrics and logged, and the segments behind it are stored. On every store: spool segments are
 * written by hand (good ones around a bad one, whose row no store can take), then the server
 * starts on them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { QUARANTINE_AFTER_ATTEMPTS } from '../../src/ingest/ingestor.js';
import { runCli, tempDataDir } from '../helpers/server.js';
import { eventRow } from '../store/adapter-checks.js';
import { startManaged } from './support/managed.js';
import { skipOrFail } from './support/require.js';
import { sqlRows, storedViaCli } from './support/store-reads.js';
import { storeUnderTest, type StoreName } from './support/stores.js';
import { health, metric, waitForDrained } from './support/stored.js';

/**
 * A row each store refuses (an `interactive` flag that is not a boolean): DuckDB reads it as NULL
 * into a NOT NULL column (Constraint Error), Postgres cannot cast it (22P02), ClickHouse cannot
 * parse it (CANNOT_PARSE_BOOL). Found by trying values per column against the three engines.
 */
function poisonLine(siteId: number): string {
  return JSON.stringify({ ...eventRow({ site_id: siteId, pathname: '/q/poison' }), interactive: 'maybe' });
}

function segment(spoolDir: string, id: string, lines: string[]): void {
  fs.writeFileSync(path.join(spoolDir, `${id}.ndjson`), lines.map((l) => `${l}\n`).join(''));
}

const STORES: StoreName[] = ['duckdb', 'postgres', 'clickhouse'];

describe('a segment the store refuses is quarantined; the rest is stored and writes go on', { timeout: 120_000 }, () => {
  for (const name of STORES) {
    test(name, { timeout: 60_000 }, async (t) => {
      const store = await storeUnderTest(name, 'quarantine');
      if (typeof store === 'string') return skipOrFail(t, store);
      t.after(() => store.dispose());
      const dataDir = tempDataDir(`footfall-quarantine-${name}-`);
      const added = await runCli(dataDir, ['site', 'add', 'example.com'], { env: store.env });
      assert.equal(added.code, 0, added.stderr);
      const siteId = Number((await sqlRows(dataDir, store.env, "select id from sites where domain = 'example.com'"))[0]!.id);

      // Ids sort by time: the bad segment sits between good ones, so the queue must get past it.
      const spoolDir = path.join(dataDir, 'spool');
      fs.mkdirSync(spoolDir, { recursive: true });
      const good = (tag: string, n: number) => Array.from({ length: n }, (_, i) => JSON.stringify(eventRow({ site_id: siteId, pathname: `/q/${tag}/${i}`, ts: Date.now() - 60_000 })));
      segment(spoolDir, '00000000000001-1-aaaa0001', good('before', 5));
      segment(spoolDir, '00000000000002-1-aaaa0002', [good('bad', 1)[0]!, poisonLine(siteId)]);
      segment(spoolDir, '00000000000003-1-aaaa0003', good('after', 7));

      const server = await startManaged(t, { dataDir, env: { ...store.env, FOOTFALL_FLUSH_INTERVAL_MS: '200' } });
      const started = Date.now();
      // Writes are acknowledged while the bad segment is being retried: the store is up.
      const answers: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${server.url}/api/event`, { method: 'POST', headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' }, body: JSON.stringify({ n: 'pageview', u: `https://example.com/q/new/${i}` }) });
        await res.arrayBuffer();
        answers.push(res.status);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const drained = await waitForDrained(server, 15_000);
      const quarantinedAfterMs = Date.now() - started;
      const quarantined = fs.existsSync(path.join(spoolDir, 'quarantine')) ? fs.readdirSync(path.join(spoolDir, 'quarantine')).sort() : [];
      const segments = await metric(server, 'footfall_quarantined_segments_total');
      const events = await metric(server, 'footfall_quarantined_events_total');
      const status = (await health(server)).status;
      const stop = await server.stop();
      const output = server.output();

      assert.deepEqual(answers, Array(10).fill(202), 'new writes are acknowledged meanwhile');
      assert.equal(drained.queue_depth, 0, `the queue got past the bad segment:\n${output}`);
      assert.equal(status, 'ok');
      assert.deepEqual(quarantined, ['00000000000002-1-aaaa0002.error.txt', '00000000000002-1-aaaa0002.ndjson']);
      const note = fs.readFileSync(path.join(spoolDir, 'quarantine', '00000000000002-1-aaaa0002.error.txt'), 'utf8');
      assert.match(note, new RegExp(`after ${QUARANTINE_AFTER_ATTEMPTS} attempts\\nthe store refused it: .+`));
      assert.equal(fs.readFileSync(path.join(spoolDir, 'quarantine', '00000000000002-1-aaaa0002.ndjson'), 'utf8').split('\n').length, 3, 'the file is kept whole');
      assert.deepEqual([segments, events], [1, 2], '/metrics counts the quarantined segment and its events');
      assert.match(output, /QUARANTINED spool segment 00000000000002-1-aaaa0002 \(2 events\)/, 'the log says so loudly');
      assert.equal(stop.code, 0, output);
      assert.deepEqual(fs.readdirSync(spoolDir).filter((f) => f.endsWith('.ndjson')), [], 'nothing else is left in the spool');

      const stored = await storedViaCli(dataDir, store.env, '/q/');
      const expected = [...good('before', 5), ...good('after', 7)].map((l) => (JSON.parse(l) as { pathname: string }).pathname)
        .concat(Array.from({ length: 10 }, (_, i) => `/q/new/${i}`));
      assert.deepEqual(expected.filter((p) => stored.get(p) !== 1), [], 'every good event stored once');
      assert.equal(stored.has('/q/poison'), false);
      t.diagnostic(`${name}: quarantined and drained ${quarantinedAfterMs} ms after start; the bad segment's good row is ${stored.has('/q/bad/0') ? 'stored (inserted before the refusal)' : 'not stored'}`);
    });
  }
});
