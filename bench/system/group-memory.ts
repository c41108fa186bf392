/**
 * Memory of a changing group of processes (a Postgres server's backends): polls their ids now
 * and then, samples every member's VmRSS and RssAnon from /proc/<pid>/status (readable for
 * another user's processes, unlike smaps_rollup) and keeps the peak of the sums. RssAnon is
 * the backend's private memory; VmRSS also counts the shared buffers it touched, which every
 * backend shares, so summed RSS overstates and summed anonymous memory is the useful figure.
 */
import fs from 'node:fs';

export interface GroupMemory {
  rssMb: number;
  anonMb: number;
  /** Distinct processes seen. */
  processes: number;
}

function statusMb(pid: number): { rss: number; anon: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(text)?.[1];
    const anon = /^RssAnon:\s+(\d+)\s+kB/m.exec(text)?.[1];
    if (rss === undefined || anon === undefined) return undefined;
    return { rss: Number(rss) / 1024, anon: Number(anon) / 1024 };
  } catch {
    return undefined;
  }
}

export class GroupMemorySampler {
  private pids = new Set<number>();
  private seen = new Set<number>();
  private sampleTimer: NodeJS.Timeout | undefined;
  private listTimer: NodeJS.Timeout | undefined;
  private peak = { rssMb: 0, anonMb: 0 };

  constructor(private readonly listPids: () => Promise<number[]>, private readonly sampleMs = 50, private readonly listMs = 500) {}

  start(): this {
    const list = () => {
      this.listPids().then((pids) => {
        this.pids = new Set(pids);
        for (const pid of pids) this.seen.add(pid);
      }, () => undefined);
    };
    list();
    this.listTimer = setInterval(list, this.listMs);
    this.sampleTimer = setInterval(() => this.sample(), this.sampleMs);
    return this;
  }

  stop(): GroupMemory {
    clearInterval(this.sampleTimer);
    clearInterval(this.listTimer);
    this.sample();
    return { ...this.peak, processes: this.seen.size };
  }

  private sample(): void {
    let rss = 0;
    let anon = 0;
    for (const pid of this.pids) {
      const m = statusMb(pid);
      if (!m) continue;
      rss += m.rss;
      anon += m.anon;
    }
    this.peak = { rssMb: Math.max(this.peak.rssMb, rss), anonMb: Math.max(this.peak.anonMb, anon) };
  }
}
