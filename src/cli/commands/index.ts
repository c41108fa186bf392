/** Every CLI command except `serve` (which runs the server itself), by name. */
import type { CliCommand } from '../command.js';
import { siteCommand } from './site.js';
import { sqlCommand } from './sql.js';

export const COMMANDS: CliCommand[] = [
  siteCommand,
  sqlCommand,
];
