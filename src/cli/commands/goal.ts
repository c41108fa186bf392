/** `footfall goal add|list|remove`: conversion goals (custom event names or page path patterns). */
import { AppError } from '../../errors.js';
import { normalizeDomain } from '../../sites/site-input.js';
import type { Store } from '../../store/store.js';
import type { CliCommand } from '../command.js';
import { formatRows, parseFormat } from '../format.js';

const MAX_GOAL_LENGTH = 200;

async function siteOf(store: Store, domainArg: string | undefined, action: string) {
  if (!domainArg) throw new AppError('bad_request', `footfall goal ${action} needs a <domain>`);
  const domain = normalizeDomain(domainArg);
  const site = await store.getSite(domain);
  if (!site) throw new AppError('not_found', `no site ${domain}`);
  return site;
}

export const goalCommand: CliCommand = {
  name: 'goal',
  summary: 'add, list or remove conversion goals',
  usage: [
    'footfall goal add <domain> --event <name>       (a custom event, e.g. Signup)',
    'footfall goal add <domain> --page <pattern>     (a page path; * matches anything, e.g. /thanks*)',
    'footfall goal list <domain> [--format table|json|csv]',
    'footfall goal remove <domain> <id>',
  ].join('\n'),
  options: {
    event: { type: 'string' },
    page: { type: 'string' },
    format: { type: 'string' },
  },
  async run(ctx, { positionals, values }) {
    const [action, domainArg, idArg, ...extra] = positionals;
    if (extra.length > 0) throw new AppError('bad_request', `unexpected argument ${JSON.stringify(extra[0])}`);
    if (action === 'list') {
      const site = await siteOf(ctx.store, domainArg, action);
      const goals = await ctx.store.listGoals(site.id);
      ctx.stdout(formatRows(['id', 'kind', 'match', 'name'], goals.map((g) => [g.id, g.kind, g.match, g.displayName]), parseFormat(values.format)));
      return 0;
    }
    if (action === 'add') {
      if (idArg !== undefined) throw new AppError('bad_request', `unexpected argument ${JSON.stringify(idArg)}`);
      const site = await siteOf(ctx.store, domainArg, action);
      const event = values.event;
      const page = values.page;
      if ((event === undefined) === (page === undefined)) throw new AppError('bad_request', 'give exactly one of --event <name> or --page <pattern>');
      const match = String(event ?? page).trim();
      if (match.length === 0 || match.length > MAX_GOAL_LENGTH) throw new AppError('bad_request', `the goal must be 1 to ${MAX_GOAL_LENGTH} characters`);
      if (page !== undefined && !match.startsWith('/')) throw new AppError('bad_request', `--page: a path pattern starts with /, got ${JSON.stringify(match)}`);
      const goal = await ctx.store.addGoal(site.id, { kind: event !== undefined ? 'event' : 'page', match });
      ctx.stdout(`added goal ${goal.id}: ${goal.displayName}\n`);
      return 0;
    }
    if (action === 'remove') {
      const site = await siteOf(ctx.store, domainArg, action);
      const id = Number(idArg);
      if (!idArg || !Number.isInteger(id) || id < 1) throw new AppError('bad_request', 'footfall goal remove needs a goal <id> (see footfall goal list)');
      await ctx.store.removeGoal(site.id, id);
      ctx.stdout(`removed goal ${id}\n`);
      return 0;
    }
    throw new AppError('bad_request', `usage:\n${goalCommand.usage}`);
  },
};
