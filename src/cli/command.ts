/**
 * What a CLI command is. A command runs against a Store it is handed: opened locally when no
 * server holds the data dir, or inside the running server (the CLI forwards its argv there,
 * since DuckDB allows one writer process). So commands must only use ctx for I/O.
 */
import type { ParseArgsConfig } from 'node:util';
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';

export interface CommandContext {
  store: Store;
  clock: Clock;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input, read fully by the CLI before running (for commands that take secrets). */
  stdin?: string;
}

export type CommandValues = Record<string, string | boolean | string[] | undefined>;

export interface CliCommand {
  name: string;
  summary: string;
  /** Usage lines shown by --help, e.g. 'footfall site add <domain> [--timezone <IANA>] [--raw]'. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** The CLI reads all of stdin (when it is not a terminal) and passes it as ctx.stdin. */
  readsStdin?: boolean;
  /** False for commands that only print (no store is opened, so no data dir is created). */
  usesStore?: boolean;
  /** Returns the process exit code. Throw AppError for bad input: the CLI prints its message. */
  run(ctx: CommandContext, args: { positionals: string[]; values: CommandValues }): Promise<number>;
}
