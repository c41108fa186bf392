/**
 * The store conformance suite (issue 6): every store runs the same generated dataset through
 * every acceptance query, every report and the export (answers must equal the plain
 * TypeScript reference, hence be identical across stores), plus site deletion and the
 * ingest contract (a spool segment is stored exactly once; a line cut short by a crash is
 * skipped). A store whose server is missing is skipped with the reason printed, or fails
 * under FOOTFALL_TEST_REQUIRE_ALL=1.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { countEvents } from '../../src/store/copy-store.js';
import { acceptanceSuite } from '../query/support/acceptance-suite.js';
import type { OpenedStore } from '../query/support/dataset.js';
import { eventRow, writeSegment } from './adapter-checks.js';

/** Events in the conformance dataset: the same on every store, so answers are comparable. */
export const CONFORMANCE_EVENTS = 12_000;

export function conformanceSuite(label: string, open: () => Promise<OpenedStore | string>): void {
  const suite = acceptanceSuite(label, CONFORMANCE_EVENTS, open);

  // Runs on the dataset's store (chdb allows one data directory per process), on sites of its own.
  describe(`${label}: ingest contract and site deletion`, () => {
    test('a segment is stored exactly once, a torn last line is skipped, removing a site removes its events', async (t) => {
      const data = suite.dataset();
      if (!data) {
        t.skip(suite.skipped() ?? 'no store');
        return;
      }
      const { store } = data;
      const kept = await store.addSite({ domain: 'kept.example' });
      const gone = await store.addSite({ domain: 'gone.example' });
      const rows = [
        ...Array.from({ length: 30 }, (_, i) => eventRow({ site_id: kept.id, ts: Date.UTC(2024, 0, 1, 0, i), pathname: `/k${i}` })),
        ...Array.from({ length: 20 }, (_, i) => eventRow({ site_id: gone.id, ts: Date.UTC(2024, 0, 1, 1, i), pathname: `/g${i}` })),
      ];
      const torn = '{"site_id":1,"ts":17';
      const file = writeSegment(rows, torn);
      const segmentPath = data.spoolDir ? path.join(data.spoolDir, `${randomUUID()}.ndjson`) : file;
      if (data.spoolDir) fs.copyFileSync(file, segmentPath);
      const segment = { id: `conformance-${randomUUID()}`, path: segmentPath };
      assert.equal(await store.hasSegment(segment.id), false);
      assert.equal(await store.ingestSegment(segment), 50);
      assert.equal(await store.ingestSegment(segment), 0, 'a replayed segment adds nothing');
      assert.equal(await store.hasSegment(segment.id), true);
      assert.equal(await countEvents(store, kept.id), 30);
      assert.equal(await countEvents(store, gone.id), 20);
      await store.removeSite('gone.example');
      assert.equal(await countEvents(store, gone.id), 0);
      assert.equal(await countEvents(store, kept.id), 30);
      assert.ok((await store.listSites()).every((s) => s.domain !== 'gone.example'));
      await store.removeSite('kept.example');
    });
  });
}
