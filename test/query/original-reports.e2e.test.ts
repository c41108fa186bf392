/**
 * Issue 3, acceptance 2: `footfall report visitor-paths` and `hour-buckets` on hits sent through
 * the classic /a.gif give what the original app's queries give on the same hits: per IP, the
 * page paths in time order (GROUP_CONCAT), most pages first; page views per 4-hour bucket of
 * the hour, busiest first. The real `footfall serve` runs; the CLI goes through it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sendGif, startServer, waitForCount, type RunningServer } from '../helpers/server.js';

let server: RunningServer;
before(async () => {
  server = await startServer({ env: { FOOTFALL_TRUST_PROXY: 'true' } });
  const added = await server.cli(['site', 'add', 'example.com', '--raw']);
  assert.equal(added.code, 0, added.stderr);
});
after(async () => {
  await server?.stop();
});

// Three people browsing, interleaved, as (ip, path) in the order they arrive.
const HITS: Array<[string, string]> = [
  ['203.0.113.7', '/'], ['198.51.100.20', '/blog/'], ['203.0.113.7', '/blog/peewee-was-baroque/'],
  ['192.0.2.55', '/about/'], ['203.0.113.7', '/blog/'], ['198.51.100.20', '/blog/flask-blueprints/'],
  ['203.0.113.7', '/blog/search/'], ['198.51.100.20', '/'], ['203.0.113.7', '/blog/'],
];

test('visitor-paths and hour-buckets match the original queries on the same /a.gif hits', async () => {
  const sent: Array<{ ip: string; path: string; before: number; after: number }> = [];
  for (const [ip, path] of HITS) {
    const before = Date.now();
    const res = await sendGif(server.url, { url: `https://example.com${path}`, t: `Title of ${path}`, ref: '' }, undefined, { 'x-forwarded-for': ip });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-footfall-dropped'), null);
    sent.push({ ip, path, before, after: Date.now() });
    // Distinct arrival milliseconds keep "time order" unambiguous, as in the original's table.
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(await waitForCount(server, 'select count(*) from events', HITS.length), HITS.length);

  // The original: GROUP_CONCAT(url) per IP over rows ordered by timestamp, ORDER BY count(url) DESC.
  const byIp = new Map<string, string[]>();
  for (const h of sent) byIp.set(h.ip, [...(byIp.get(h.ip) ?? []), h.path]);
  const expectedPaths = [...byIp].map(([ip, paths]) => [ip, paths.length, paths]).sort((a, b) => (b[1] as number) - (a[1] as number));
  const paths = await server.cli(['report', 'visitor-paths', '--site', 'example.com', '--range', 'day', '--format', 'json']);
  assert.equal(paths.code, 0, paths.stderr);
  assert.deepEqual((JSON.parse(paths.stdout) as { rows: unknown[] }).rows, expectedPaths);

  // The original: date_part('hour', timestamp) / 4, count per bucket, ORDER BY count DESC (site in UTC).
  const bucketOf = (ms: number) => Math.floor(new Date(ms).getUTCHours() / 4);
  const buckets = await server.cli(['report', 'hour-buckets', '--site', 'example.com', '--range', 'day', '--format', 'json']);
  assert.equal(buckets.code, 0, buckets.stderr);
  const rows = (JSON.parse(buckets.stdout) as { rows: Array<[number, string, number]> }).rows;
  if (sent.every((h) => bucketOf(h.before) === bucketOf(h.after)) && bucketOf(sent[0]!.before) === bucketOf(sent.at(-1)!.after)) {
    const b = bucketOf(sent[0]!.before);
    assert.deepEqual(rows, [[b, `${String(b * 4).padStart(2, '0')}:00-${String(b * 4 + 4).padStart(2, '0')}:00`, HITS.length]]);
  } else {
    // The run straddled a bucket boundary: every hit is still counted exactly once.
    assert.equal(rows.reduce((n, r) => n + r[2], 0), HITS.length);
  }

  // And the other four reports on the same hits.
  const json = async (name: string, ...extra: string[]) => {
    const r = await server.cli(['report', name, '--site', 'example.com', '--range', 'day', '--format', 'json', ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { rows: unknown[][] }).rows;
  };
  assert.deepEqual(await json('pageviews'), [[HITS.length]]);
  assert.deepEqual(await json('unique-visitors'), [[3]]);
  assert.deepEqual(await json('top-pages', '--by', 'path', '--limit', '2'), [['/blog/', 3], ['/', 2]]);
  const agents = await json('top-user-agents');
  assert.equal(agents.length, 1);
  assert.match(String(agents[0]![0]), /^Mozilla\/5\.0/);
  assert.equal(agents[0]![1], HITS.length);
});
