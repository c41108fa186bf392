/**
 * Issue 3, acceptance 1 on DuckDB (the embedded default): every query of QUERY_CASES answered by
 * the engine equals the plain TypeScript answer over the same generated events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadDataset, type Dataset } from './support/dataset.js';
import { acceptanceSuite } from './support/acceptance-suite.js';
import { QUERY_CASES } from './support/query-cases.js';
import { localOf } from './support/reference.js';

acceptanceSuite('duckdb', 40_000);

describe('generated dataset', () => {
  let data: Dataset;
  before(async () => { data = await loadDataset(40_000); });
  after(async () => data?.close());

  test('has what the acceptance queries need to be meaningful', () => {
    const berlin = data.sites[0]!;
    const sessions = new Map<string, { first: string; last: string }>();
    for (const r of data.rows) {
      if (r.site_id !== berlin.id || r.name === 'engagement') continue;
      const date = localOf(berlin.timezone, r.ts).date;
      const s = sessions.get(r.session_id);
      if (!s) sessions.set(r.session_id, { first: date, last: date });
      else s.last = date;
    }
    const overMidnight = [...sessions.values()].filter((s) => s.first !== s.last).length;
    assert.ok(overMidnight >= 5, `sessions over local midnight: ${overMidnight}`);
    assert.ok(data.rows.some((r) => r.props.includes('"plan"')), 'custom props');
    assert.ok(data.rows.some((r) => r.name === 'engagement'), 'engagement events');
    assert.ok(data.rows.some((r) => !r.interactive), 'non-interactive events');
    assert.ok(QUERY_CASES.length >= 40, `${QUERY_CASES.length} queries`);
  });
});
