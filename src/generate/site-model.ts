/** Per-site precomputed catalogue (pages, referrers) and its visit arrival process. */
import { referrerSource } from '../ingest/source.js';
import { MS, TimeZone, type OffsetSegment } from '../query/time-zone.js';
import { BLOG_TOPICS, FIXED_PAGES, HOUR_WEIGHTS, REFERRERS, WEEKDAY_WEIGHTS } from './catalog.js';
import { Prng, WeightedSampler } from './prng.js';

/** A site the generator makes traffic for. */
export interface GeneratorSite {
  id: number;
  domain: string;
  /** IANA time zone: traffic follows a daily rhythm in it. */
  timezone: string;
  /** Raw mode: rows carry IP and headers, as the collector stores them for such a site. */
  raw?: boolean;
}

export interface PageEntry {
  path: string;
  title: string;
  hostname: string;
  /** Absolute URL without query. */
  url: string;
}

export interface ReferrerEntry {
  url: string;
  /** Source name as the collector derives it from this referrer. */
  source: string;
}

const MAX_WEIGHT = Math.max(...HOUR_WEIGHTS) * Math.max(...WEEKDAY_WEIGHTS);

export class SiteModel {
  readonly pages: PageEntry[];
  readonly pageSampler: WeightedSampler;
  readonly referrers: ReferrerEntry[];
  readonly referrerSampler: WeightedSampler;
  /** Simulated distinct visitors; visits pick one uniformly, so people return. */
  visitorPool = 1;
  /** Next visit start (UTC ms); Infinity when the site is done. */
  nextArrival = 0;
  private segments: OffsetSegment[];
  private segmentIndex = 0;
  private cumulativeWeight: number[] = [];
  /** Rate multiplier the generator adjusts to land its count near the window's end. */
  rateScale = 1;
  private maxRatePerMs = 0;

  constructor(readonly site: GeneratorSite, readonly index: number, private readonly startMs: number, private readonly endMs: number) {
    const blog = BLOG_TOPICS.map((topic) => ({ path: `/blog/${topic}`, title: titleOf(topic) }));
    const numbered = Array.from({ length: 40 }, (_, i) => ({ path: `/blog/page/${i + 2}`, title: `Blog - page ${i + 2}` }));
    // Shuffle popularity per site (deterministically) so sites differ in their top pages.
    const shuffle = new Prng(1000 + index);
    const list = [...FIXED_PAGES, ...blog, ...numbered].map((p) => ({ p, k: shuffle.float() + (p.path === '/' ? -1 : 0) }))
      .sort((a, b) => a.k - b.k).map(({ p }) => p);
    this.pages = list.map((p) => {
      const hostname = 'subdomain' in p && p.subdomain ? `${p.subdomain}.${site.domain}` : site.domain;
      return { path: p.path, title: p.title, hostname, url: `https://${hostname}${p.path}` };
    });
    this.pageSampler = WeightedSampler.zipf(this.pages.length, 1.1);
    this.referrers = REFERRERS.map((url) => ({ url, source: referrerSource(url, site.domain) }));
    this.referrerSampler = WeightedSampler.zipf(this.referrers.length, 1.0);
    this.segments = TimeZone.of(site.timezone).segments(startMs, endMs);
  }

  /**
   * Sets the rate so that about `visits` visits start between start and end. Arrivals go on
   * past the end until the generator has its count; offsets are exact until `offsetsUntilMs`.
   */
  setExpectedVisits(visits: number, offsetsUntilMs: number): void {
    this.segments = TimeZone.of(this.site.timezone).segments(this.startMs, offsetsUntilMs);
    this.segmentIndex = 0;
    const cumulative: number[] = [];
    let weightHours = 0;
    for (let t = this.startMs; t < this.endMs; t += MS.HOUR) {
      weightHours += this.weightAt(t);
      cumulative.push(weightHours);
    }
    this.cumulativeWeight = cumulative.map((w) => w / Math.max(weightHours, 1e-9));
    const ratePerHourUnit = visits / Math.max(weightHours, 1e-9);
    this.maxRatePerMs = (ratePerHourUnit * MAX_WEIGHT) / MS.HOUR;
    this.segmentIndex = 0;
  }

  /** Draws the next visit start after `after` (thinned Poisson process on the daily rhythm). */
  advanceArrival(prng: Prng, after: number): void {
    if (this.maxRatePerMs <= 0) {
      this.nextArrival = Infinity;
      return;
    }
    let t = after;
    for (;;) {
      t += prng.exponential(1 / (this.maxRatePerMs * this.rateScale));
      if (prng.float() * MAX_WEIGHT < this.weightAt(t)) {
        this.nextArrival = Math.floor(t);
        return;
      }
    }
  }

  /** Expected share (0-1) of the window's visits that start before `utcMs`. */
  progress(utcMs: number): number {
    const hour = Math.floor((utcMs - this.startMs) / MS.HOUR);
    if (hour < 0) return 0;
    return this.cumulativeWeight[Math.min(hour, this.cumulativeWeight.length - 1)] ?? 1;
  }

  /** Local wall-clock ms at `utcMs` (utcMs never goes backwards between calls but for setup). */
  localMs(utcMs: number): number {
    let i = this.segmentIndex;
    if (this.segments[i]!.fromMs > utcMs) i = 0;
    while (i + 1 < this.segments.length && this.segments[i + 1]!.fromMs <= utcMs) i++;
    this.segmentIndex = i;
    return utcMs + this.segments[i]!.offsetMs;
  }

  private weightAt(utcMs: number): number {
    const local = this.localMs(utcMs);
    const hour = Math.floor(local / MS.HOUR) % 24;
    const weekday = (Math.floor(local / MS.DAY) + 3) % 7;
    return HOUR_WEIGHTS[hour]! * WEEKDAY_WEIGHTS[weekday]!;
  }
}

function titleOf(slug: string): string {
  const words = slug.split('-');
  return words.map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
}
