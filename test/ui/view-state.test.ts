import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiFilters, dateRangeOf, intervalOf, parseView, serializeView, withFilter, withoutFilter } from '../../src/ui/view-state.js';

test('the view round-trips through the URL, including values with separators and markup', () => {
  let view = parseView('');
  assert.equal(view.period, '30d');
  assert.equal(serializeView(view), '', 'defaults stay out of the URL');
  view = withFilter(view, { op: 'is', dim: 'event:page', value: '/a|b?c=<img src=x>' });
  view = withFilter(view, { op: 'is', dim: 'visit:source', value: '' });
  view = { ...view, period: 'custom', from: '2024-03-01', to: '2024-03-31', metric: 'pageviews', interval: 'week', tabs: { pages: 'entry' }, compare: 'off', prop: 'plan' };
  const again = parseView(serializeView(view));
  assert.deepEqual(again, view);
  assert.deepEqual(dateRangeOf(again), ['2024-03-01', '2024-03-31']);
  assert.deepEqual(apiFilters(again), [['is', 'event:page', ['/a|b?c=<img src=x>']], ['is', 'visit:source', ['']]]);
});

test('a row click replaces a filter on the same dimension; chips remove one filter', () => {
  let view = withFilter(parseView(''), { op: 'is', dim: 'event:page', value: '/a' });
  view = withFilter(view, { op: 'is', dim: 'event:page', value: '/b' });
  assert.deepEqual(view.filters, [{ op: 'is', dim: 'event:page', value: '/b' }]);
  assert.deepEqual(withoutFilter(view, 0).filters, []);
});

test('junk in the URL falls back to defaults instead of reaching the API', () => {
  const view = parseView('?period=forever&f=drop|event:page|x&f=is|sql:injection|x&f=broken&metric=evil&interval=century&period=custom');
  assert.equal(view.period, '30d');
  assert.deepEqual(view.filters, []);
  assert.equal(view.metric, 'visitors');
  assert.equal(view.interval, '');
  assert.equal(parseView('?period=custom&from=2024-01-01').period, '30d', 'custom needs both dates');
});

test('default intervals follow the period', () => {
  assert.equal(intervalOf(parseView('?period=day')), 'hour');
  assert.equal(intervalOf(parseView('')), 'day');
  assert.equal(intervalOf(parseView('?period=12mo')), 'month');
  assert.equal(intervalOf(parseView('?period=12mo&interval=hour')), 'month', 'hours over a year are not offered');
});
