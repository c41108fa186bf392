/** Output formats shared by the CLI commands: table, json, csv. */
import { AppError } from '../errors.js';

export type OutputFormat = 'table' | 'json' | 'csv';

export function parseFormat(value: unknown): OutputFormat {
  const format = value === undefined ? 'table' : String(value);
  if (format !== 'table' && format !== 'json' && format !== 'csv') {
    throw new AppError('bad_request', `--format must be table, json or csv, got ${JSON.stringify(format)}`);
  }
  return format;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** RFC 4180 field quoting. */
export function csvField(value: unknown): string {
  const text = cellText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatRows(columns: string[], rows: unknown[][], format: OutputFormat): string {
  if (format === 'json') {
    return `${JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]))), null, 2)}\n`;
  }
  if (format === 'csv') {
    return [columns, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
  }
  const cells = [columns, ...rows.map((row) => row.map(cellText))];
  const widths = columns.map((_, i) => Math.min(80, Math.max(...cells.map((r) => String(r[i] ?? '').length))));
  const line = (row: unknown[]) => row.map((v, i) => String(v ?? '').slice(0, 80).padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  return `${out.join('\n')}\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
}
