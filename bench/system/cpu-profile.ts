/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and sums where the process's busy time went:
 * self time per area (an npm package, node's internals, or the app bundle) and per function,
 * and inclusive time of the app's own functions (what each step costs with everything it
 * calls), so a bench run can say where the server's time goes without a profiler UI.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time that was not idle, ms. */
  busyMs: number;
  /** Percentages below are of busy time. */
  gcPct: number;
  areas: Array<{ name: string; pct: number }>;
  selfFunctions: Array<{ name: string; pct: number }>;
  /** Functions of the app bundle (dist/ or src/), by inclusive time. */
  appInclusive: Array<{ name: string; pct: number }>;
}

const MAX_NAME = 70;

/** The area a script URL belongs to: npm package, node internals, or the repo's folder. */
export function areaOf(url: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  const own = /\/((?:src|dist|bench)\/.+)$/.exec(url);
  if (own?.[1]) return own[1];
  return url.split('/').slice(-2).join('/');
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = (functionName || '(anonymous)').replace(/\s+/g, ' ');
  const short = name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}...` : name;
  return url ? `${short} ${areaOf(url)}:${lineNumber + 1}` : short;
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const areas = new Map<string, number>();
  const selfFunctions = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  let busy = 0;
  let gc = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    busy += us;
    if (node.callFrame.functionName === '(garbage collector)') gc += us;
    const { url, functionName } = node.callFrame;
    add(areas, url ? areaOf(url) : functionName.startsWith('RegExp:') ? '(regular expressions)' : functionName, us);
    add(selfFunctions, frameName(node), us);
    // Each app function on the stack once, however deep the recursion.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame || !/\/(dist|src)\//.test(frame.callFrame.url)) continue;
      const name = frameName(frame);
      if (!seen.has(name)) {
        seen.add(name);
        add(inclusive, name, us);
      }
    }
  });
  const pct = (us: number) => Math.round((us / Math.max(1, busy)) * 1000) / 10;
  const ranked = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, pct: pct(us) }));
  return {
    busyMs: Math.round(busy / 1000),
    gcPct: pct(gc),
    areas: ranked(areas),
    selfFunctions: ranked(selfFunctions),
    appInclusive: ranked(inclusive),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [`server CPU profile: ${summary.busyMs} ms busy (percentages of busy time), ${summary.gcPct}% GC`];
  const section = (title: string, rows: Array<{ name: string; pct: number }>) => {
    lines.push(`  ${title}:`);
    for (const r of rows) lines.push(`    ${r.pct.toFixed(1).padStart(5)}%  ${r.name}`);
  };
  section('self time by area', summary.areas);
  section('self time by function', summary.selfFunctions);
  section('app functions, inclusive', summary.appInclusive);
  return lines.join('\n');
}
