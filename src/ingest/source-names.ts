/**
 * Referrer host -> readable source name. Keys are registrable domains (or host prefixes
 * ending in '.'); lookup tries the host, then each parent domain. Data, not logic.
 */
export const SOURCE_NAMES: Record<string, string> = {
  'google.': 'Google', 'bing.com': 'Bing', 'duckduckgo.com': 'DuckDuckGo', 'yahoo.com': 'Yahoo!',
  'yandex.': 'Yandex', 'baidu.com': 'Baidu', 'ecosia.org': 'Ecosia', 'qwant.com': 'Qwant',
  'search.brave.com': 'Brave', 'startpage.com': 'Startpage', 'kagi.com': 'Kagi', 'naver.com': 'Naver',
  'facebook.com': 'Facebook', 'fb.com': 'Facebook', 'm.facebook.com': 'Facebook', 'l.facebook.com': 'Facebook',
  'instagram.com': 'Instagram', 'twitter.com': 'Twitter', 't.co': 'Twitter', 'x.com': 'Twitter',
  'linkedin.com': 'LinkedIn', 'lnkd.in': 'LinkedIn', 'reddit.com': 'Reddit', 'news.ycombinator.com': 'Hacker News',
  'youtube.com': 'YouTube', 'youtu.be': 'YouTube', 'pinterest.com': 'Pinterest', 'tiktok.com': 'TikTok',
  'github.com': 'GitHub', 'gitlab.com': 'GitLab', 'stackoverflow.com': 'Stack Overflow',
  'mastodon.social': 'Mastodon', 'bsky.app': 'Bluesky', 'threads.net': 'Threads', 'wikipedia.org': 'Wikipedia',
  'medium.com': 'Medium', 'dev.to': 'DEV', 'lobste.rs': 'Lobsters', 'producthunt.com': 'Product Hunt',
  'chatgpt.com': 'ChatGPT', 'chat.openai.com': 'ChatGPT', 'perplexity.ai': 'Perplexity', 'vk.com': 'VKontakte',
  'telegram.org': 'Telegram', 't.me': 'Telegram', 'whatsapp.com': 'WhatsApp', 'slack.com': 'Slack',
  'discord.com': 'Discord', 'mail.google.com': 'Gmail', 'outlook.live.com': 'Outlook.com',
};

/** utm_source values (lower-case) that name a known source. */
export const UTM_SOURCE_NAMES: Record<string, string> = {
  google: 'Google', bing: 'Bing', facebook: 'Facebook', fb: 'Facebook', twitter: 'Twitter', x: 'Twitter',
  linkedin: 'LinkedIn', reddit: 'Reddit', newsletter: 'Newsletter', youtube: 'YouTube', instagram: 'Instagram',
  hn: 'Hacker News', hackernews: 'Hacker News', github: 'GitHub', mastodon: 'Mastodon', bluesky: 'Bluesky',
};

/** Hosts known for referrer spam; their hits are dropped with reason 'spam'. */
export const SPAM_REFERRER_HOSTS: readonly string[] = [
  'semalt.com', 'buttons-for-website.com', 'darodar.com', 'ilovevitaly.com', 'priceg.com', 'blackhatworth.com',
  'hulfingtonpost.com', 'best-seo-offer.com', 'buy-cheap-online.info', 'free-share-buttons.com', 'get-free-traffic-now.com',
  'trafficmonetize.com', 'webmonetizer.net', 'econom.co', 'savetubevideo.com', 'kambasoft.com', 'social-buttons.com',
  'simple-share-buttons.com', 'floating-share-buttons.com', 'event-tracking.com', 'o-o-6-o-o.com', 'rank-checker.online',
];
