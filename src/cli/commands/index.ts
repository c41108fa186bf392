/** Every CLI command except `serve` (which runs the server itself), by name. */
import type { CliCommand } from '../command.js';
import { siteCommand } from './site.js';
import { sqlCommand } from './sql.js';
import { userCommand } from './user.js';
import { reportCommand } from './report.js';
import { goalCommand } from './goal.js';
import { keyCommand } from './key.js';
import { generateCommand } from './generate.js';
import { migrateCommand } from './migrate.js';
import { clickhouseSchemaCommand } from './clickhouse-schema.js';

export const COMMANDS: CliCommand[] = [
  siteCommand,
  sqlCommand,
  userCommand,
  reportCommand,
  goalCommand,
  keyCommand,
  generateCommand,
  migrateCommand,
  clickhouseSchemaCommand,
];
