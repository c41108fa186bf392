/** `footfall user add|list|remove|password`: dashboard accounts. Passwords come from stdin, never argv. */
import { hashPassword, validatePassword } from '../../accounts/password.js';
import { normalizeEmail, parseRole } from '../../accounts/user-input.js';
import { AppError } from '../../errors.js';
import { normalizeDomain } from '../../sites/site-input.js';
import type { CliCommand, CommandContext } from '../command.js';
import { formatRows, parseFormat } from '../format.js';

/** The password piped on stdin: its first line (so `echo pw |` works). */
function passwordFromStdin(ctx: CommandContext): string {
  const line = (ctx.stdin ?? '').split(/\r?\n/)[0] ?? '';
  if (line === '') throw new AppError('bad_request', 'pipe the password on stdin, e.g. `printf %s "$PW" | footfall user add ...`');
  return validatePassword(line);
}

async function siteIds(ctx: CommandContext, domains: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const d of domains) {
    const site = await ctx.store.getSite(normalizeDomain(d));
    if (!site) throw new AppError('bad_request', `--site: no site ${JSON.stringify(d)}`);
    ids.push(site.id);
  }
  return ids;
}

/** The `user` command; `readsStdin` makes the CLI pass the piped password along. */
export const userCommand: CliCommand = {
  name: 'user',
  summary: 'add, list or remove dashboard users',
  usage: [
    'footfall user add <email> --role admin|member|viewer [--site <domain>]...   (password on stdin)',
    'footfall user list [--format table|json|csv]',
    'footfall user password <email>                                              (new password on stdin)',
    'footfall user remove <email>',
  ].join('\n'),
  options: {
    role: { type: 'string' },
    site: { type: 'string', multiple: true },
    format: { type: 'string' },
  },
  readsStdin: true,
  async run(ctx, { positionals, values }) {
    const [action, emailArg, ...extra] = positionals;
    if (extra.length > 0) throw new AppError('bad_request', `unexpected argument ${JSON.stringify(extra[0])}`);
    if (action === 'list') {
      const sites = new Map((await ctx.store.listSites()).map((s) => [s.id, s.domain]));
      const users = await ctx.store.listUsers();
      const rows = users.map((u) => [u.email, u.role, u.role === 'admin' ? '(all)' : u.siteIds.map((id) => sites.get(id) ?? `#${id}`).join(' ')]);
      ctx.stdout(formatRows(['email', 'role', 'sites'], rows, parseFormat(values.format)));
      return 0;
    }
    if (action !== 'add' && action !== 'remove' && action !== 'password') throw new AppError('bad_request', `usage:\n${userCommand.usage}`);
    if (!emailArg) throw new AppError('bad_request', `footfall user ${action} needs an <email>`);
    const email = normalizeEmail(emailArg);
    if (action === 'add') {
      const role = parseRole(values.role);
      const domains = Array.isArray(values.site) ? values.site : [];
      if (role === 'admin' && domains.length > 0) throw new AppError('bad_request', '--site: admins see every site; leave it out');
      const passwordHash = await hashPassword(passwordFromStdin(ctx));
      const user = await ctx.store.createUser({ email, passwordHash, role, siteIds: await siteIds(ctx, domains) });
      ctx.stdout(`added ${user.email} (${user.role}${domains.length ? `: ${domains.join(', ')}` : ''})\n`);
      return 0;
    }
    const user = await ctx.store.findUserByEmail(email);
    if (!user) throw new AppError('not_found', `no user ${email}`);
    if (action === 'password') {
      await ctx.store.updateUser(user.id, { passwordHash: await hashPassword(passwordFromStdin(ctx)) });
      ctx.stdout(`changed the password of ${email}\n`);
      return 0;
    }
    await ctx.store.deleteUser(user.id);
    ctx.stdout(`removed ${email}\n`);
    return 0;
  },
};
