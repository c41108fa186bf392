/**
 * How a CLI finds the server that holds a data dir: `footfall serve` writes server.json
 * (mode 0600: it holds a local admin token) and removes it on a clean stop. A stale file
 * (its pid is gone) is ignored.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ServerLink {
  pid: number;
  /** Base URL of the running server, reachable from this machine. */
  url: string;
  /** Bearer token with admin rights, for this machine's CLI only. */
  token: string;
}

export function serverLinkPath(dataDir: string): string {
  return path.join(dataDir, 'server.json');
}

export function writeServerLink(dataDir: string, link: ServerLink): void {
  const file = serverLinkPath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(link), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function removeServerLink(dataDir: string, pid: number): void {
  const link = readLinkFile(dataDir);
  if (link && link.pid === pid) fs.rmSync(serverLinkPath(dataDir), { force: true });
}

/** The live server for this data dir, or undefined. */
export function readServerLink(dataDir: string): ServerLink | undefined {
  const link = readLinkFile(dataDir);
  if (!link) return undefined;
  try {
    process.kill(link.pid, 0);
    return link;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? link : undefined;
  }
}

function readLinkFile(dataDir: string): ServerLink | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(serverLinkPath(dataDir), 'utf8')) as Partial<ServerLink>;
    if (typeof parsed.pid === 'number' && typeof parsed.url === 'string' && typeof parsed.token === 'string') {
      return parsed as ServerLink;
    }
  } catch {
    // missing or half-written: no server
  }
  return undefined;
}
