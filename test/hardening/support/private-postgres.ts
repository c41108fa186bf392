/**
 * A throwaway PostgreSQL cluster in a temp dir, for tests that stop and start the server under
 * a running collector. The shared cluster of scripts/ci-postgres.sh must never be stopped (other
 * test files use it at the same time), so these tests make their own: initdb as the postgres OS
 * user when we are root (initdb refuses root), or as ourselves otherwise; loopback only; removed
 * when the test ends, and at process exit if the test failed half-way.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The newest installed server's bin dir (Debian layout), or undefined. */
function findBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = path.join(root, version, 'bin');
    if (fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const live = new Set<PrivatePostgres>();
process.once('exit', () => {
  for (const cluster of live) cluster.destroySync();
});

export class PrivatePostgres {
  private running = false;

  private constructor(
    private readonly binDir: string,
    readonly dir: string,
    readonly port: number,
    private readonly asPostgres: boolean,
  ) {}

  /** Creates and starts a cluster with role/database `footfall`; a string says why it cannot. */
  static async create(): Promise<PrivatePostgres | string> {
    const binDir = findBinDir();
    if (!binDir) return 'no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install -y postgresql)';
    const asPostgres = process.getuid?.() === 0;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-pg-'));
    if (asPostgres) {
      const owner = spawnSync('chown', ['postgres:', dir]);
      if (owner.status !== 0) {
        fs.rmSync(dir, { recursive: true, force: true });
        return `cannot hand ${dir} to the postgres OS user: ${owner.stderr.toString().trim()}`;
      }
    }
    const cluster = new PrivatePostgres(binDir, dir, await freePort(), asPostgres);
    live.add(cluster);
    try {
      await cluster.exec('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
      await cluster.start();
      const admin = new pg.Client({ connectionString: cluster.url('postgres', 'postgres'), connectionTimeoutMillis: 5000 });
      await admin.connect();
      await admin.query("CREATE ROLE footfall LOGIN PASSWORD 'footfall'");
      await admin.query('CREATE DATABASE footfall OWNER footfall');
      await admin.end();
    } catch (err) {
      cluster.destroySync();
      throw err;
    }
    return cluster;
  }

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  url(database = 'footfall', user = 'footfall'): string {
    return `postgres://${user}:footfall@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    // fsync off: a throwaway cluster; what is tested is the collector's side of an outage.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
    await this.exec('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', path.join(this.dir, 'server.log'), '-w', '-t', '30', 'start']);
    this.running = true;
  }

  /** Stops the server ('fast': clients are disconnected, as on a real restart or crash of the host). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
    this.running = false;
  }

  /** Stops (if running) and deletes the cluster. */
  async destroy(): Promise<void> {
    if (this.running) await this.stop('immediate').catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }

  /** The same, synchronously (process exit). */
  destroySync(): void {
    if (this.running) {
      const [cmd, args] = this.command('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
      spawnSync(cmd, args, { stdio: 'ignore', timeout: 20_000 });
      this.running = false;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }

  private command(tool: string, args: string[]): [string, string[]] {
    const binary = path.join(this.binDir, tool);
    return this.asPostgres ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  }

  private async exec(tool: string, args: string[]): Promise<void> {
    const [cmd, argv] = this.command(tool, args);
    try {
      await run(cmd, argv, { timeout: 60_000, cwd: this.dir });
    } catch (err) {
      const log = path.join(this.dir, 'server.log');
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
      throw new Error(`${tool} ${args.at(-1)} failed: ${(err as Error).message}\n${tail}`, { cause: err });
    }
  }
}
