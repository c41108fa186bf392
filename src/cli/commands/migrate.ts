/** `footfall migrate`: create or upgrade the store's schema (the server also does it at start-up). */
import type { CliCommand } from '../command.js';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'create or upgrade the store schema',
  usage: 'footfall migrate [--store duckdb|postgres|clickhouse] [--database-url URL] [--data DIR]',
  options: {},
  async run(ctx) {
    // The store was opened (and so migrated) before this runs; migrate() is idempotent.
    await ctx.store.migrate();
    ctx.stdout(`schema of the ${ctx.store.dialect} store is up to date\n`);
    return 0;
  },
};
