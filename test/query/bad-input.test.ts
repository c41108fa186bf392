/** Bad queries give AppError('invalid_query') with a message naming the bad field; nothing runs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { AppError } from '../../src/errors.js';
import { parseQuery } from '../../src/query/parse-query.js';
import { runQuery } from '../../src/query/run-query.js';
import type { Store } from '../../src/store/store.js';

const base = { site_id: 'site1.example', metrics: ['visitors'], date_range: '7d' };

const CASES: Array<[string, Record<string, unknown>, string]> = [
  ['not an object', [] as unknown as Record<string, unknown>, ''],
  ['unknown top-level field', { ...base, metric: ['visitors'] }, 'metric'],
  ['missing site_id', { ...base, site_id: undefined }, 'site_id'],
  ['site_id not a string', { ...base, site_id: 42 }, 'site_id'],
  ['missing metrics', { ...base, metrics: undefined }, 'metrics'],
  ['empty metrics', { ...base, metrics: [] }, 'metrics'],
  ['unknown metric', { ...base, metrics: ['visitors', 'sessions'] }, 'metrics[1]'],
  ['duplicate metric', { ...base, metrics: ['visitors', 'visitors'] }, 'metrics[1]'],
  ['conversion_rate without goals', { ...base, metrics: ['conversion_rate'] }, 'metrics'],
  ['missing date_range', { ...base, date_range: undefined }, 'date_range'],
  ['unknown relative range', { ...base, date_range: 'yesterday' }, 'date_range'],
  ['zero days', { ...base, date_range: '0d' }, 'date_range'],
  ['bad date', { ...base, date_range: ['2024-02-01', '2024-02-30'] }, 'date_range[1]'],
  ['not a date', { ...base, date_range: ['2024-2-1', '2024-02-03'] }, 'date_range[0]'],
  ['end before start', { ...base, date_range: ['2024-03-10', '2024-03-01'] }, 'date_range'],
  ['one date only', { ...base, date_range: ['2024-03-10'] }, 'date_range'],
  ['unknown dimension', { ...base, dimensions: ['event:url'] }, 'dimensions[0]'],
  ['dimension not a string', { ...base, dimensions: [7] }, 'dimensions[0]'],
  ['duplicate dimension', { ...base, dimensions: ['event:page', 'event:page'] }, 'dimensions[1]'],
  ['two time dimensions', { ...base, dimensions: ['time:day', 'time:hour'] }, 'dimensions'],
  ['empty props key', { ...base, dimensions: ['event:props:'] }, 'dimensions[0]'],
  ['filters not an array', { ...base, filters: { is: 1 } }, 'filters'],
  ['unknown operator', { ...base, filters: [['equals', 'event:page', ['/']]] }, 'filters[0][0]'],
  ['unknown filter dimension', { ...base, filters: [['is', 'event:pages', ['/']]] }, 'filters[0][1]'],
  ['filter on a time dimension', { ...base, filters: [['is', 'time:day', ['2024-03-01']]] }, 'filters[0][1]'],
  ['filter values not an array', { ...base, filters: [['is', 'event:page', '/']] }, 'filters[0][2]'],
  ['empty filter values', { ...base, filters: [['is', 'event:page', []]] }, 'filters[0][2]'],
  ['filter value not a string', { ...base, filters: [['is', 'event:page', ['/', 3]]] }, 'filters[0][2][1]'],
  ['unknown modifier', { ...base, filters: [['is', 'event:page', ['/'], { ignore_case: true }]] }, 'filters[0][3].ignore_case'],
  ['case_sensitive not boolean', { ...base, filters: [['is', 'event:page', ['/'], { case_sensitive: 'no' }]] }, 'filters[0][3].case_sensitive'],
  ['regex that does not compile', { ...base, filters: [['matches', 'event:page', ['/blog/(']]] }, 'filters[0][2][0]'],
  ['regex with look-ahead', { ...base, filters: [['matches_not', 'event:page', ['^/(?!blog)']]] }, 'filters[0][2][0]'],
  ['nested bad filter', { ...base, filters: [['and', [['is', 'event:page', ['/']], ['or', [['contains', 'visit:nope', ['x']]]]]]] }, 'filters[0][1][1][1][0][1]'],
  ['empty and', { ...base, filters: [['and', []]] }, 'filters[0]'],
  ['not with two filters', { ...base, filters: [['not', ['is', 'event:page', ['/']], ['is', 'event:page', ['/a']]]] }, 'filters[0]'],
  ['limit 0', { ...base, pagination: { limit: 0 } }, 'pagination.limit'],
  ['limit over 10000', { ...base, pagination: { limit: 10_001 } }, 'pagination.limit'],
  ['negative offset', { ...base, pagination: { offset: -1 } }, 'pagination.offset'],
  ['fractional limit', { ...base, pagination: { limit: 2.5 } }, 'pagination.limit'],
  ['unknown pagination field', { ...base, pagination: { page: 2 } }, 'pagination.page'],
  ['order by something not queried', { ...base, order_by: [['pageviews', 'desc']] }, 'order_by[0][0]'],
  ['order direction', { ...base, order_by: [['visitors', 'down']] }, 'order_by[0][1]'],
  ['time_labels without a time dimension', { ...base, include: { time_labels: true } }, 'include.time_labels'],
  ['total_rows not boolean', { ...base, include: { total_rows: 'yes' } }, 'include.total_rows'],
  ['unknown comparison mode', { ...base, include: { comparisons: { mode: 'last_year' } } }, 'include.comparisons.mode'],
  ['unknown include field', { ...base, include: { imports: true } }, 'include.imports'],
];

describe('bad queries', () => {
  for (const [name, body, field] of CASES) {
    test(name, () => {
      assert.throws(() => parseQuery(body), (err: unknown) => {
        assert.ok(err instanceof AppError, String(err));
        assert.equal(err.code, 'invalid_query');
        assert.equal(err.details?.field, field);
        if (field) assert.ok(err.message.startsWith(`${field}: `), err.message);
        return true;
      });
    });
  }

  test('time:hour over more than 366 days is refused before any SQL runs', async () => {
    const store = { dialect: 'duckdb', query: () => { throw new Error('no SQL expected'); } } as unknown as Store;
    const query = parseQuery({ ...base, dimensions: ['time:hour'], date_range: ['2022-01-01', '2024-01-01'] });
    const site = { id: 1, domain: 'site1.example', timezone: 'UTC', raw: false, saltRotationHours: 24, createdAt: 0 };
    await assert.rejects(runQuery({ store, clock: fixedClock(Date.UTC(2024, 0, 2)) }, query, site), (err: unknown) => {
      assert.ok(err instanceof AppError && err.code === 'invalid_query' && err.message.startsWith('dimensions: '), String(err));
      return true;
    });
  });

  test('a valid query parses to the typed model', () => {
    const q = parseQuery({
      ...base, dimensions: ['visit:source', 'event:props:plan', 'time:day'],
      filters: [['contains', 'event:page', ['blog'], { case_sensitive: false }], ['not', ['is', 'visit:country', ['US']]]],
      order_by: [['visit:source', 'asc']], include: { comparisons: { mode: 'year_over_year' }, total_rows: true }, pagination: { limit: 5, offset: 10 },
    });
    assert.deepEqual(q.dimensions.map((d) => d.kind), ['visit', 'prop', 'time']);
    assert.equal(q.filter?.op, 'and');
    assert.deepEqual(q.orderBy, [{ key: { type: 'dimension', index: 0 }, direction: 'asc' }]);
    assert.deepEqual(q.include, { timeLabels: false, totalRows: true, comparison: 'year_over_year' });
    assert.deepEqual(q.pagination, { limit: 5, offset: 10 });
  });
});
