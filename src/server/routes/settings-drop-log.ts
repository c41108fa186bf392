/**
 * The drop log: why hits were not counted, per reason and UTC day. The collector only keeps
 * counters since start (ingestor.metrics); this samples them every minute, adds the growth to
 * the current day and keeps the days in <data>/drop-log.json so they survive restarts.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { assertAdmin } from '../../accounts/principal.js';
import type { AppDeps } from '../deps.js';
import { requirePrincipal } from '../session/principal-from-session.js';

const SAMPLE_MS = 60_000;
const KEEP_DAYS = 90;

/** day 'YYYY-MM-DD' (UTC) -> reason -> hits dropped. */
type Days = Record<string, Record<string, number>>;

/** Per-day drop counts derived from the collector's since-start counters. */
export class DropLog {
  private days: Days;
  private last = new Map<string, number>();
  private readonly file: string;

  constructor(dataDir: string, private readonly deps: Pick<AppDeps, 'ingestor' | 'clock'>) {
    this.file = path.join(dataDir, 'drop-log.json');
    this.days = this.read();
  }

  /** Adds the counters' growth since the last sample to today; writes the file if anything changed. */
  sample(): void {
    const day = new Date(this.deps.clock.now()).toISOString().slice(0, 10);
    let changed = false;
    for (const [reason, total] of this.deps.ingestor.metrics.dropped) {
      const delta = total - (this.last.get(reason) ?? 0);
      this.last.set(reason, total);
      if (delta <= 0) continue;
      const counts = (this.days[day] ??= {});
      counts[reason] = (counts[reason] ?? 0) + delta;
      changed = true;
    }
    if (changed) this.write();
  }

  /** Days, newest first, each with its counts per reason. */
  list(): Array<{ day: string; reasons: Record<string, number> }> {
    this.sample();
    return Object.keys(this.days).sort().reverse().map((day) => ({ day, reasons: { ...this.days[day] } }));
  }

  private read(): Days {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Days;
    } catch {
      // missing or unreadable: start a new log
    }
    return {};
  }

  private write(): void {
    for (const day of Object.keys(this.days).sort().slice(0, -KEEP_DAYS)) delete this.days[day];
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.days));
      renameSync(tmp, this.file);
    } catch {
      // The log is informative only; a full disk must not break the dashboard.
    }
  }
}

/** GET /api/ui/drops (admins): totals since start and per-day counts; samples every minute. */
export async function settingsDropLogRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const log = new DropLog(deps.config.dataDir, deps);
  const timer = setInterval(() => log.sample(), SAMPLE_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    log.sample();
  });

  app.get('/api/ui/drops', async (request) => {
    assertAdmin(await requirePrincipal(request, deps));
    const totals = Object.fromEntries(deps.ingestor.metrics.dropped);
    return { since_start: totals, rejected_since_start: deps.ingestor.metrics.rejected, days: log.list() };
  });
}
