/** `footfall site add|list|remove`: register the sites whose hits are counted. */
import { AppError } from '../../errors.js';
import { normalizeDomain, validateTimezone } from '../../sites/site-input.js';
import type { CliCommand } from '../command.js';
import { formatRows, parseFormat } from '../format.js';

export const siteCommand: CliCommand = {
  name: 'site',
  summary: 'add, list or remove sites',
  usage: [
    'footfall site add <domain> [--timezone <IANA>] [--raw]',
    'footfall site list [--format table|json|csv]',
    'footfall site remove <domain>     (deletes its events too)',
  ].join('\n'),
  options: {
    timezone: { type: 'string' },
    raw: { type: 'boolean' },
    format: { type: 'string' },
  },
  async run(ctx, { positionals, values }) {
    const [action, domainArg, ...extra] = positionals;
    if (extra.length > 0) throw new AppError('bad_request', `unexpected argument ${JSON.stringify(extra[0])}`);
    if (action === 'list') {
      const sites = await ctx.store.listSites();
      const rows = sites.map((s) => [s.id, s.domain, s.timezone, s.raw ? 'raw' : 'private', new Date(s.createdAt).toISOString()]);
      ctx.stdout(formatRows(['id', 'domain', 'timezone', 'mode', 'created_at'], rows, parseFormat(values.format)));
      return 0;
    }
    if (action !== 'add' && action !== 'remove') {
      throw new AppError('bad_request', `usage:\n${siteCommand.usage}`);
    }
    if (!domainArg) throw new AppError('bad_request', `footfall site ${action} needs a <domain>`);
    const domain = normalizeDomain(domainArg);
    if (action === 'add') {
      const timezone = validateTimezone(typeof values.timezone === 'string' ? values.timezone : 'UTC');
      const site = await ctx.store.addSite({ domain, timezone, raw: values.raw === true });
      ctx.stdout(`added ${site.domain} (time zone ${site.timezone}${site.raw ? ', raw mode: IP and headers are stored' : ''})\n`);
      return 0;
    }
    await ctx.store.removeSite(domain);
    ctx.stdout(`removed ${domain} and all its events\n`);
    return 0;
  },
};
