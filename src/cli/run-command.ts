/**
 * Parses a command's argv and runs it against a context. Used by the CLI process and by the
 * server's CLI bridge, so a command behaves the same wherever it runs.
 */
import { parseArgs } from 'node:util';
import { AppError, isAppError, messageOf } from '../errors.js';
import type { CliCommand, CommandContext } from './command.js';
import { COMMANDS } from './commands/index.js';

/** Options every command accepts; they choose where the store is and are handled by main. */
export const GLOBAL_OPTIONS = {
  data: { type: 'string' },
  store: { type: 'string' },
  'database-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function findCommand(name: string | undefined): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function parseCommandArgs(command: CliCommand, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new AppError('bad_request', `${messageOf(err)}\nusage:\n${command.usage}`);
  }
}

/** Runs `footfall <name> ...argv` and returns the exit code; errors become one-line messages on stderr. */
export async function runCommand(name: string, argv: string[], ctx: CommandContext): Promise<number> {
  const command = findCommand(name);
  if (!command) {
    ctx.stderr(`footfall: unknown command ${JSON.stringify(name)}\n`);
    return 2;
  }
  try {
    const { positionals, values } = parseCommandArgs(command, argv);
    if (values.help) {
      ctx.stdout(`${command.usage}\n`);
      return 0;
    }
    return await command.run(ctx, { positionals, values });
  } catch (err) {
    ctx.stderr(`footfall ${name}: ${messageOf(err)}\n`);
    if (isAppError(err) && err.code === 'bad_request') return 2;
    return 1;
  }
}
