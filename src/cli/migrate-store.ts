/**
 * `footfall migrate-store --from <store-url> --to <store-url>`: copies every site, event and
 * setting from one store to another with progress, then checks the counts.
 */
import { parseArgs } from 'node:util';
import { AppError, messageOf } from '../errors.js';
import { copyStore } from '../store/copy-store.js';
import { openStoreTarget, parseStoreUrl } from '../store/open-store.js';

export const MIGRATE_STORE_USAGE = 'footfall migrate-store --from <store-url> --to <store-url>\n  store URLs: duckdb:<data dir> (or a data dir path), postgres://user:pass@host/db, clickhouse://host:8123/db, chdb://<dir>';

export async function migrateStore(argv: string[], io: { stdout(t: string): void; stderr(t: string): void }): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, options: { from: { type: 'string' }, to: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean' } }, strict: true }).values;
  } catch (err) {
    throw new AppError('bad_request', `${messageOf(err)}\nusage: ${MIGRATE_STORE_USAGE}`);
  }
  if (values.help) {
    io.stdout(`${MIGRATE_STORE_USAGE}\n`);
    return 0;
  }
  if (!values.from || !values.to) throw new AppError('bad_request', `--from and --to are required\nusage: ${MIGRATE_STORE_USAGE}`);
  const from = await openStoreTarget(parseStoreUrl(values.from));
  try {
    const to = await openStoreTarget(parseStoreUrl(values.to));
    try {
      let lastReport = 0;
      const result = await copyStore(from, to, (p) => {
        if (Date.now() - lastReport > 1000 || p.copied === p.total) {
          lastReport = Date.now();
          io.stderr(`${p.site}: ${p.copied} / ${p.total} events\n`);
        }
      });
      const mismatched = result.counts.filter((c) => c.source !== c.target);
      for (const c of result.counts) io.stdout(`${c.domain}: ${c.source} events in the source, ${c.target} in the target\n`);
      if (mismatched.length > 0) {
        io.stderr(`count check FAILED for ${mismatched.map((c) => c.domain).join(', ')}\n`);
        return 1;
      }
      io.stdout(`copied ${result.sites} sites and ${result.events} events; counts match\n`);
      return 0;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
