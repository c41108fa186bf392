/**
 * DuckDB re-sorts closed days by (site_id, visitor_id, ts) for compression (day-compaction.ts):
 * the rows and every answer stay the same, the open day is left alone, and each day is done once.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { generateEvents } from '../../src/generate/generate-events.js';
import { parseQuery } from '../../src/query/parse-query.js';
import { runQuery } from '../../src/query/run-query.js';
import type { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { Site } from '../../src/store/site.js';
import { openTempStore } from '../query/support/dataset.js';

const END = Date.UTC(2024, 3, 5, 12);

async function answers(store: DuckDbStore, site: Site): Promise<unknown[]> {
  const base = { site_id: site.domain, date_range: ['2024-04-01', '2024-04-05'] };
  const bodies = [
    { ...base, metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration', 'views_per_visit'] },
    { ...base, metrics: ['visitors'], dimensions: ['time:hour'] },
    { ...base, metrics: ['visitors', 'pageviews'], dimensions: ['event:page'] },
    { ...base, metrics: ['visitors', 'visits'], dimensions: ['visit:entry_page'] },
    { ...base, metrics: ['visitors', 'percentage'], dimensions: ['visit:country'] },
  ];
  const out: unknown[] = [];
  for (const body of bodies) out.push((await runQuery({ store, clock: fixedClock(END) }, parseQuery(body), site)).results);
  return out;
}

test('closed days are re-sorted by site and visitor; rows and answers are unchanged', async () => {
  const sorted = await openTempStore('footfall-compact-');
  const plain = await openTempStore('footfall-compact-plain-');
  try {
    const sites: Site[] = [];
    for (const s of [sorted, plain]) {
      sites.push(await s.store.addSite({ domain: 'a.example', timezone: 'Europe/Berlin' }));
      await s.store.addSite({ domain: 'b.example', timezone: 'UTC' });
    }
    const rows: EventRow[] = [];
    for (const e of generateEvents({ seed: 5, events: 12_000, days: 4, endMs: END, sites: [
      { id: 1, domain: 'a.example', timezone: 'Europe/Berlin' }, { id: 2, domain: 'b.example', timezone: 'UTC' }] })) {
      if (!e.hit.bot) rows.push(e.row);
    }
    await plain.store.insertEvents(rows);
    // One spool segment: ingest compacts closed days for about a second, compactClosedDays the rest.
    const file = path.join(sorted.dir, 'seg.ndjson');
    fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    assert.equal(await sorted.store.ingestSegment({ id: 'seg', path: file }), rows.length);
    const first = Number((await sorted.store.query('SELECT count(*) AS n FROM compacted_days'))[0]!.n);
    assert.ok(first >= 1, `ingest compacted ${first} days`);
    const more = first + await sorted.store.compactClosedDays();
    const lastDay = Math.floor(Math.max(...rows.map((r) => r.ts)) / 86_400_000);
    const firstDay = Math.floor(Math.min(...rows.map((r) => r.ts)) / 86_400_000);
    // Every day but the last (open: no event an hour past its end) is compacted, once.
    assert.equal(more, lastDay - firstDay);
    assert.equal(await sorted.store.compactClosedDays(), 0);

    assert.equal((await sorted.store.query('SELECT count(*) AS n FROM events'))[0]!.n, rows.length);
    // Within the first day, rows are stored by (site_id, visitor_id, ts).
    const dayEnd = (firstDay + 1) * 86_400_000;
    const misordered = await sorted.store.query(`SELECT count(*) AS n FROM (
      SELECT site_id, visitor_id, ts, lag(site_id) OVER w AS ps, lag(visitor_id) OVER w AS pv, lag(ts) OVER w AS pt
      FROM events WHERE ts < epoch_ms(${dayEnd}::BIGINT) WINDOW w AS (ORDER BY rowid))
      WHERE ps > site_id OR (ps = site_id AND (pv > visitor_id OR (pv = visitor_id AND pt > ts)))`);
    assert.equal(misordered[0]!.n, 0);
    assert.deepEqual(await answers(sorted.store, sites[0]!), await answers(plain.store, sites[1]!));
  } finally {
    for (const s of [sorted, plain]) {
      await s.store.close();
      fs.rmSync(s.dir, { recursive: true, force: true });
    }
  }
});

test('days without events are skipped, not compacted one empty day at a time', async () => {
  const { store, dir } = await openTempStore('footfall-compact-gap-');
  try {
    await store.addSite({ domain: 'a.example', timezone: 'UTC' });
    const rows: EventRow[] = [];
    for (const e of generateEvents({ seed: 7, events: 300, days: 1, endMs: END, sites: [{ id: 1, domain: 'a.example', timezone: 'UTC' }] })) {
      if (!e.hit.bot) rows.push(e.row);
    }
    const DAY = 86_400_000;
    // The same visits on three days with gaps of weeks between them: days 0, 20 and 40 before END.
    const spread = [40, 20, 0].flatMap((daysBack) => rows.map((r) => ({ ...r, ts: r.ts - daysBack * DAY })));
    await store.insertEvents(spread);
    const days = new Set(spread.map((r) => Math.floor(r.ts / DAY)));
    // Every day with events but the last (still open) is compacted, and no empty day is recorded.
    assert.equal(await store.compactClosedDays(), days.size - 1);
    const recorded = await store.query('SELECT count(*) AS n, min(rows) AS fewest FROM compacted_days');
    assert.equal(Number(recorded[0]!.n), days.size - 1);
    assert.ok(Number(recorded[0]!.fewest) > 0, 'no empty day was compacted');
    assert.equal(Number((await store.query('SELECT count(*) AS n FROM events'))[0]!.n), spread.length);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
