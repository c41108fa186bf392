/**
 * Text every store can hold. Strings from the wire may carry NUL (JSON "\u0000", or decoding
 * "%00" in a path or query parameter), which Postgres text refuses, and lone UTF-16 surrogates
 * (JSON "\ud800" escapes, or a length limit cutting an emoji's surrogate pair in half), which
 * are not encodable as UTF-8. A stored row must never hold either: DuckDB's read_json skips such
 * a spool line (an acknowledged event lost) and Postgres refuses the whole segment, which the
 * collector would retry forever while turning every new write away.
 */

// Matching NUL is the point of these two patterns.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Cheap pre-check: almost every string has no NUL and no surrogate at all. */
// eslint-disable-next-line no-control-regex
const MAY_BE_UNSTORABLE = /[\u0000\ud800-\udfff]/;

/** Drops NUL and replaces each lone surrogate by U+FFFD (what a UTF-8 decoder shows for it). */
export function storableText(value: string): string {
  if (!MAY_BE_UNSTORABLE.test(value)) return value;
  return value.replace(UNSTORABLE, (c) => (c === '\u0000' ? '' : '\ufffd'));
}

/** The first `max` UTF-16 units of `value`, one fewer when the cut would split a surrogate pair. */
export function truncateText(value: string, max: number): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
