/** Step: drop hits whose referrer is a known referrer-spam host. */
import type { Drop } from './hit.js';
import { isSameSiteHost } from './source.js';

/** Drops a hit whose referrer host (already parsed, see hostOf) is or is under a spam host. */
export function dropSpamHost(host: string, spamHosts: readonly string[]): Drop | undefined {
  if (!host) return undefined;
  for (const spam of spamHosts) {
    if (isSameSiteHost(host, spam)) return { drop: 'spam' };
  }
  return undefined;
}
