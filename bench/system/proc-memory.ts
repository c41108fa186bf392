/**
 * Memory of a process as the kernel sees it: resident set (VmRSS) from /proc/<pid>/status and
 * anonymous memory (heap, stacks, malloc arenas: the part that is really ours, not mapped
 * code of node and DuckDB) from /proc/<pid>/smaps_rollup. Linux only; values in MiB.
 */
import fs from 'node:fs';

export interface ProcessMemory {
  /** Resident set size, MiB. */
  rssMb: number;
  /** Anonymous resident memory, MiB. */
  anonMb: number;
}

function kbField(text: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Reads the memory of `pid`; undefined when the process is gone or /proc is unavailable. */
export function readProcessMemory(pid: number): ProcessMemory | undefined {
  try {
    const rssKb = kbField(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
    const anonKb = kbField(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Anonymous');
    if (rssKb === undefined || anonKb === undefined) return undefined;
    return { rssMb: rssKb / 1024, anonMb: anonKb / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * Polls a process's memory on a fixed interval and keeps the peaks, so that a short spike
 * between two reads of a single sample is not missed (at the interval's resolution).
 */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  peakRssMb = 0;
  peakAnonMb = 0;
  samples = 0;

  constructor(private readonly pid: number, private readonly intervalMs = 50) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  /** Stops polling (after one last sample) and returns the peaks. */
  stop(): ProcessMemory {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return { rssMb: this.peakRssMb, anonMb: this.peakAnonMb };
  }

  private sample(): void {
    const memory = readProcessMemory(this.pid);
    if (!memory) return;
    this.samples++;
    this.peakRssMb = Math.max(this.peakRssMb, memory.rssMb);
    this.peakAnonMb = Math.max(this.peakAnonMb, memory.anonMb);
  }
}
