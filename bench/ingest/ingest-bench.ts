/**
 * The ingest and memory bench: the bare node:http baseline and the real `footfall serve`,
 * loaded in the same run with the same request mix from the other core.
 *
 * 1. both servers start; Footfall's idle memory is read before any traffic;
 * 2. warm-up, then max-rate rounds with wrk, bare and Footfall alternating within each round
 *    (the medians are reported, so a noisy neighbour on the machine hits both sides alike);
 * 3. constant-rate load at half of Footfall's maximum (as many runs as rounds, median):
 *    p99 from each request's due time, and the bare server's p99 at the same rate as the floor;
 * 4. constant-rate load at ~10k requests/s: peak memory under sustained load;
 * 5. SIGTERM (the server flushes what it acknowledged), then stored events are counted with
 *    the CLI and compared with the acknowledged count from /metrics.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { IngestOptions } from '../options.js';
import type { Progress } from '../progress.js';
import type { IngestResults, MemoryResults } from '../results.js';
import { stopChild, waitForOutput } from '../system/child-process.js';
import { pinned, type Pinning } from '../system/cpu-pinning.js';
import { MemorySampler, readProcessMemory } from '../system/proc-memory.js';
import { runLoadClient } from './load-client-runner.js';
import { countStoredEvents, metricSum, registerSites, scrapeMetrics, startFootfall } from './footfall-server.js';
import { buildRequestMix } from './request-mix.js';
import { runWrk } from './wrk.js';
import { median } from '../stats.js';

export interface IngestBenchContext {
  options: IngestOptions;
  pinning: Pinning;
  workDir: string;
  scripts: { bareServer: string; loadClient: string };
  /** Max-rate runs with wrk (else the bench's own closed-loop client). */
  useWrk: boolean;
  progress: Progress;
  /** When set, the server runs under node --cpu-prof writing into this directory. */
  profileDir?: string;
}

export interface IngestBenchOutput {
  ingest: IngestResults;
  memory: Pick<MemoryResults, 'idle_mb' | 'idle_anon_mb' | 'load_mb' | 'load_anon_mb' | 'max_rate_mb'>;
  notes: string[];
  /** The server's CPU profile, when profiling was asked for. */
  profileFile?: string;
}

/** What a max-rate run yields, from wrk or from the bench's closed-loop client. */
interface MaxRate {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  socketErrors: number;
}

/** Share of the maximum rate used for the sustained-load memory run when 10k/s is out of reach. */
const SUSTAINABLE_SHARE = 0.7;

const round1 = (n: number) => Math.round(n * 10) / 10;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

async function startBare(script: string, pinning: Pinning) {
  const [command, args] = pinned(pinning, 'server', process.execPath, [script]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const match = await waitForOutput(child, /listening on (http:\/\/\S+)/, 15_000, 'bare node:http server');
  child.stdout.resume();
  child.stderr.resume();
  return { child, url: match[1]! };
}

export async function runIngestBench(ctx: IngestBenchContext): Promise<IngestBenchOutput> {
  const { options, pinning, progress } = ctx;
  const notes: string[] = [];
  const mix = buildRequestMix({ count: options.mixSize, sites: options.sites, seed: options.seed });
  const gifs = mix.requests.filter((r) => r.method === 'GET').length;
  progress.step(`ingest: request mix of ${mix.requests.length} requests (${gifs} /a.gif, ${mix.requests.length - gifs} /api/event) over ${mix.domains.length} sites`);

  const dataDir = path.join(ctx.workDir, 'footfall-data');
  const loadDir = path.join(ctx.workDir, 'load');
  fs.mkdirSync(loadDir, { recursive: true });
  await registerSites(dataDir, mix.domains);

  const bare = await startBare(ctx.scripts.bareServer, pinning);
  let footfall: Awaited<ReturnType<typeof startFootfall>> | undefined;
  try {
    const nodeArgs = ctx.profileDir ? ['--cpu-prof', '--cpu-prof-dir', ctx.profileDir] : [];
    footfall = await startFootfall(dataDir, pinning, nodeArgs);
    progress.step(`ingest: footfall serve (pid ${footfall.pid}) at ${footfall.url}, bare node:http at ${bare.url}`);

    // Idle: up, sites and salts loaded, no traffic yet. A short pause lets start-up garbage go.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = readProcessMemory(footfall.pid);

    const client = (mode: 'constant' | 'closed', url: string, rate: number, durationSec: number, warmupSec: number) => runLoadClient({
      mode, url, rate, durationSec, warmupSec, connections: options.connections, requests: mix.requests, workDir: loadDir, pinning,
      script: ctx.scripts.loadClient,
    });
    const maxRate = async (url: string, durationSec: number): Promise<MaxRate> => {
      if (ctx.useWrk) return runWrk({ url, requests: mix.requests, durationSec, connections: options.connections, workDir: loadDir, pinning });
      const r = await client('closed', url, 0, durationSec, 0);
      return { rps: r.achievedRps, p50Ms: r.p50Ms, p99Ms: r.p99Ms, non2xx: r.non2xx, socketErrors: r.errors + r.timedOut };
    };
    let footfallErrors = 0;
    let footfallTimeouts = 0;
    const countErrors = (r: { non2xx: number; socketErrors?: number; errors?: number; timedOut?: number }) => {
      footfallErrors += r.non2xx + (r.socketErrors ?? 0) + (r.errors ?? 0);
      footfallTimeouts += r.timedOut ?? 0;
    };

    progress.step(`ingest: warm-up ${options.warmupSec}s per server`);
    await maxRate(bare.url, options.warmupSec);
    countErrors(await maxRate(footfall.url, options.warmupSec));

    const rounds: Array<{ bare: MaxRate; footfall: MaxRate }> = [];
    const maxRateMemory = new MemorySampler(footfall.pid);
    for (let round = 1; round <= options.rounds; round++) {
      const b = await maxRate(bare.url, options.roundSec);
      maxRateMemory.start();
      const f = await maxRate(footfall.url, options.roundSec);
      maxRateMemory.stop();
      countErrors(f);
      rounds.push({ bare: b, footfall: f });
      progress.step(`ingest: round ${round}/${options.rounds}: bare ${Math.round(b.rps).toLocaleString('en-US')} req/s, footfall ${Math.round(f.rps).toLocaleString('en-US')} req/s (p99 ${f.p99Ms.toFixed(1)} ms)`);
    }
    const bareRps = median(rounds.map((r) => r.bare.rps));
    const footfallRps = median(rounds.map((r) => r.footfall.rps));
    const p50 = median(rounds.map((r) => r.footfall.p50Ms));
    const p99 = median(rounds.map((r) => r.footfall.p99Ms));

    const constant = (rate: number) => client('constant', footfall!.url, rate, options.constantSec, options.warmupSec);
    const halfRate = Math.max(1, Math.round(footfallRps / 2));
    // Several shorter runs and their median: one burst from elsewhere on the machine then spoils one run, not the figure.
    // The bare server at the same rate is the floor: what the machine and the client add by themselves.
    const halves = [];
    const bareHalves = [];
    for (let round = 1; round <= options.rounds; round++) {
      const bareHalf = await client('constant', bare.url, halfRate, options.constantSec, options.warmupSec);
      bareHalves.push(bareHalf);
      const half = await constant(halfRate);
      countErrors(half);
      halves.push(half);
      progress.step(`ingest: constant rate ${halfRate.toLocaleString('en-US')} req/s (half of max), run ${round}/${options.rounds}: ` +
        `p99 footfall ${half.p99Ms.toFixed(2)} ms, bare ${bareHalf.p99Ms.toFixed(2)} ms`);
    }
    const halfP99 = median(halves.map((h) => h.p99Ms));
    const worstLag = Math.max(...halves.map((h) => h.maxSendLagMs));
    if (worstLag > 5) notes.push(`the constant-rate client fell ${worstLag.toFixed(1)} ms behind its own schedule at worst: part of the half-load tail is the machine's, not the server's`);

    // Sustained load for memory: ~10k/s, or a share of the maximum when the server cannot do 10k.
    // Sustained means the server keeps up: near its maximum a backlog grows and memory measures the queue instead.
    const sustainedRate = Math.max(1, Math.round(Math.min(options.sustainedRps, footfallRps * SUSTAINABLE_SHARE)));
    if (sustainedRate < options.sustainedRps) {
      notes.push(`sustained-load memory measured at ${sustainedRate} req/s (${SUSTAINABLE_SHARE * 100}% of max): Footfall's maximum is below the ${options.sustainedRps}/s target`);
    }
    progress.step(`ingest: sustained ${sustainedRate.toLocaleString('en-US')} req/s for ${options.constantSec}s (memory)`);
    const loadMemory = new MemorySampler(footfall.pid).start();
    const sustained = await constant(sustainedRate);
    const load = loadMemory.stop();
    countErrors(sustained);

    const metrics = await scrapeMetrics(footfall.url);
    const acknowledged = metricSum(metrics, 'footfall_events_accepted_total');
    const dropped = metricSum(metrics, 'footfall_events_dropped_total');
    const flushes = metricSum(metrics, 'footfall_flush_seconds_count');
    const flushSeconds = metricSum(metrics, 'footfall_flush_seconds_sum');
    progress.step(`ingest: ${acknowledged.toLocaleString('en-US')} events acknowledged (${dropped.toLocaleString('en-US')} dropped); stopping footfall (SIGTERM) and counting with footfall sql`);
    const code = await footfall.stop();
    footfall = undefined;
    if (code !== 0) notes.push(`footfall serve exited with code ${code} on SIGTERM`);
    const stored = await countStoredEvents(dataDir);
    if (stored !== acknowledged) notes.push(`stored (${stored}) != acknowledged (${acknowledged})`);
    if (footfallErrors > 0) notes.push(`${footfallErrors} Footfall requests failed or got a non-2xx answer during the load`);
    if (footfallTimeouts > 0) notes.push(`${footfallTimeouts} Footfall requests of the constant-rate runs were still unanswered 5 s after the run: the server fell behind`);
    const profile = ctx.profileDir ? fs.readdirSync(ctx.profileDir).find((f) => f.endsWith('.cpuprofile')) : undefined;
    if (ctx.profileDir) notes.push('the server ran under node --cpu-prof: its figures are lower than without the profiler');

    return {
      ingest: {
        footfall_rps: Math.round(footfallRps),
        bare_rps: Math.round(bareRps),
        ratio: round3(footfallRps / bareRps),
        p50_ms: round3(p50),
        p99_ms: round3(p99),
        p99_ms_half_load: round3(halfP99),
        p50_ms_half_load: round3(median(halves.map((h) => h.p50Ms))),
        half_load_rps: Math.round(median(halves.map((h) => h.achievedRps))),
        p99_ms_half_load_runs: halves.map((h) => round3(h.p99Ms)),
        bare_p99_ms_half_load: round3(median(bareHalves.map((h) => h.p99Ms))),
        acknowledged,
        stored,
        dropped,
        errors: footfallErrors,
        timeouts: footfallTimeouts,
        sustained_rps: Math.round(sustained.achievedRps),
        flushes,
        flush_mean_ms: flushes > 0 ? round1((flushSeconds / flushes) * 1000) : null,
        rounds: rounds.map((r) => ({ bare_rps: Math.round(r.bare.rps), footfall_rps: Math.round(r.footfall.rps) })),
      },
      memory: {
        idle_mb: idle ? round1(idle.rssMb) : null,
        idle_anon_mb: idle ? round1(idle.anonMb) : null,
        load_mb: round1(load.rssMb),
        load_anon_mb: round1(load.anonMb),
        max_rate_mb: round1(maxRateMemory.peakRssMb),
      },
      notes,
      profileFile: profile && ctx.profileDir ? path.join(ctx.profileDir, profile) : undefined,
    };
  } finally {
    if (footfall) await stopChild(footfall.child, 'SIGKILL');
    await stopChild(bare.child, 'SIGTERM', 5000);
  }
}
