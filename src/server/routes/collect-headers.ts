/** What the collector routes share, on Fastify and on the node:http fast path (collect-fast.ts). */

/** CORS for the collection endpoints: open to every origin, no credentials. */
export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'Content-Type',
  'access-control-max-age': '86400',
} as const;

/** Answer headers of the pixel, besides CORS. */
export const GIF_HEADERS = { 'content-type': 'image/gif', 'cache-control': 'private, no-cache' } as const;

export const EVENT_CONTENT_TYPES = new Set(['application/json', 'text/plain']);

/** The media type of a Content-Type header (a missing one counts as text/plain, as sendBeacon's). */
export function mediaType(header: string | string[] | undefined): string {
  return String(header ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
}

export function unsupportedTypeMessage(type: string): string {
  return `content type ${type} is not accepted; send application/json or text/plain`;
}
