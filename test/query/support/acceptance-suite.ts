/**
 * The acceptance suite, runnable on any store: the engine's answers (SQL through the store's
 * dialect) equal answers computed in plain TypeScript (reference.ts) from the same generated
 * events, for every query in QUERY_CASES and every report in REPORT_CASES; and an export holds
 * exactly the events of its range.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../../src/clock.js';
import { exportEvents } from '../../../src/query/export.js';
import { parseQuery } from '../../../src/query/parse-query.js';
import { parseReportOptions, runReport } from '../../../src/query/reports.js';
import { runQuery } from '../../../src/query/run-query.js';
import { resolveSiteRange } from '../../../src/query/site-range.js';
import { loadDataset, NOW, type Dataset, type OpenedStore } from './dataset.js';
import { QUERY_CASES } from './query-cases.js';
import { REPORT_CASES } from './report-cases.js';
import { localOf, refQuery } from './reference.js';
import { refReport } from './reference-reports.js';

/** What later tests in the same file can use: the loaded dataset, or why the store was skipped. */
export interface SuiteHandle {
  dataset(): Dataset | undefined;
  skipped(): string | undefined;
}

/** Defines the suite; `open` returns a store, or a reason to skip. */
export function acceptanceSuite(label: string, events: number, open?: () => Promise<OpenedStore | string>): SuiteHandle {
  let data: Dataset | undefined;
  let skipped: string | undefined;

  before(async () => {
    if (!open) {
      data = await loadDataset(events);
      return;
    }
    const opened = await open();
    if (typeof opened === 'string') {
      if (process.env.FOOTFALL_TEST_REQUIRE_ALL === '1') throw new Error(`FOOTFALL_TEST_REQUIRE_ALL=1 but ${opened}`);
      skipped = opened;
      return;
    }
    data = await loadDataset(events, async () => opened);
  });
  after(async () => data?.close());

  describe(`${label}: engine answers equal the plain TypeScript reference`, () => {
    for (const c of QUERY_CASES) {
      test(c.name, async (t) => {
        if (skipped || !data) {
          t.skip(skipped ?? 'no store');
          return;
        }
        const site = data.sites.find((s) => s.domain === c.site)!;
        const body = { site_id: c.site, ...c.body };
        const actual = await runQuery({ store: data.store, clock: fixedClock(NOW) }, parseQuery(body), site);
        const expected = refQuery(data.rows, site, data.goals.get(site.id) ?? [], body, NOW);
        assert.ok(expected.results.length >= Math.min(c.minRows, events < 40_000 ? 1 : c.minRows), `reference has ${expected.results.length} rows`);
        assert.deepEqual(actual.results, expected.results);
        assert.deepEqual(actual.meta.date_range, expected.meta.date_range);
        if (expected.meta.time_labels) assert.deepEqual(actual.meta.time_labels, expected.meta.time_labels);
        if (expected.meta.total_rows !== undefined) assert.equal(actual.meta.total_rows, expected.meta.total_rows);
        if (expected.meta.comparison_date_range) assert.deepEqual(actual.meta.comparison_date_range, expected.meta.comparison_date_range);
      });
    }
  });

  describe(`${label}: reports equal the plain TypeScript reference`, () => {
    const names = { range: 'range', by: 'by', bucketHours: 'bucketHours', limit: 'limit' };
    for (const c of REPORT_CASES) {
      test(`${c.name} on site${c.site + 1} ${JSON.stringify({ by: c.by, bucketHours: c.bucketHours, limit: c.limit })}`, async (t) => {
        if (skipped || !data) {
          t.skip(skipped ?? 'no store');
          return;
        }
        const site = data.sites[c.site]!;
        const options = parseReportOptions({ range: c.range, by: c.by, bucketHours: c.bucketHours, limit: c.limit }, names);
        const actual = await runReport({ store: data.store, clock: fixedClock(NOW) }, site, c.name, options);
        const expected = refReport(data.rows, site, c.name, c.range, c);
        assert.ok(expected.length >= Math.min(c.minRows, events < 20_000 ? 1 : c.minRows), `reference rows ${expected.length}`);
        assert.deepEqual(actual.rows, expected);
        assert.deepEqual(actual.date_range, c.range);
      });
    }
  });

  describe(`${label}: export`, () => {
    for (const [siteIndex, format] of [[0, 'ndjson'], [2, 'csv']] as const) {
      test(`${format} holds exactly the events of the range`, async (t) => {
        if (skipped || !data) {
          t.skip(skipped ?? 'no store');
          return;
        }
        const site = data.sites[siteIndex]!;
        const range = await resolveSiteRange(data.store, fixedClock(NOW), site, ['2024-03-30', '2024-03-31']);
        let text = '';
        for await (const chunk of exportEvents({ store: data.store, clock: fixedClock(NOW) }, site, range, format)) text += chunk;
        const lines = text.trim().split('\n');
        const expected = data.rows.filter((r) => {
          const date = localOf(site.timezone, r.ts).date;
          return r.site_id === site.id && date >= '2024-03-30' && date <= '2024-03-31';
        });
        const key = (ts: string, session: string, name: string) => `${ts}|${session}|${name}`;
        const want = expected.map((r) => key(new Date(r.ts).toISOString(), r.session_id, r.name)).sort();
        if (format === 'ndjson') {
          const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
          assert.ok(parsed.every((p) => !('ip' in p) && !('headers' in p)));
          assert.deepEqual(parsed.map((p) => key(String(p.ts), String(p.session_id), String(p.name))).sort(), want);
          const withProps = expected.find((r) => r.props !== '{}')!;
          const line = parsed.find((p) => p.session_id === withProps.session_id && p.name === withProps.name && p.ts === new Date(withProps.ts).toISOString())!;
          assert.equal(line.props, withProps.props);
          assert.equal(line.visitor_id, withProps.visitor_id);
          assert.equal(line.interactive, withProps.interactive);
        } else {
          const header = lines[0]!.split(',');
          assert.ok(header.includes('ip') && header.includes('headers'));
          const [tsAt, sessionAt, nameAt] = ['ts', 'session_id', 'name'].map((c) => header.indexOf(c));
          const records = lines.slice(1).map(parseCsvRecord);
          assert.ok(records.every((f) => f.length === header.length));
          assert.deepEqual(records.map((f) => key(f[tsAt!]!, f[sessionAt!]!, f[nameAt!]!)).sort(), want);
          const headersAt = header.indexOf('headers');
          assert.ok(records.every((f) => (JSON.parse(f[headersAt]!) as Record<string, string>)['user-agent']?.startsWith('Mozilla/5.0')));
        }
      });
    }
  });
  return { dataset: () => data, skipped: () => skipped };
}

/** One RFC 4180 record (no embedded newlines in these rows). */
function parseCsvRecord(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (line[q + 1] === '"') {
          value += line.slice(i, q + 1);
          i = q + 2;
        } else {
          value += line.slice(i, q);
          i = q + 1;
          break;
        }
      }
      out.push(value);
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}
