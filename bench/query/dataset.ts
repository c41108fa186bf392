/** The generated data set the query bench runs on, and how it is described between processes. */
import { defaultSites, type GeneratorSite } from '../../src/generate/generate-events.js';
import type { NewGoal } from '../../src/store/metadata.js';
import type { Store } from '../../src/store/store.js';

/** Goals the queried site is given, so that the goals panel has real conversions to compute. */
export const GOALS: readonly NewGoal[] = [
  { kind: 'event', match: 'Signup' },
  { kind: 'event', match: 'Download' },
  { kind: 'event', match: 'Outbound Link: Click' },
  { kind: 'page', match: '/pricing' },
  { kind: 'page', match: '/blog/*' },
];

export interface DatasetSpec {
  /** Events to generate (bots included; the collector would drop those, so they are not loaded). */
  events: number;
  sites: number;
  days: number;
  seed: number;
  /** End of the traffic window, ms since epoch UTC: fixed so that runs are comparable. */
  endMs: number;
}

/** How events get into DuckDB: spool-like NDJSON segments read by DuckDB, or the row appender. */
export type LoadMode = 'segments' | 'appender';

export interface LoadInput {
  dataset: DatasetSpec;
  /** DuckDB file to create. */
  file: string;
  /** Directory for the NDJSON segments (DuckDB may read files only from here). */
  spoolDir: string;
  mode: LoadMode;
  /** Rows per segment or per appender batch. */
  batchRows: number;
  /**
   * Finish the re-sorting of closed days a server does over a month (day-compaction.ts) after
   * the load. Full runs do (the storage figure is a server's steady state); quick runs leave
   * the days the load itself reached unsorted, to stay under a minute.
   */
  compactDays: boolean;
}

export interface LoadOutput {
  generated: number;
  /** Rows in the events table after loading. */
  stored: number;
  bots: number;
  /** Rows of the largest site (site 1), the one the dashboard queries. */
  siteEvents: number;
  siteDomain: string;
  /** Local dates (site time zone) of the first and last event of the largest site. */
  firstDay: string;
  lastDay: string;
  loadSec: number;
  /** DuckDB file size after CHECKPOINT and close, bytes. */
  fileBytes: number;
  /** Blocks in use (PRAGMA database_size) times the block size: the file minus free blocks, bytes. */
  usedBytes: number;
}

/**
 * The sites of a data set, as the generator and the store both see them. None is in raw
 * mode: that opt-in keeps IP and request headers per event, which would make the storage
 * figure about headers rather than about events.
 */
export function datasetSites(spec: Pick<DatasetSpec, 'sites'>): GeneratorSite[] {
  return defaultSites(spec.sites).map((site) => ({ ...site, raw: false }));
}

/** 2026-05-01T00:00Z: a fixed window end, so a seed always means the same rows. */
export const DEFAULT_END_MS = Date.UTC(2026, 4, 1);

/**
 * Registers the generator's sites in a fresh store (ids must come out as the generator numbers
 * them) and the dashboard's goals on the largest site; returns the sites.
 */
export async function addDatasetSites(store: Store, spec: Pick<DatasetSpec, 'sites'>): Promise<GeneratorSite[]> {
  const sites = datasetSites(spec);
  for (const site of sites) {
    const added = await store.addSite({ domain: site.domain, timezone: site.timezone, raw: site.raw });
    if (added.id !== site.id) throw new Error(`site ${site.domain} got id ${added.id}, the generator uses ${site.id}`);
  }
  for (const goal of GOALS) await store.addGoal(sites[0]!.id, goal);
  return sites;
}
