/**
 * `footfall generate`: deterministic synthetic traffic. Without --out, inserts the events (bots
 * excluded, as the collector drops them) into the store, creating site1.example ... as needed;
 * with --out, writes NDJSON (EventRow per line, the spool format; --hits writes the raw hits,
 * bots included, instead).
 */
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { defaultSites, generateEvents, type GeneratorSite } from '../../generate/generate-events.js';
import { parseDay } from '../../query/date-range.js';
import type { EventRow } from '../../store/event-row.js';
import type { CliCommand, CommandValues } from '../command.js';

const BATCH = 50_000;
const DAY_MS = 86_400_000;

function intValue(values: CommandValues, name: string, fallback: number, min: number, max: number): number {
  const value = values[name];
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new AppError('bad_request', `--${name} must be an integer from ${min} to ${max}`);
  return n;
}

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'generate deterministic synthetic events (for demos and benchmarks)',
  usage: 'footfall generate --events N [--sites K] [--days D] [--seed S] [--end YYYY-MM-DD] [--out file.ndjson [--hits]]',
  options: {
    events: { type: 'string' },
    sites: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    end: { type: 'string' },
    out: { type: 'string' },
    hits: { type: 'boolean' },
  },
  async run(ctx, { positionals, values }) {
    if (positionals.length > 0) throw new AppError('bad_request', `unexpected argument ${JSON.stringify(positionals[0])}`);
    if (values.events === undefined) throw new AppError('bad_request', `--events N is required\nusage:\n${generateCommand.usage}`);
    const events = intValue(values, 'events', 0, 1, 1_000_000_000);
    const siteCount = intValue(values, 'sites', 3, 1, 1000);
    const days = intValue(values, 'days', 30, 1, 3660);
    const seed = intValue(values, 'seed', 1, 0, 0xffffffff);
    // The window ends at the end of --end (UTC) or now.
    const endMs = typeof values.end === 'string' ? (parseDay(values.end, '--end') + 1) * DAY_MS : ctx.clock.now();
    if (values.hits === true && typeof values.out !== 'string') throw new AppError('bad_request', '--hits needs --out');
    const started = Date.now();

    if (typeof values.out === 'string') {
      const file = path.resolve(values.out);
      const out = fs.createWriteStream(file);
      let written = 0;
      for (const e of generateEvents({ seed, events, sites: defaultSites(siteCount), days, endMs })) {
        if (values.hits !== true && e.hit.bot) continue;
        if (!out.write(JSON.stringify(values.hits === true ? e.hit : e.row) + '\n')) await once(out, 'drain');
        written++;
      }
      out.end();
      await once(out, 'finish');
      ctx.stdout(`wrote ${written} ${values.hits === true ? 'hits' : 'events'} to ${file} in ${Date.now() - started} ms\n`);
      return 0;
    }

    const sites: GeneratorSite[] = [];
    for (const spec of defaultSites(siteCount)) {
      // An existing site keeps its time zone and mode; the traffic follows them.
      const site = (await ctx.store.getSite(spec.domain)) ?? (await ctx.store.addSite({ domain: spec.domain, timezone: spec.timezone, raw: spec.raw }));
      sites.push({ id: site.id, domain: site.domain, timezone: site.timezone, raw: site.raw });
    }
    let batch: EventRow[] = [];
    let inserted = 0;
    let bots = 0;
    for (const e of generateEvents({ seed, events, sites, days, endMs })) {
      if (e.hit.bot) {
        bots++;
        continue;
      }
      batch.push(e.row);
      if (batch.length >= BATCH) {
        await ctx.store.insertEvents(batch);
        inserted += batch.length;
        batch = [];
      }
    }
    await ctx.store.insertEvents(batch);
    inserted += batch.length;
    ctx.stdout(`inserted ${inserted} events into ${sites.map((s) => s.domain).join(', ')} (${bots} bot hits dropped) in ${Date.now() - started} ms\n`);
    return 0;
  },
};
