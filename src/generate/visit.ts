/**
 * One simulated visit: a visitor (stable attributes derived from a hash, so they return with
 * the same browser and country), 1-20 page views with log-normal gaps, engagement events,
 * a few custom events with props; or a short crawler visit (bot).
 */
import { utmSourceName } from '../ingest/source.js';
import { parseUserAgent, type UserAgentInfo } from '../ingest/user-agent.js';
import type { EventRow } from '../store/event-row.js';
import { BOT_USER_AGENTS, BROWSER_USER_AGENTS, CAMPAIGNS, COUNTRIES, CUSTOM_EVENTS, SCREEN_WIDTHS } from './catalog.js';
import { hash32, int64String, Prng, WeightedSampler } from './prng.js';
import type { PageEntry, SiteModel } from './site-model.js';

/** The request a tracker would have sent for an event (what the bench replays over HTTP). */
export interface GeneratedHit {
  /** When it is sent, ms since epoch UTC. */
  ts: number;
  ip: string;
  userAgent: string;
  /** Absolute page URL (with UTM query on campaign landings). */
  url: string;
  title: string;
  /** document.referrer: external on landing, the previous page after. */
  referrer: string;
  /** 'pageview', 'engagement' or a custom event name. */
  name: string;
  props?: Record<string, string>;
  screenWidth: number;
  /** A crawler: the collector drops it, so `row` is what would be stored if it did not. */
  bot: boolean;
  interactive: boolean;
  /** Engagement events: scroll depth in percent and engaged time in ms. */
  scrollDepth?: number;
  engagementMs?: number;
  revenue?: { amount: number; currency: string };
}

export interface GeneratedEvent {
  row: EventRow;
  hit: GeneratedHit;
}

interface Agent {
  ua: string;
  info: UserAgentInfo;
}

/** Values shared by every visit of a run: parsed user agents and samplers. */
export class VisitFactory {
  private readonly agents: Agent[];
  private readonly agentSampler: WeightedSampler;
  private readonly bots: Agent[];
  private readonly countrySampler = new WeightedSampler(COUNTRIES.map((c) => c.weight));
  private sessionCounter = 0;

  constructor(private readonly seed: number, private readonly botShare: number) {
    // Parse each User-Agent once: the same fields the collector would derive.
    this.agents = BROWSER_USER_AGENTS.map(({ ua }) => ({ ua, info: parseUserAgent(ua) }));
    this.agentSampler = new WeightedSampler(BROWSER_USER_AGENTS.map((a) => a.weight));
    this.bots = BOT_USER_AGENTS.map((ua) => ({ ua, info: parseUserAgent(ua) }));
  }

  /** All events of one visit starting at `startMs`, in time order. */
  visit(prng: Prng, model: SiteModel, startMs: number): GeneratedEvent[] {
    const bot = prng.chance(this.botShare);
    const visitorIndex = prng.int(0, model.visitorPool - 1) + (bot ? model.visitorPool : 0);
    const s = model.index;
    const h = (k: number) => hash32(this.seed, s, visitorIndex, k);
    const agent = bot ? this.bots[h(1) % this.bots.length]! : this.agents[this.agentSampler.fromHash(h(1))]!;
    const country = COUNTRIES[this.countrySampler.fromHash(h(2))]!;
    const widths = SCREEN_WIDTHS[agent.info.device] ?? SCREEN_WIDTHS['']!;
    const screenWidth = widths[h(3) % widths.length]!;
    const ipBits = h(6);
    const ip = `${country.prefix[0]}.${(country.prefix[1] + (ipBits >>> 24) % 64) & 255}.${(ipBits >>> 8) & 255}.${1 + (ipBits & 0xfd)}`;
    const visitorId = int64String(h(4), h(5));
    this.sessionCounter++;
    const sessionId = int64String(hash32(this.seed, 0x5e55, this.sessionCounter), hash32(this.seed, 0x1d, this.sessionCounter));
    const raw = model.site.raw === true;
    const headers = raw ? JSON.stringify({ 'user-agent': agent.ua, 'accept-language': 'en-US,en;q=0.9', host: model.site.domain }) : null;

    const pageviews = bot ? prng.int(1, 3) : prng.chance(0.42) ? 1 : Math.min(20, 2 + Math.floor(prng.exponential(3)));
    const external = !bot && prng.chance(0.55) ? model.referrers[model.referrerSampler.sample(prng)]! : undefined;
    const campaign = !bot && prng.chance(0.1) ? prng.pick(CAMPAIGNS) : undefined;
    const customAt = new Map<number, Array<(typeof CUSTOM_EVENTS)[number]>>();
    if (!bot) {
      for (const kind of CUSTOM_EVENTS) {
        if (prng.chance(kind.perVisit)) {
          const at = prng.int(0, pageviews - 1);
          customAt.set(at, [...(customAt.get(at) ?? []), kind]);
        }
      }
    }

    const out: GeneratedEvent[] = [];
    let t = startMs;
    let previous: PageEntry | undefined;
    for (let i = 0; i < pageviews; i++) {
      const page = model.pages[model.pageSampler.sample(prng)]!;
      const landing = i === 0;
      const query = landing && campaign ? campaignQuery(campaign) : '';
      const url = page.url + query;
      const hitReferrer = landing ? external?.url ?? '' : previous!.url;
      const source = landing ? external?.source || (campaign ? utmSourceName(campaign.source) : '') : '';
      const base: EventRow = {
        site_id: model.site.id, ts: t, name: 'pageview', hostname: page.hostname, pathname: page.path, title: page.title,
        query: landing && campaign ? campaignJson(campaign) : '{}',
        referrer: landing && external ? external.url : '', referrer_source: source,
        utm_source: landing && campaign ? campaign.source : '', utm_medium: landing && campaign ? campaign.medium : '',
        utm_campaign: landing && campaign ? campaign.campaign : '', utm_term: landing && campaign ? campaign.term ?? '' : '',
        utm_content: landing && campaign ? campaign.content ?? '' : '',
        country: country.code, browser: agent.info.browser, browser_version: agent.info.browser_version, os: agent.info.os,
        os_version: agent.info.os_version, device: agent.info.device, screen_width: screenWidth,
        visitor_id: visitorId, session_id: sessionId, props: '{}', revenue_amount: null, revenue_currency: '',
        scroll_depth: null, engagement_ms: null, interactive: true, ip: raw ? ip : null, headers,
      };
      const hit = (ts: number, name: string): GeneratedHit => ({
        ts, ip, userAgent: agent.ua, url, title: page.title, referrer: hitReferrer, name, screenWidth, bot, interactive: true,
      });
      out.push({ row: base, hit: hit(t, 'pageview') });

      // Time on this page: log-normal around 40 s, sometimes a long read (3-25 min, within the
      // 30-minute visit timeout); custom events happen while reading.
      const customs = customAt.get(i) ?? [];
      const read = prng.chance(0.08) ? prng.int(180_000, 1_500_000) : prng.logNormal(40_000, 1.2);
      const gap = Math.round(Math.min(29 * 60_000, Math.max(3_000 + customs.length * 2_000, read)));
      let offset = 0;
      for (const kind of customs) {
        offset += 1_000 + Math.floor(prng.float() * (gap / (customs.length + 2) - 1_000));
        const props = prng.pick(kind.props);
        const revenue = kind.name === 'Signup' && props.plan !== 'free' ? { amount: props.plan === 'pro' ? 19 : 49, currency: 'USD' } : undefined;
        out.push({
          row: { ...base, ts: t + offset, name: kind.name, props: JSON.stringify(props), interactive: kind.interactive,
            revenue_amount: revenue?.amount ?? null, revenue_currency: revenue?.currency ?? '' },
          hit: { ...hit(t + offset, kind.name), props, interactive: kind.interactive, ...(revenue ? { revenue } : {}) },
        });
      }
      if (!bot && prng.chance(0.7)) {
        // Sent when the page is left: just before the next page view.
        const engaged = Math.max(offset + 500, gap - 500 - Math.floor(prng.float() * 1_000));
        const scroll = Math.min(100, Math.floor(prng.float() * 110));
        out.push({
          row: { ...base, ts: t + engaged, name: 'engagement', scroll_depth: scroll, engagement_ms: Math.floor(engaged * 0.8) },
          hit: { ...hit(t + engaged, 'engagement'), scrollDepth: scroll, engagementMs: Math.floor(engaged * 0.8) },
        });
      }
      previous = page;
      t += gap;
    }
    return out;
  }
}

function campaignQuery(c: (typeof CAMPAIGNS)[number]): string {
  const params = new URLSearchParams({ utm_source: c.source, utm_medium: c.medium, utm_campaign: c.campaign });
  if (c.term) params.set('utm_term', c.term);
  if (c.content) params.set('utm_content', c.content);
  return `?${params.toString()}`;
}

function campaignJson(c: (typeof CAMPAIGNS)[number]): string {
  const out: Record<string, string> = { utm_source: c.source, utm_medium: c.medium, utm_campaign: c.campaign };
  if (c.term) out.utm_term = c.term;
  if (c.content) out.utm_content = c.content;
  return JSON.stringify(out);
}
