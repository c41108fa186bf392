/**
 * Reads a closed spool segment (newline-delimited JSON, one EventRow per line) in chunks of raw
 * lines, for the stores that send the rows to their server as JSON text (Postgres, ClickHouse).
 * A line that is not a JSON event — above all the last one, cut short when the process died
 * mid-write — is skipped, the same as DuckDB's read_json(ignore_errors) does.
 */
import fs from 'node:fs';

const INTEGER_TEXT = /^-?\d{1,19}$/;

/** True when `line` parses as an event row with the fields every store needs. */
export function isEventLine(line: string): boolean {
  if (line.length < 2 || line.charCodeAt(0) !== 0x7b /* { */) return false;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return Number.isInteger(row.site_id) && Number.isFinite(row.ts) && typeof row.name === 'string'
    && typeof row.visitor_id === 'string' && INTEGER_TEXT.test(row.visitor_id)
    && typeof row.session_id === 'string' && INTEGER_TEXT.test(row.session_id);
}

/**
 * Yields the valid lines of the segment file in chunks of at most `chunkRows` lines, reading the
 * file as a stream so memory stays bounded by one chunk. (Splitting by hand: readline costs
 * about as much again as the JSON validation.)
 */
export async function* readSegmentChunks(filePath: string, chunkRows: number): AsyncGenerator<string[]> {
  const input = fs.createReadStream(filePath, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let chunk: string[] = [];
  let rest = '';
  try {
    for await (const data of input as AsyncIterable<string>) {
      const text = rest + data;
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        const line = text.slice(start, end).replace(/\r$/, '');
        start = end + 1;
        if (!isEventLine(line)) continue;
        chunk.push(line);
        if (chunk.length >= chunkRows) {
          yield chunk;
          chunk = [];
        }
      }
      rest = text.slice(start);
    }
    // A last line without its newline is kept when it is whole; cut short, it fails to parse.
    if (isEventLine(rest)) chunk.push(rest);
    if (chunk.length > 0) yield chunk;
  } finally {
    input.destroy();
  }
}
