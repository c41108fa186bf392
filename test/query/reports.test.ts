/**
 * `footfall report`, the CLI front end of the six reports (their answers are checked against
 * plain TypeScript on every store by support/acceptance-suite.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { runCommand } from '../../src/cli/run-command.js';
import { loadDataset, NOW, type Dataset } from './support/dataset.js';
import { refReport } from './support/reference-reports.js';

let data: Dataset;
before(async () => { data = await loadDataset(20_000); });
after(async () => data?.close());

describe('footfall report', () => {
  const ctx = () => {
    const out = { stdout: '', stderr: '' };
    return { out, ctx: { store: data.store, clock: fixedClock(NOW), stdout: (t: string) => { out.stdout += t; }, stderr: (t: string) => { out.stderr += t; } } };
  };

  test('prints json, csv and a table', async () => {
    const a = ctx();
    assert.equal(await runCommand('report', ['top-pages', '--site', 'site1.example', '--range', '2024-03-01,2024-03-31', '--by', 'path', '--format', 'json', '--limit', '3'], a.ctx), 0, a.out.stderr);
    const json = JSON.parse(a.out.stdout) as { columns: string[]; rows: unknown[][] };
    assert.deepEqual(json.columns, ['path', 'pageviews']);
    assert.deepEqual(json.rows, refReport(data.rows, data.sites[0]!, 'top-pages', ['2024-03-01', '2024-03-31'], { by: 'path', limit: 3 }));

    const b = ctx();
    assert.equal(await runCommand('report', ['visitor-paths', '--site', 'site1.example', '--range', '7d', '--format', 'csv', '--limit', '2'], b.ctx), 0, b.out.stderr);
    const lines = b.out.stdout.trim().split('\n');
    assert.equal(lines[0], 'visitor,pages,paths');
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, /^-?\d+,\d+,\/.* > /);

    const c = ctx();
    assert.equal(await runCommand('report', ['hour-buckets', '--site', 'site1.example', '--bucket-hours', '6'], c.ctx), 0, c.out.stderr);
    assert.match(c.out.stdout, /^hour-buckets for site1\.example, 2024-03-30 to 2024-04-05 \(Europe\/Berlin\)\nbucket +hours +pageviews/);
  });

  test('rejects bad input naming the option', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['nope', '--site', 'site1.example'], /unknown report "nope"/],
      [['pageviews'], /--site <domain> is required/],
      [['pageviews', '--site', 'unknown.example'], /no site unknown\.example/],
      [['top-pages', '--site', 'site1.example', '--by', 'url'], /--by: expected "title" or "path"/],
      [['hour-buckets', '--site', 'site1.example', '--bucket-hours', '0'], /--bucket-hours: expected an integer from 1 to 24/],
      [['pageviews', '--site', 'site1.example', '--range', '2024-04-02,2024-04-01'], /--range: the end date .* is before the start date/],
      [['pageviews', '--site', 'site1.example', '--format', 'xml'], /--format must be table, json or csv/],
    ];
    for (const [argv, message] of cases) {
      const r = ctx();
      const code = await runCommand('report', argv, r.ctx);
      assert.notEqual(code, 0, argv.join(' '));
      assert.match(r.out.stderr, message);
    }
  });
});
