/**
 * The deterministic event generator: the same options give the same events on every machine.
 * Visits arrive per site as a Poisson process following a daily and weekly rhythm in the
 * site's time zone; their events are merged through a heap, so events come out in time order
 * while only the visits in progress are held in memory (constant memory for any count).
 */
import { MS } from '../query/time-zone.js';
import { SITE_TIME_ZONES } from './catalog.js';
import { EventHeap } from './event-heap.js';
import { Prng } from './prng.js';
import { SiteModel, type GeneratorSite } from './site-model.js';
import { VisitFactory, type GeneratedEvent } from './visit.js';

export type { GeneratorSite } from './site-model.js';
export type { GeneratedEvent, GeneratedHit } from './visit.js';

export interface GenerateOptions {
  seed: number;
  /** Number of events to yield, bots and engagement events included. */
  events: number;
  sites: readonly GeneratorSite[];
  /** Length of the traffic window in days, ending at `endMs`. */
  days: number;
  /** End of the window (exclusive), ms since epoch UTC. */
  endMs: number;
  /** Share of visits made by crawlers (default 0.03). */
  botShare?: number;
}

/** Sites site1.example ... siteN.example with rotating time zones; every third is raw. */
export function defaultSites(count: number, firstId = 1): GeneratorSite[] {
  return Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    domain: `site${i + 1}.example`,
    timezone: SITE_TIME_ZONES[i % SITE_TIME_ZONES.length]!,
    raw: i % 3 === 2,
  }));
}

/**
 * Keeps the count on course to end near the window's end: the expected share of visits so far
 * predicts the final count, and the rates move (gently) toward the target. Deterministic: it
 * only reads generator state.
 */
function steer(models: SiteModel[], weights: number[], now: number, generated: number, target: number): void {
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const progress = models.reduce((sum, m, i) => sum + m.progress(now) * weights[i]!, 0) / weightSum;
  if (progress < 0.02 || progress >= 1) return;
  const projected = generated / progress;
  const correction = Math.min(1.25, Math.max(0.8, target / projected));
  for (const m of models) m.rateScale = Math.min(4, Math.max(0.25, m.rateScale * Math.sqrt(correction)));
}

interface Pending {
  ts: number;
  seq: number;
  event: GeneratedEvent;
}

/**
 * The count is exact and the end approximate: visits keep arriving past `endMs` until the
 * count is reached, with the rate steered toward ending there (deviation about 1/sqrt(visits)
 * of the window). Offsets are precomputed this far past the end.
 */
const OVERRUN = 0.1;

/**
 * Yields exactly `events` events in time order. Site traffic shares fall off as
 * 1/rank^0.8: site1 is the largest.
 */
export function* generateEvents(options: GenerateOptions): Generator<GeneratedEvent> {
  if (options.sites.length === 0 || options.events <= 0) return;
  const startMs = options.endMs - options.days * MS.DAY;
  const factory = new VisitFactory(options.seed, options.botShare ?? 0.03);
  const models = options.sites.map((site, i) => new SiteModel(site, i, startMs, options.endMs));

  // Calibrate: events per visit, from a side stream so the main stream does not depend on it.
  const calibration = new Prng(options.seed ^ 0x5bd1e995);
  const calibrationModel = models[0]!;
  const calibrationFactory = new VisitFactory(options.seed, options.botShare ?? 0.03);
  let sample = 0;
  const SAMPLE_VISITS = 2000;
  for (let i = 0; i < SAMPLE_VISITS; i++) sample += calibrationFactory.visit(calibration, calibrationModel, startMs).length;
  const perVisit = sample / SAMPLE_VISITS;
  const visits = options.events / perVisit;
  const weights = models.map((_, i) => 1 / Math.pow(i + 1, 0.8));
  const weightSum = weights.reduce((a, b) => a + b, 0);

  const prng = new Prng(options.seed);
  models.forEach((model, i) => {
    const siteVisits = (visits * weights[i]!) / weightSum;
    model.visitorPool = Math.max(20, Math.round(siteVisits * 0.4));
    model.setExpectedVisits(siteVisits, options.endMs + OVERRUN * options.days * MS.DAY);
    model.advanceArrival(prng, startMs);
  });

  const heap = new EventHeap<Pending>();
  let seq = 0;
  let emitted = 0;
  let generated = 0;
  let visitCount = 0;
  while (emitted < options.events) {
    let next: SiteModel | undefined;
    for (const model of models) if (model.nextArrival !== Infinity && (!next || model.nextArrival < next.nextArrival)) next = model;
    const top = heap.peek();
    if (top && (!next || top.ts <= next.nextArrival)) {
      heap.pop();
      emitted++;
      yield top.event;
      continue;
    }
    if (!next) break;
    for (const event of factory.visit(prng, next, next.nextArrival)) {
      heap.push({ ts: event.row.ts, seq: seq++, event });
      generated++;
    }
    if (++visitCount % 16 === 0) steer(models, weights, next.nextArrival, generated, options.events);
    next.advanceArrival(prng, next.nextArrival);
  }
}
