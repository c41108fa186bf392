/** The fixed vocabulary the generator draws from: user agents, countries, referrers, pages. */

/** Real browser User-Agent strings with a rough share of traffic. */
export const BROWSER_USER_AGENTS: ReadonlyArray<{ ua: string; weight: number }> = [
  { weight: 20, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' },
  { weight: 8, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36' },
  { weight: 6, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51' },
  { weight: 5, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0' },
  { weight: 9, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' },
  { weight: 7, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15' },
  { weight: 2, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0' },
  { weight: 3, ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' },
  { weight: 2, ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0' },
  { weight: 14, ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1' },
  { weight: 4, ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_7_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1' },
  { weight: 2, ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1' },
  { weight: 11, ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36' },
  { weight: 3, ua: 'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36' },
  { weight: 2, ua: 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0' },
  { weight: 3, ua: 'Mozilla/5.0 (iPad; CPU OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1' },
  { weight: 1, ua: 'Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' },
  { weight: 1, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0' },
  { weight: 1, ua: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' },
  { weight: 1, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 YaBrowser/24.4.0.0 Safari/537.36' },
];

/** Crawler and script User-Agents: the collector drops these hits. */
export const BOT_USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
  'python-requests/2.31.0',
  'curl/8.5.0',
];

/** Country codes with a rough share, and an address prefix per country for the raw hit. */
export const COUNTRIES: ReadonlyArray<{ code: string; weight: number; prefix: readonly [number, number] }> = [
  { code: 'US', weight: 30, prefix: [73, 0] }, { code: 'DE', weight: 12, prefix: [84, 128] },
  { code: 'GB', weight: 8, prefix: [86, 0] }, { code: 'FR', weight: 6, prefix: [90, 0] },
  { code: 'IN', weight: 6, prefix: [117, 192] }, { code: 'CA', weight: 4, prefix: [24, 114] },
  { code: 'NL', weight: 3, prefix: [145, 53] }, { code: 'BR', weight: 3, prefix: [177, 0] },
  { code: 'JP', weight: 3, prefix: [126, 0] }, { code: 'AU', weight: 2, prefix: [1, 128] },
  { code: 'ES', weight: 2, prefix: [88, 0] }, { code: 'IT', weight: 2, prefix: [79, 0] },
  { code: 'SE', weight: 1, prefix: [83, 248] }, { code: 'PL', weight: 1, prefix: [83, 0] },
  { code: 'CH', weight: 1, prefix: [178, 192] }, { code: 'AT', weight: 1, prefix: [80, 108] },
  { code: 'MX', weight: 1, prefix: [187, 128] }, { code: 'KR', weight: 1, prefix: [211, 0] },
  { code: '', weight: 1, prefix: [100, 64] },
];

/** External referrers in Zipf order (most frequent first). */
export const REFERRERS: readonly string[] = [
  'https://www.google.com/', 'https://news.ycombinator.com/', 'https://www.bing.com/', 'https://duckduckgo.com/',
  'https://www.reddit.com/r/programming/', 'https://t.co/abc123', 'https://github.com/', 'https://www.google.de/',
  'https://lobste.rs/', 'https://www.facebook.com/', 'https://www.linkedin.com/', 'https://dev.to/',
  'https://stackoverflow.com/questions/1234', 'https://search.yahoo.com/', 'https://www.ecosia.org/',
  'https://medium.com/', 'https://www.youtube.com/', 'https://old.reddit.com/', 'https://mastodon.social/',
  'https://example-blog.net/links', 'https://www.producthunt.com/', 'https://yandex.ru/',
];

/** UTM campaigns carried by a share of landing pages. */
export const CAMPAIGNS: ReadonlyArray<{ source: string; medium: string; campaign: string; term?: string; content?: string }> = [
  { source: 'newsletter', medium: 'email', campaign: 'spring_launch' },
  { source: 'newsletter', medium: 'email', campaign: 'weekly_digest', content: 'header_link' },
  { source: 'twitter', medium: 'social', campaign: 'spring_launch' },
  { source: 'google', medium: 'cpc', campaign: 'brand', term: 'web analytics' },
  { source: 'google', medium: 'cpc', campaign: 'competitors', term: 'privacy analytics' },
  { source: 'producthunt', medium: 'referral', campaign: 'launch_day' },
];

/** Page templates: path and title; the catalogue of a site repeats numbered blog/docs pages. */
export const FIXED_PAGES: ReadonlyArray<{ path: string; title: string; subdomain?: string }> = [
  { path: '/', title: 'Home' }, { path: '/pricing', title: 'Pricing' }, { path: '/blog', title: 'Blog' },
  { path: '/blog/', title: 'Blog' }, { path: '/about', title: 'About us' }, { path: '/features', title: 'Features' },
  { path: '/signup', title: 'Sign up' }, { path: '/thanks', title: 'Thank you' }, { path: '/contact', title: 'Contact' },
  { path: '/login', title: 'Log in' }, { path: '/docs', title: 'Documentation', subdomain: 'docs' },
  { path: '/docs/getting-started', title: 'Getting started', subdomain: 'docs' },
  { path: '/docs/api', title: 'API reference', subdomain: 'docs' }, { path: '/changelog', title: 'Changelog' },
];

export const BLOG_TOPICS: readonly string[] = [
  'sqlite-small-fast-reliable', 'postgres-json-arrays', 'k-means-dominant-colors', 'flask-blueprints',
  'full-text-search', 'model-inheritance', 'duckdb-in-production', 'privacy-first-analytics', 'time-zones-are-hard',
  'writing-a-query-compiler', 'ten-million-rows', 'zipf-everywhere', 'sessionization-explained', 'dst-bugs',
];

export interface CustomEventKind {
  name: string;
  /** Probability that a visit sends it (once). */
  perVisit: number;
  interactive: boolean;
  props: ReadonlyArray<Record<string, string>>;
  /** Only on this page, when set (e.g. Signup on /signup). */
  page?: string;
}

export const CUSTOM_EVENTS: readonly CustomEventKind[] = [
  { name: 'Signup', perVisit: 0.04, interactive: true, props: [{ plan: 'free' }, { plan: 'free' }, { plan: 'pro' }, { plan: 'team' }] },
  { name: 'Outbound Link: Click', perVisit: 0.05, interactive: true, props: [{ url: 'https://github.com/footfall' }, { url: 'https://twitter.com/footfall' }] },
  { name: 'Download', perVisit: 0.03, interactive: true, props: [{ file: 'footfall.tar.gz', version: '1.2' }, { file: 'footfall.zip', version: '1.2' }] },
  { name: 'Video Progress', perVisit: 0.06, interactive: false, props: [{ percent: '25' }, { percent: '50' }, { percent: '100' }] },
];

/** Typical CSS screen widths per device class. */
export const SCREEN_WIDTHS: Readonly<Record<string, readonly number[]>> = {
  Desktop: [1280, 1366, 1440, 1536, 1680, 1920, 2560],
  Mobile: [360, 375, 390, 393, 412, 414, 430],
  Tablet: [768, 810, 820, 834, 1024],
  '': [1024],
};

/** Relative traffic per local hour of day (0-23) and per weekday (Monday first). */
export const HOUR_WEIGHTS: readonly number[] = [
  0.35, 0.25, 0.18, 0.14, 0.12, 0.15, 0.3, 0.55, 0.85, 1.05, 1.15, 1.2, 1.25, 1.2, 1.15, 1.1, 1.05, 1.0, 0.95, 0.9, 0.85, 0.75, 0.6, 0.45,
];
export const WEEKDAY_WEIGHTS: readonly number[] = [1.1, 1.1, 1.05, 1.05, 1.0, 0.75, 0.7];

/** Time zones given to generated sites in turn: DST in Europe and America, and UTC. */
export const SITE_TIME_ZONES: readonly string[] = ['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Kolkata', 'Australia/Sydney'];
