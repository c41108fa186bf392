/** `footfall key create|list|revoke`: API keys for /api/v2 (shown once, stored as sha256). */
import { AppError } from '../../errors.js';
import { generateApiKey } from '../../query/access.js';
import { normalizeDomain } from '../../sites/site-input.js';
import type { CliCommand } from '../command.js';
import { formatRows, parseFormat } from '../format.js';

export const keyCommand: CliCommand = {
  name: 'key',
  summary: 'create, list or revoke API keys',
  usage: [
    'footfall key create --name <name> [--site <domain>]... [--admin]   (prints the key once)',
    'footfall key list [--format table|json|csv]',
    'footfall key revoke <id>',
  ].join('\n'),
  options: {
    name: { type: 'string' },
    site: { type: 'string', multiple: true },
    admin: { type: 'boolean' },
    format: { type: 'string' },
  },
  async run(ctx, { positionals, values }) {
    const [action, arg, ...extra] = positionals;
    if (extra.length > 0) throw new AppError('bad_request', `unexpected argument ${JSON.stringify(extra[0])}`);
    if (action === 'create') {
      if (arg !== undefined) throw new AppError('bad_request', `unexpected argument ${JSON.stringify(arg)}`);
      const name = typeof values.name === 'string' ? values.name.trim() : '';
      if (!name || name.length > 100) throw new AppError('bad_request', '--name <name> is required (1 to 100 characters)');
      const admin = values.admin === true;
      const domains = Array.isArray(values.site) ? values.site : [];
      if (admin && domains.length > 0) throw new AppError('bad_request', 'an --admin key sees every site; drop --site');
      const siteIds: number[] = [];
      for (const d of domains) {
        const domain = normalizeDomain(d);
        const site = await ctx.store.getSite(domain);
        if (!site) throw new AppError('not_found', `no site ${domain}`);
        siteIds.push(site.id);
      }
      const secret = generateApiKey();
      const key = await ctx.store.createApiKey({ name, prefix: secret.prefix, keyHash: secret.keyHash, admin, siteIds });
      const scope = admin ? 'admin (all sites, SQL console)' : domains.length ? `sites ${domains.map(normalizeDomain).join(', ')}` : 'all sites';
      ctx.stderr(`created key ${key.id} "${name}" for ${scope}; it is shown only this once:\n`);
      ctx.stdout(`${secret.key}\n`);
      return 0;
    }
    if (action === 'list') {
      const [keys, sites] = await Promise.all([ctx.store.listApiKeys(), ctx.store.listSites()]);
      const domainOf = new Map(sites.map((s) => [s.id, s.domain]));
      const rows = keys.map((k) => [
        k.id, k.name, `${k.prefix}...`, k.admin ? 'admin' : k.siteIds.length ? k.siteIds.map((id) => domainOf.get(id) ?? `#${id}`).join(' ') : 'all sites',
        new Date(k.createdAt).toISOString(),
      ]);
      ctx.stdout(formatRows(['id', 'name', 'key', 'scope', 'created_at'], rows, parseFormat(values.format)));
      return 0;
    }
    if (action === 'revoke') {
      const id = Number(arg);
      if (!arg || !Number.isInteger(id) || id < 1) throw new AppError('bad_request', 'footfall key revoke needs a key <id> (see footfall key list)');
      await ctx.store.revokeApiKey(id);
      ctx.stdout(`revoked key ${id}\n`);
      return 0;
    }
    throw new AppError('bad_request', `usage:\n${keyCommand.usage}`);
  },
};
