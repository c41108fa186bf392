/**
 * Export of a site's events as CSV or NDJSON text chunks, pulled from Store.stream one engine
 * chunk at a time: memory stays flat however many events there are. No PII columns (ip,
 * headers) unless the site is in raw mode. ts is ISO 8601 UTC; ids are decimal strings.
 */
import { AppError } from '../errors.js';
import type { Site } from '../store/site.js';
import { compileExport, exportColumns } from './compile/export-sql.js';
import { dialectFor } from './compile/dialects.js';
import type { QueryEnv } from './run-query.js';
import type { SiteRange } from './site-range.js';

export type ExportFormat = 'csv' | 'ndjson';

/** The `format` parameter (default ndjson); invalid_query naming `field` otherwise. */
export function parseExportFormat(value: unknown, field = 'format'): ExportFormat {
  const format = value ?? 'ndjson';
  if (format !== 'csv' && format !== 'ndjson') {
    throw new AppError('invalid_query', `${field}: expected "csv" or "ndjson", got ${JSON.stringify(format)}`, { field });
  }
  return format;
}

/**
 * Yields the export as text chunks (a header line first for CSV). Abandoning the iterator
 * (client gone) closes the underlying stream.
 */
export async function* exportEvents(env: QueryEnv, site: Site, range: SiteRange, format: ExportFormat): AsyncGenerator<string> {
  const compiled = compileExport(dialectFor(env.store.dialect), site.id, range.utc, site.raw, format);
  if (format === 'csv') yield exportColumns(site.raw).join(',') + '\n';
  for await (const rows of env.store.stream(compiled.sql, compiled.params)) {
    let text = '';
    for (const row of rows) text += `${String(row.line)}\n`;
    yield text;
  }
}
