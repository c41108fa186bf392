/**
 * The query string of a pixel request as Fastify's parser (fast-querystring) reads it, for the
 * fast path: '&'-separated pairs, '+' as space, a repeated key gives an array, and a value
 * whose %-escapes do not decode (malformed, or not UTF-8) is kept as it was sent.
 */
export type ParsedQuery = Record<string, string | string[]>;

export function parseQueryString(text: string): ParsedQuery {
  // No prototype: a key like "__proto__" or "constructor" is plain data.
  const out = Object.create(null) as ParsedQuery;
  if (text === '') return out;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    const seen = out[key];
    if (seen === undefined) out[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[key] = [seen, value];
  }
  return out;
}

function decode(raw: string): string {
  const text = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
