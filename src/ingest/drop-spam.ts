/** Step: drop hits whose referrer is a known referrer-spam host. */
import type { Drop } from './hit.js';
import { SPAM_REFERRER_HOSTS } from './source-names.js';
import { hostOf, isSameSiteHost } from './source.js';

export function dropSpam(referrer: string, extraSpamHosts: readonly string[] = []): Drop | undefined {
  return dropSpamHost(hostOf(referrer), [...SPAM_REFERRER_HOSTS, ...extraSpamHosts]);
}

/** dropSpam on a referrer host already parsed (see hostOf), against a ready list of spam hosts. */
export function dropSpamHost(host: string, spamHosts: readonly string[]): Drop | undefined {
  if (!host) return undefined;
  for (const spam of spamHosts) {
    if (isSameSiteHost(host, spam)) return { drop: 'spam' };
  }
  return undefined;
}
