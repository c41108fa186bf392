/**
 * The spool on a disk that fills up mid-line (issue 7). A line the kernel took only in part
 * (a short write, then ENOSPC or EFBIG) must not be acknowledged and must not poison the
 * segment: the next acknowledged line has to start clean, so that after space is freed every
 * acknowledged event is read back and stored. Also: a segment whose last line was cut short
 * (a cut that failed, or an old crash) is replayed with all its whole lines.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Spool } from '../../src/ingest/spool.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { tempDataDir } from '../helpers/server.js';
import { eventRow } from '../store/adapter-checks.js';
import { skipOrFail } from './support/require.js';
import { makeSmallDisk } from './support/small-disk.js';

/** Lines of ~3 KB, so that a line regularly straddles the last free bytes of a 4 KB page. */
const row = (n: number) => eventRow({ pathname: `/full/${n}`, title: `t${'x'.repeat(3000)}` });

async function storeSegments(spoolDir: string, segments: Array<{ id: string; path: string }>): Promise<Set<string>> {
  const dir = tempDataDir('footfall-spool-store-');
  const store = await DuckDbStore.open({ file: path.join(dir, 'footfall.duckdb'), spoolDir });
  try {
    await store.migrate();
    await store.addSite({ domain: 'example.com', timezone: 'UTC', raw: false, saltRotationHours: 24 });
    const siteId = (await store.getSite('example.com'))!.id;
    for (const segment of segments) {
      fs.writeFileSync(segment.path, fs.readFileSync(segment.path, 'utf8').replaceAll('"site_id":1,', `"site_id":${siteId},`));
      await store.ingestSegment(segment);
    }
    return new Set((await store.query('SELECT pathname FROM events')).map((r) => String(r.pathname)));
  } finally {
    await store.close();
  }
}

test('a spool write cut short by a full disk is not acknowledged and does not poison the segment', { timeout: 30_000 }, async (t) => {
  const disk = makeSmallDisk(1);
  if (typeof disk === 'string') return skipOrFail(t, disk);
  t.after(() => disk.dispose());
  t.diagnostic(`disk: ${disk.why}`);
  const spool = new Spool(path.join(disk.dir, 'spool'));
  const acknowledged: string[] = [];
  let n = 0;
  const appendUntilFull = (limit: number) => {
    for (let i = 0; i < limit; i++) {
      const r = row(n++);
      try {
        spool.append(r);
        acknowledged.push(r.pathname);
      } catch (err) {
        return (err as { code?: string }).code;
      }
    }
    return undefined;
  };
  assert.equal(appendUntilFull(20), undefined, 'the first lines fit');
  // The filler takes every free block; the segment's own last page keeps its free bytes, so the
  // next lines fill it and one is cut short there.
  disk.fill(process.pid);
  // tmpfs hands out 4 KB pages: the bytes left in the segment's last one take the start of a
  // line, and the write fails after that part. (A limit on file size fails the write whole.)
  const size = fs.statSync(path.join(spool.dir, fs.readdirSync(spool.dir)[0]!)).size;
  const pageRoom = (4096 - (size % 4096)) % 4096;
  if (disk.mechanism === 'tmpfs') assert.ok(pageRoom > 0, 'the failing write is a partial one');
  let failure: string | undefined;
  try {
    failure = appendUntilFull(50);
  } finally {
    disk.free(process.pid);
  }
  assert.match(String(failure), /^(ENOSPC|EFBIG)$/, 'a write failed with the disk full');
  const failedAfter = acknowledged.length;
  assert.equal(appendUntilFull(10), undefined, 'writes work again once space is freed');

  const segment = spool.rotate()!;
  const text = fs.readFileSync(segment.path, 'utf8');
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'the segment ends with a whole line');
  assert.equal(lines.length, acknowledged.length, 'one line per acknowledged event, nothing else');
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as { pathname: string }).pathname), acknowledged);
  assert.equal(segment.events, acknowledged.length);
  t.diagnostic(`${failedAfter} lines before the write failed (${failure})${disk.mechanism === 'tmpfs' ? ` with ${pageRoom} bytes of it written and cut off again` : ''}, ${acknowledged.length - failedAfter} after space was freed`);

  const stored = await storeSegments(spool.dir, [segment]);
  assert.deepEqual([...stored].sort(), [...acknowledged].sort(), 'every acknowledged event is stored');
});

test('a segment whose last line was cut short is replayed with all its whole lines (DuckDB)', async () => {
  const spoolDir = path.join(tempDataDir('footfall-spool-cut-'), 'spool');
  fs.mkdirSync(spoolDir);
  const whole = [0, 1, 2].map((i) => JSON.stringify(eventRow({ pathname: `/cut/${i}` })));
  const file = path.join(spoolDir, 'cut.ndjson');
  fs.writeFileSync(file, `${whole.join('\n')}\n${JSON.stringify(eventRow({ pathname: '/cut/3' })).slice(0, 57)}`);
  const stored = await storeSegments(spoolDir, [{ id: 'cut', path: file }]);
  assert.deepEqual([...stored].sort(), ['/cut/0', '/cut/1', '/cut/2']);
});
