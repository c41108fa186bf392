/** `footfall report <name> --site <domain>`: the original app's six reports. */
import { AppError } from '../../errors.js';
import { parseReportName, parseReportOptions, REPORT_NAMES, runReport } from '../../query/reports.js';
import { normalizeDomain } from '../../sites/site-input.js';
import type { CliCommand } from '../command.js';
import { formatRows, parseFormat } from '../format.js';

export const reportCommand: CliCommand = {
  name: 'report',
  summary: `the original reports: ${REPORT_NAMES.join(', ')}`,
  usage: [
    'footfall report <name> --site <domain> [--range 7d|30d|day|month|YYYY-MM-DD,YYYY-MM-DD] [--format table|json|csv]',
    '                 [--by title|path] (top-pages) [--bucket-hours N] (hour-buckets) [--limit N]',
    `names: ${REPORT_NAMES.join(', ')}`,
  ].join('\n'),
  options: {
    site: { type: 'string' },
    range: { type: 'string' },
    format: { type: 'string' },
    by: { type: 'string' },
    'bucket-hours': { type: 'string' },
    limit: { type: 'string' },
  },
  async run(ctx, { positionals, values }) {
    const [nameArg, ...extra] = positionals;
    if (!nameArg) throw new AppError('bad_request', `footfall report needs a report name\nusage:\n${reportCommand.usage}`);
    if (extra.length > 0) throw new AppError('bad_request', `unexpected argument ${JSON.stringify(extra[0])}`);
    const name = parseReportName(nameArg);
    const format = parseFormat(values.format);
    if (typeof values.site !== 'string') throw new AppError('bad_request', '--site <domain> is required');
    const options = parseReportOptions(
      { range: values.range, by: values.by, bucketHours: values['bucket-hours'], limit: values.limit },
      { range: '--range', by: '--by', bucketHours: '--bucket-hours', limit: '--limit' },
    );
    const domain = normalizeDomain(values.site);
    const site = await ctx.store.getSite(domain);
    if (!site) throw new AppError('not_found', `no site ${domain} (footfall site list shows the sites)`);
    const result = await runReport({ store: ctx.store, clock: ctx.clock }, site, name, options);
    if (format === 'json') {
      ctx.stdout(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    // Paths read best as one arrow-joined cell in a table or a CSV field.
    const rows = result.rows.map((row) => row.map((cell) => (Array.isArray(cell) ? cell.join(' > ') : cell)));
    if (format === 'table') ctx.stdout(`${name} for ${result.site_id}, ${result.date_range[0]} to ${result.date_range[1]} (${result.time_zone})\n`);
    ctx.stdout(formatRows(result.columns, rows, format));
    return 0;
  },
};
