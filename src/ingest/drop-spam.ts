/** Step: drop hits whose referrer is a known referrer-spam host. */
import type { Drop } from './hit.js';
import { SPAM_REFERRER_HOSTS } from './source-names.js';
import { hostOf, isSameSiteHost } from './source.js';

export function dropSpam(referrer: string, extraSpamHosts: readonly string[] = []): Drop | undefined {
  const host = hostOf(referrer);
  if (!host) return undefined;
  for (const spam of [...SPAM_REFERRER_HOSTS, ...extraSpamHosts]) {
    if (isSameSiteHost(host, spam)) return { drop: 'spam' };
  }
  return undefined;
}
