/**
 * The acceptance dataset: generated traffic for three sites (Europe/Berlin and
 * America/New_York both change to summer time inside the window, plus a raw-mode UTC site),
 * two months ending 2024-04-05 and three weeks a year earlier (for year_over_year), loaded into
 * a real DuckDB file. Bots are left out, as the collector drops them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateEvents } from '../../../src/generate/generate-events.js';
import { DuckDbStore } from '../../../src/store/duckdb/duckdb-store.js';
import type { EventRow } from '../../../src/store/event-row.js';
import type { Goal } from '../../../src/store/metadata.js';
import type { Site } from '../../../src/store/site.js';
import type { Store } from '../../../src/store/store.js';

/** "Now" of the tests: 2024-04-05 12:00 UTC. */
export const NOW = Date.UTC(2024, 3, 5, 12);

export interface Dataset {
  store: Store;
  spoolDir?: string;
  sites: Site[];
  rows: EventRow[];
  goals: Map<number, Goal[]>;
  close(): Promise<void>;
}

export async function openTempStore(prefix = 'footfall-query-'): Promise<{ store: DuckDbStore; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const store = await DuckDbStore.open({ file: path.join(dir, 't.duckdb'), spoolDir: dir });
  await store.migrate();
  return { store, dir };
}

/** A migrated, empty store and how to dispose of it. */
export interface OpenedStore {
  store: Store;
  /** Where spool segments must be for this store to read them (DuckDB reads only its spool dir). */
  spoolDir?: string;
  cleanup(): Promise<void>;
}

export async function openDuckDb(): Promise<OpenedStore> {
  const { store, dir } = await openTempStore();
  return {
    store,
    spoolDir: dir,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function loadDataset(events = 40_000, open: () => Promise<OpenedStore> = openDuckDb): Promise<Dataset> {
  const { store, cleanup, spoolDir } = await open();
  const sites = [
    await store.addSite({ domain: 'site1.example', timezone: 'Europe/Berlin' }),
    await store.addSite({ domain: 'site2.example', timezone: 'America/New_York' }),
    await store.addSite({ domain: 'site3.example', timezone: 'UTC', raw: true }),
  ];
  const genSites = sites.map((s) => ({ id: s.id, domain: s.domain, timezone: s.timezone, raw: s.raw }));
  const rows: EventRow[] = [];
  const windows = [
    { seed: 7, events, days: 62, endMs: Date.UTC(2024, 3, 5) },
    { seed: 8, events: Math.round(events / 5), days: 20, endMs: Date.UTC(2023, 3, 5) },
  ];
  for (const w of windows) {
    for (const e of generateEvents({ ...w, sites: genSites })) if (!e.hit.bot) rows.push(e.row);
  }
  await store.insertEvents(rows);
  const s1 = sites[0]!.id;
  await store.addGoal(s1, { kind: 'event', match: 'Signup' });
  await store.addGoal(s1, { kind: 'page', match: '/blog/*' });
  await store.addGoal(s1, { kind: 'event', match: 'Download' });
  await store.addGoal(s1, { kind: 'page', match: '/thanks' });
  await store.addGoal(sites[1]!.id, { kind: 'event', match: 'Outbound Link: Click' });
  const goals = new Map<number, Goal[]>();
  for (const s of sites) goals.set(s.id, await store.listGoals(s.id));
  return { store, spoolDir, sites, rows, goals, close: cleanup };
}
