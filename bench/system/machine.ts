/** What the bench ran on: enough to compare two results files fairly. */
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  platform: string;
  /** 1-minute load average when the bench started: other work on the machine skews results. */
  loadAverage: number;
}

export function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) cpuModel = match[1].trim();
  } catch {
    // Not Linux: os.cpus() is as good as it gets.
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel,
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: Number((os.loadavg()[0] ?? 0).toFixed(2)),
  };
}
