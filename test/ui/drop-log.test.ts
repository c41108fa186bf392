import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import type { Ingestor } from '../../src/ingest/ingestor.js';
import { IngestMetrics } from '../../src/ingest/ingest-metrics.js';
import { DropLog } from '../../src/server/routes/settings-drop-log.js';

test('the drop log turns since-start counters into per-day counts that survive a restart', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footfall-drops-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const clock = fixedClock(Date.UTC(2024, 2, 1, 23, 0));
  const metrics = new IngestMetrics();
  const ingestor = { metrics } as unknown as Ingestor;

  const log = new DropLog(dir, { ingestor, clock });
  metrics.drop('bot');
  metrics.drop('bot');
  log.sample();
  clock.advance(2 * 3600_000); // the next UTC day
  metrics.drop('bot');
  metrics.drop('spam');
  assert.deepEqual(log.list(), [
    { day: '2024-03-02', reasons: { bot: 1, spam: 1 } },
    { day: '2024-03-01', reasons: { bot: 2 } },
  ]);

  // A restart: counters start again from zero; the days are read back from the file.
  const restarted = new DropLog(dir, { ingestor: { metrics: new IngestMetrics() } as unknown as Ingestor, clock });
  assert.deepEqual(restarted.list().map((d) => d.day), ['2024-03-02', '2024-03-01']);
});
