/**
 * User-Agent -> browser, OS and device class with ua-parser-js v1 (MIT; v2 is AGPL).
 * Parsing costs ~20 us, and a site's traffic comes from few distinct strings, so results are
 * kept in a bounded cache.
 */
import UAParser from 'ua-parser-js';
import { boundedMemo } from './bounded-memo.js';

export interface UserAgentInfo {
  browser: string;
  /** Major version only: finer versions add cardinality without insight. */
  browser_version: string;
  os: string;
  /** Major.minor at most. */
  os_version: string;
  /** 'Desktop', 'Mobile' or 'Tablet' ('' when the string says nothing). */
  device: string;
}

const CACHE_LIMIT = 5000;

export function createUserAgentParser(): (ua: string) => UserAgentInfo {
  return boundedMemo(parseUserAgent, CACHE_LIMIT);
}

export function parseUserAgent(ua: string): UserAgentInfo {
  if (!ua) return { browser: '', browser_version: '', os: '', os_version: '', device: '' };
  const result = new UAParser(ua).getResult();
  return {
    browser: result.browser.name ?? '',
    browser_version: result.browser.major ?? '',
    os: result.os.name ?? '',
    os_version: (result.os.version ?? '').split('.').slice(0, 2).join('.'),
    device: deviceClass(result.device.type, result.os.name),
  };
}

function deviceClass(type: string | undefined, os: string | undefined): string {
  if (type === 'mobile' || type === 'wearable') return 'Mobile';
  if (type === 'tablet') return 'Tablet';
  if (type === 'smarttv' || type === 'console' || type === 'embedded') return 'Desktop';
  // ua-parser leaves desktop browsers without a device type.
  if (os === 'Android' || os === 'iOS') return 'Mobile';
  return os ? 'Desktop' : '';
}
