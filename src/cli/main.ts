/**
 * Entry point of the `footfall` command. `serve` runs the server; every other command runs
 * against the store: inside the running server when one holds this data dir (DuckDB has a
 * single writer), else on the store opened here.
 */
import { systemClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { messageOf } from '../errors.js';
import { isSingleProcessStore, openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { COMMANDS } from './commands/index.js';
import { findCommand, parseCommandArgs, runCommand } from './run-command.js';
import { migrateStore } from './migrate-store.js';
import { serve, SERVE_USAGE } from './serve.js';
import { readServerLink } from './server-link.js';

function usage(): string {
  const lines = [
    `  serve      run the collector, API and dashboard: ${SERVE_USAGE}`,
    '  migrate-store  copy everything from one store to another: footfall migrate-store --from <url> --to <url>',
  ];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  return `usage: footfall <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nEvery command takes --data <dir> (default ./data; env FOOTFALL_DATA_DIR). Run footfall <command> --help for details.\n`;
}

/** All of stdin, for commands that take secrets there; undefined from a terminal (nothing piped). */
async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === 'migrate-store') {
    const io = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t) };
    return migrateStore(rest, io);
  }
  if (name === 'serve') {
    await serve(rest);
    return -1; // keeps running; exits from its signal handlers
  }
  const command = findCommand(name);
  if (!command) {
    process.stderr.write(`footfall: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  const { values } = parseCommandArgs(command, rest);
  const config = loadConfig({ dataDir: values.data as string | undefined, store: values.store as string | undefined, databaseUrl: values['database-url'] as string | undefined });
  const io = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t) };

  const stdin = command.readsStdin ? await readStdin() : undefined;

  if (command.usesStore === false) {
    return runCommand(name, rest, { store: storeNotOpened(name), clock: systemClock, ...io, stdin });
  }

  // While a server holds a single-process store, the command runs inside that server.
  const link = isSingleProcessStore(config) ? readServerLink(config.dataDir) : undefined;
  if (link) {
    const response = await fetch(`${link.url}/api/internal/cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${link.token}` },
      body: JSON.stringify({ name, argv: rest, stdin }),
    }).catch((err: unknown) => {
      throw new Error(`a server (pid ${link.pid}) holds ${config.dataDir} but does not answer at ${link.url}: ${messageOf(err)}`);
    });
    const result = (await response.json()) as { code?: number; stdout?: string; stderr?: string; error?: { message: string } };
    if (result.error) throw new Error(result.error.message);
    io.stdout(result.stdout ?? '');
    io.stderr(result.stderr ?? '');
    return result.code ?? 1;
  }

  const store = await openStore(config);
  try {
    return await runCommand(name, rest, { store, clock: systemClock, ...io, stdin });
  } finally {
    await store.close();
  }
}

/** The store handed to a command that declared it uses none: any use is a programming error. */
function storeNotOpened(name: string): Store {
  return new Proxy({} as Store, {
    get(_target, prop) {
      throw new Error(`footfall ${name} declared usesStore: false but used store.${String(prop)}`);
    },
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`footfall: ${messageOf(err)}\n`);
    process.exitCode = 1;
  },
);
