/** `footfall sql "<query>"`: the read-only SQL console over the raw events. */
import { AppError } from '../../errors.js';
import type { CliCommand } from '../command.js';
import { formatRows, parseFormat } from '../format.js';

/** Console limits; the HTTP console uses the same ones. */
export const SQL_CONSOLE_LIMITS = { timeoutMs: 10_000, maxRows: 10_000 };

export const sqlCommand: CliCommand = {
  name: 'sql',
  summary: 'run a read-only SQL query over the events',
  usage: 'footfall sql "<query>" [--format table|json|csv] [--timeout-ms N]',
  options: { format: { type: 'string' }, 'timeout-ms': { type: 'string' } },
  async run(ctx, { positionals, values }) {
    const format = parseFormat(values.format);
    const sql = positionals.join(' ').trim();
    if (!sql) throw new AppError('bad_request', 'footfall sql needs a query, e.g. footfall sql "select count(*) from events"');
    const timeoutMs = values['timeout-ms'] === undefined ? SQL_CONSOLE_LIMITS.timeoutMs : Number(values['timeout-ms']);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) {
      throw new AppError('bad_request', '--timeout-ms must be an integer from 1 to 600000');
    }
    const result = await ctx.store.readOnlySql(sql, { ...SQL_CONSOLE_LIMITS, timeoutMs });
    ctx.stdout(formatRows(result.columns, result.rows, format));
    if (result.truncated) ctx.stderr(`(cut at ${SQL_CONSOLE_LIMITS.maxRows} rows)\n`);
    return 0;
  },
};
