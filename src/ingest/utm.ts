/** Step: UTM parameters and the remaining query parameters of the page URL. */
import { storableText, truncateText } from './storable-text.js';

export interface UtmFields {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
}

const MAX_PARAM_LENGTH = 500;

export function utmFields(params: URLSearchParams): UtmFields {
  // Decoded parameters may hold NUL ('%00') or be cut inside a surrogate pair: see storable-text.ts.
  const get = (key: string) => storableText(truncateText((params.get(key) ?? '').trim(), MAX_PARAM_LENGTH));
  return {
    // `ref` and `source` are common stand-ins for utm_source (Plausible reads them too).
    utm_source: get('utm_source') || get('ref') || get('source'),
    utm_medium: get('utm_medium'),
    utm_campaign: get('utm_campaign'),
    utm_term: get('utm_term'),
    utm_content: get('utm_content'),
  };
}

/** Query parameters as a JSON object string, as the original app kept them ('{}' when none). */
export function queryParamsJson(params: URLSearchParams): string {
  const out: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of params) {
    if (++count > 50) break;
    Object.defineProperty(out, storableText(truncateText(key, 100)), {
      value: storableText(truncateText(value, MAX_PARAM_LENGTH)), enumerable: true, writable: true, configurable: true,
    });
  }
  return JSON.stringify(out);
}
