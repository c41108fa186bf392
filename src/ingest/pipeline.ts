/**
 * The ingest pipeline: named steps that turn a validated Hit into the EventRow to store, or
 * into a Drop with a reason. Synchronous and free of I/O: sites, salts and sessions are
 * in-memory views kept fresh by their owners, so a hit never waits on the store.
 */
import type { EventRow } from '../store/event-row.js';
import type { Site } from '../store/site.js';
import { createBotCheck } from './drop-bots.js';
import { dropSpamHost } from './drop-spam.js';
import type { CountryLookup } from './geo.js';
import { isDrop, type Drop, type Hit, type RequestInfo } from './hit.js';
import type { SaltKeeper } from './salts.js';
import type { SessionTracker } from './session.js';
import type { SiteRegistry } from './site-registry.js';
import { SPAM_REFERRER_HOSTS } from './source-names.js';
import { hostOf, sourceOfHost, utmSourceName } from './source.js';
import { storableText } from './storable-text.js';
import type { UserAgentInfo } from './user-agent.js';
import { queryParamsJson, utmFields } from './utm.js';
import { VisitorIdCache } from './visitor-cache.js';

export interface PipelineDeps {
  sites: SiteRegistry;
  salts: SaltKeeper;
  sessions: SessionTracker;
  country: CountryLookup;
  userAgent: (ua: string) => UserAgentInfo;
  /** Extra referrer-spam hosts from configuration. */
  spamHosts?: readonly string[];
}

/** Headers never stored, even in raw mode: they carry credentials, not analytics. */
const SECRET_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization']);

export type PipelineResult = EventRow | Drop;

/** A hit that passed the drop steps, with its site and visitor ids (current and previous salt). */
export interface IdentifiedHit {
  hit: Hit;
  request: RequestInfo;
  site: Site;
  page: URL;
  /** Host of the referrer as hostOf gives it ('' when there is none or it does not parse). */
  referrerHost: string;
  visitorId: string;
  previousVisitorId: string | undefined;
}

export interface Pipeline {
  /** Steps up to the visitor id: parse the page, drop bots / unknown sites / spam, hash. */
  identify(hit: Hit, request: RequestInfo): IdentifiedHit | Drop;
  /** The remaining steps: visit, source, UTM, user agent, country, the row. */
  complete(identified: IdentifiedHit): PipelineResult;
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  // Per-process caches: bot verdicts per User-Agent, visitor ids per (salt, site, IP, UA) hash.
  const dropBots = createBotCheck();
  const visitorIds = new VisitorIdCache();
  const spamHosts = [...SPAM_REFERRER_HOSTS, ...(deps.spamHosts ?? [])];

  const identify = (hit: Hit, request: RequestInfo): IdentifiedHit | Drop => {
    const bot = dropBots(request);
    if (bot) return bot;

    const page = new URL(hit.url);
    const site = resolveSite(deps.sites, hit, page);
    if (!site) return { drop: 'unknown_site' };

    // The referrer is parsed once here; the spam check and the source step both use its host.
    const referrerHost = hit.referrer ? hostOf(hit.referrer) : '';
    const spam = dropSpamHost(referrerHost, spamHosts);
    if (spam) return spam;

    const ts = request.receivedAt;
    const secret = deps.salts.secret(site.saltRotationHours, ts);
    if (!secret) return { drop: 'overload' }; // salts not loaded yet: the process is still starting
    const previousSecret = deps.salts.secret(site.saltRotationHours, ts, -1);
    const ids = visitorIds.ids(deps.salts.generation, secret, previousSecret, site.id, request.ip, request.userAgent);
    return { hit, request, site, page, referrerHost, visitorId: ids.current, previousVisitorId: ids.previous };
  };

  const complete = ({ hit, request, site, page, referrerHost, visitorId: visitor, previousVisitorId }: IdentifiedHit): PipelineResult => {
    const ts = request.receivedAt;
    const visit = deps.sessions.touch(site.id, visitor, previousVisitorId, ts, hit.name !== 'engagement');
    if (!visit) return { drop: 'no_visit' };

    const utm = utmFields(page.searchParams);
    const hostname = page.hostname.toLowerCase().replace(/^www\./, '');
    // A referrer on the site itself is navigation, not a source.
    const source = sourceOfHost(referrerHost, hostname);
    const referrer = source || !referrerHost ? hit.referrer : '';
    const ua = deps.userAgent(request.userAgent);

    return {
      site_id: site.id,
      ts,
      name: hit.name,
      hostname,
      pathname: pathOf(page, hit.hashMode),
      title: hit.title,
      query: queryParamsJson(page.searchParams),
      referrer,
      referrer_source: source || utmSourceName(utm.utm_source),
      ...utm,
      country: deps.country(request.ip),
      ...ua,
      screen_width: hit.screenWidth,
      visitor_id: visit.visitorId,
      session_id: visit.sessionId,
      props: JSON.stringify(hit.props),
      revenue_amount: hit.revenue?.amount ?? null,
      revenue_currency: hit.revenue?.currency ?? '',
      scroll_depth: hit.scrollDepth,
      engagement_ms: hit.engagementMs,
      interactive: hit.interactive,
      ip: site.raw ? request.ip : null,
      headers: site.raw ? rawHeaders(request.headers) : null,
    };
  };

  return { identify, complete };
}

function resolveSite(sites: SiteRegistry, hit: Hit, page: URL): Site | undefined {
  if (hit.domain === undefined) return sites.resolve(page.hostname);
  // Plausible's trackers may name several domains ('a.com,b.com'); the first registered one counts.
  for (const domain of hit.domain.split(',')) {
    const site = sites.resolve(domain.trim());
    if (site) return site;
  }
  return undefined;
}

function pathOf(page: URL, hashMode: boolean): string {
  // decodeURI turns '%00' into NUL, which no store should hold (see storable-text.ts).
  const path = storableText(decodeSafely(page.pathname)) || '/';
  return hashMode && page.hash ? `${path}${page.hash}` : path;
}

function decodeSafely(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function rawHeaders(headers: RequestInfo['headers']): string {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || SECRET_HEADERS.has(key.toLowerCase())) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return JSON.stringify(out);
}

/** Both halves in one go (when no store lookup sits between them: tests, offline use). */
export function runPipeline(pipeline: Pipeline, hit: Hit, request: RequestInfo): PipelineResult {
  const identified = pipeline.identify(hit, request);
  return isDrop(identified) ? identified : pipeline.complete(identified);
}
