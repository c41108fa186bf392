/** Step: drop hits from crawlers, monitors and headless tools (isbot's pattern list). */
import { isbot } from 'isbot';
import type { Drop, RequestInfo } from './hit.js';

export function dropBots(request: RequestInfo): Drop | undefined {
  // An empty User-Agent is never a real browser.
  if (!request.userAgent || isbot(request.userAgent)) return { drop: 'bot' };
  return undefined;
}
