/** Step: UTM parameters and the remaining query parameters of the page URL. */

export interface UtmFields {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
}

const MAX_PARAM_LENGTH = 500;

export function utmFields(params: URLSearchParams): UtmFields {
  const get = (key: string) => (params.get(key) ?? '').trim().slice(0, MAX_PARAM_LENGTH);
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
    out[key.slice(0, 100)] = value.slice(0, MAX_PARAM_LENGTH);
  }
  return JSON.stringify(out);
}
