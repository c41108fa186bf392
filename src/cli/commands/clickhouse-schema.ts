/**
 * `footfall clickhouse schema --cluster <name> [--database <db>]`: prints the DDL of a sharded,
 * replicated ClickHouse deployment (ReplicatedMergeTree tables ON CLUSTER plus a Distributed
 * `events` table), for operators who apply schema changes themselves. The same statements are
 * what migrate() runs when the database URL carries `?cluster=<name>`. Uses no store.
 */
import { AppError } from '../../errors.js';
import { fullSchema } from '../../store/clickhouse/schema.js';
import type { CliCommand } from '../command.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const clickhouseSchemaCommand: CliCommand = {
  name: 'clickhouse',
  summary: 'print the ClickHouse cluster schema (ReplicatedMergeTree + Distributed)',
  usage: 'footfall clickhouse schema --cluster <name> [--database <db>]   (database default: footfall)',
  options: { cluster: { type: 'string' }, database: { type: 'string' } },
  usesStore: false,
  async run(ctx, { positionals, values }) {
    const [action, ...extra] = positionals;
    if (action !== 'schema' || extra.length > 0) throw new AppError('bad_request', `usage: ${clickhouseSchemaCommand.usage}`);
    const cluster = values.cluster;
    if (typeof cluster !== 'string' || !cluster) {
      throw new AppError('bad_request', `--cluster <name> is required (a cluster of the servers' remote_servers config)\nusage: ${clickhouseSchemaCommand.usage}`);
    }
    const database = typeof values.database === 'string' ? values.database : 'footfall';
    for (const [flag, value] of [['--cluster', cluster], ['--database', database]] as const) {
      if (!NAME.test(value)) throw new AppError('bad_request', `${flag} must be a plain identifier (letters, digits, _), got ${JSON.stringify(value)}`);
    }
    const statements = fullSchema({ database, cluster });
    ctx.stdout([
      `-- Footfall schema for ClickHouse cluster ${cluster}, database ${database}.`,
      '-- Needs the {shard} and {replica} macros on every server and ClickHouse Keeper (or ZooKeeper).',
      `-- Connect Footfall with FOOTFALL_DATABASE_URL=http://user:password@<any node>:8123/${database}?cluster=${cluster}`,
      '',
      ...statements.map((s) => `${s};\n`),
    ].join('\n'));
    return 0;
  },
};
