/**
 * How the ClickHouse store reaches its engine. The store's SQL goes through the official
 * @clickhouse/client either way; a transport adds the few things that differ between a server
 * over HTTP and the in-process chdb engine (chdb-client.ts): a client for one query whose
 * settings cannot leak, streaming, and creating the database.
 */
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';

/** The client's own console logging is off: every failure reaches the caller as an error. */
export const CLIENT_LOG = { level: ClickHouseLogLevel.OFF };

/**
 * Settings of every query: 64-bit integers quoted (JSON numbers would lose precision), DateTime
 * as text, and the session time zone fixed to UTC whatever the server's default is.
 */
export const BASE_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 1,
  output_format_json_quote_denormals: 0,
  date_time_output_format: 'simple',
  session_timezone: 'UTC',
  input_format_skip_unknown_fields: 1,
};

const HTTP_SETTINGS: ClickHouseSettings = {
  ...BASE_SETTINGS,
  // Progress headers keep long queries' connections busy for proxies with idle timeouts.
  send_progress_in_http_headers: 1,
  http_headers_progress_interval_ms: '60000',
};

/** One result as JSONCompactEachRowWithNamesAndTypes rows, in chunks. */
export type CompactChunks = AsyncIterable<unknown[][]>;

export interface ClickHouseTransport {
  readonly kind: 'http' | 'chdb';
  readonly client: ClickHouseClient;
  /** Names the store in messages, without credentials, e.g. 'clickhouse http://db:8123/footfall'. */
  readonly label: string;
  /**
   * Runs `task` with a client used for nothing else. Over HTTP every request carries its own
   * settings, so that is the shared client; chdb keeps SET values in its session, so it is a
   * fresh session that `readonly=1` may safely be set on.
   */
  isolated<T>(task: (client: ClickHouseClient) => Promise<T>): Promise<T>;
  /** Streams a query's rows; the first two rows are the column names and types. */
  streamCompact(sql: string, params: Record<string, unknown>): CompactChunks;
  /** INSERT INTO table (columns) FORMAT JSONEachRow with `body` (newline-delimited JSON) as the data. */
  insertJsonEachRow(table: string, columns: readonly string[], body: Buffer, settings: ClickHouseSettings): Promise<void>;
  /** CREATE DATABASE through a connection that does not need the database to exist. */
  createDatabase(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface HttpTransportOptions {
  /** Origin, e.g. http://localhost:8123 */
  url: string;
  username: string;
  password: string;
  database: string;
  label: string;
}

/**
 * A transport over any @clickhouse/client whose requests carry their own settings: the HTTP
 * client in production (tests also run it on chdb's Connection to cover these code paths).
 */
export function clientTransport(client: ClickHouseClient, label: string, createDatabase: (sql: string) => Promise<void>): ClickHouseTransport {
  return {
    kind: 'http',
    client,
    label,
    isolated: (task) => task(client),
    async *streamCompact(sql, params) {
      const result = await client.query({ query: sql, query_params: params, format: 'JSONCompactEachRowWithNamesAndTypes' });
      for await (const rows of result.stream<unknown[]>()) {
        yield rows.map((row) => row.json<unknown[]>());
      }
    },
    async insertJsonEachRow(table, columns, body, settings) {
      // exec sends the bytes as they are (insert() would re-encode JSON rows as objects).
      const result = await client.exec({
        query: `INSERT INTO ${table} (${columns.join(', ')}) FORMAT JSONEachRow`,
        values: Readable.from([body], { objectMode: false }),
        clickhouse_settings: settings,
      });
      // The response body must be read (or dropped) to free the HTTP socket.
      result.stream.resume();
    },
    createDatabase,
    close: () => client.close(),
  };
}

/** The production transport: the official client over HTTP(S). */
export function httpTransport(options: HttpTransportOptions): ClickHouseTransport {
  const config = {
    url: options.url,
    username: options.username,
    password: options.password,
    application: 'footfall',
    clickhouse_settings: HTTP_SETTINGS,
    // Longer than the longest console timeout; queries have their own limits.
    request_timeout: 660_000,
    log: CLIENT_LOG,
  };
  const client = createClient({ ...config, database: options.database });
  return clientTransport(client, options.label, async (sql) => {
    // The main client names a database that may not exist yet.
    const bootstrap = createClient({ ...config, database: 'default' });
    try {
      await bootstrap.command({ query: sql });
    } finally {
      await bootstrap.close();
    }
  });
}
