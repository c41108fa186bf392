/**
 * A `chdb://<dir>` database URL: the same ClickHouse adapter on the in-process engine of the
 * optional `chdb` npm package (ClickHouse compiled as a library; ~550 MB, so not a dependency).
 *
 * chdb ships a Connection for @clickhouse/client (`chdb/connection`): passed as
 * `createClient({ connection })`, every client.query/command/exec/insert the adapter makes runs
 * in-process instead of over HTTP. Two differences the transport absorbs:
 * - chdb applies `clickhouse_settings` as SET statements on its session, where they stay, so
 *   the console's `readonly=1` runs on a fresh session on the same directory (sessions are
 *   cheap and several may share one directory);
 * - its Connection buffers whole results, so stream() uses the native Session.queryStreamBind.
 *
 * The package is imported dynamically, so Footfall runs and type-checks without it; the local
 * interfaces below are the small part of its API used here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { AppError, messageOf } from '../../errors.js';
import { BASE_SETTINGS, CLIENT_LOG, type ClickHouseTransport } from './transport.js';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

interface ChdbRawInsert {
  table: string;
  values: Buffer;
  format: 'JSONEachRow';
  columns?: readonly string[];
  settings?: Record<string, string | number | boolean>;
}

interface ChdbConnectionModule {
  createChdbConnection(options: { path: string }): ClientConnection & { chdb: { rawInsert(params: ChdbRawInsert): Promise<unknown> } };
}

interface ChdbStreamChunk {
  text(): string;
}

interface ChdbSession {
  queryAsync(sql: string, options?: { format?: string }): Promise<unknown>;
  queryStream(sql: string, options?: { format?: string }): AsyncIterable<ChdbStreamChunk> & { cancel(): void };
  queryStreamBind(sql: string, params: object, options?: { format?: string }): AsyncIterable<ChdbStreamChunk> & { cancel(): void };
  close(): void;
}

interface ChdbModule {
  Session: new (dir: string) => ChdbSession;
}

/** Module names kept in variables so TypeScript does not try to resolve the optional package. */
const CHDB = 'chdb';
const CHDB_CONNECTION = 'chdb/connection';

async function importChdb(): Promise<{ connection: ChdbConnectionModule; native: ChdbModule }> {
  try {
    const connection = (await import(CHDB_CONNECTION)) as ChdbConnectionModule;
    const native = (await import(CHDB)) as ChdbModule;
    return { connection, native };
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new AppError('store', 'clickhouse: a chdb:// database URL needs the optional chdb package: install chdb (npm install chdb)');
    }
    throw new AppError('store', `clickhouse: cannot load chdb: ${messageOf(err)}`);
  }
}

/** SET statements a Layer-1 session needs to read like the clients do. */
function baseSetStatements(): string[] {
  return Object.entries(BASE_SETTINGS).map(([k, v]) => `SET ${k} = ${typeof v === 'string' ? `'${v}'` : String(v)}`);
}

export async function chdbTransport(dir: string, label: string): Promise<ClickHouseTransport> {
  const { connection, native } = await importChdb();
  const absolute = path.resolve(dir);
  fs.mkdirSync(absolute, { recursive: true });
  const newClient = (conn = connection.createChdbConnection({ path: absolute })): ClickHouseClient =>
    createClient({ connection: conn, clickhouse_settings: BASE_SETTINGS, log: CLIENT_LOG });
  let client: ClickHouseClient;
  let main: ReturnType<ChdbConnectionModule['createChdbConnection']>;
  try {
    main = connection.createChdbConnection({ path: absolute });
    client = newClient(main);
  } catch (err) {
    throw new AppError('store', `clickhouse: chdb cannot open ${absolute}: ${messageOf(err)}`);
  }
  return {
    kind: 'chdb',
    client,
    label,
    async isolated(task) {
      const own = newClient();
      try {
        return await task(own);
      } finally {
        await own.close();
      }
    },
    async *streamCompact(sql, params) {
      const session = new native.Session(absolute);
      try {
        for (const statement of baseSetStatements()) await session.queryAsync(statement);
        const format = { format: 'JSONCompactEachRowWithNamesAndTypes' };
        const stream = Object.keys(params).length > 0 ? session.queryStreamBind(sql, params, format) : session.queryStream(sql, format);
        // rows() refuses the WithNamesAndTypes format, so parse the lines here; a line split
        // between two chunks is carried over.
        let rest = '';
        for await (const chunk of stream) {
          const lines = (rest + chunk.text()).split('\n');
          rest = lines.pop() ?? '';
          yield lines.filter((line) => line.length > 0).map((line) => JSON.parse(line) as unknown[]);
        }
        if (rest.trim()) yield [JSON.parse(rest) as unknown[]];
      } finally {
        session.close();
      }
    },
    async insertJsonEachRow(table, columns, body, settings) {
      // The raw insert hands the bytes to the engine's parallel parser; the Connection's insert
      // would build one SQL string of INSERT + data and parse it, about 4x slower. Its settings
      // go into a SETTINGS clause of that INSERT, so they do not stay on the session.
      const plain = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;
      await main.chdb.rawInsert({ table, values: body, format: 'JSONEachRow', columns, settings: plain });
    },
    async createDatabase(sql) {
      await client.command({ query: sql });
    },
    close: () => client.close(),
  };
}
