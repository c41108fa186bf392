/**
 * What every part of the ClickHouse store shares: typed reads, inserts with explicit
 * deduplication settings, versions for ReplacingMergeTree rows and error mapping.
 */
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { AppError, messageOf } from '../../errors.js';
import type { Row } from '../store.js';
import type { SchemaTarget } from './schema.js';
import type { ClickHouseTransport } from './transport.js';
import { compactRows } from './values.js';

const NETWORK_ERROR = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ETIMEDOUT|socket hang up|Timeout error|other side closed/i;

export function isConnectionError(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'unavailable';
  const code = (err as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && NETWORK_ERROR.test(code)) || NETWORK_ERROR.test(messageOf(err));
}

/** Re-throws connection failures as AppError('unavailable'); SQL errors stay as they are. */
export function rethrow(err: unknown): never {
  if (err instanceof AppError || !isConnectionError(err)) throw err;
  throw new AppError('unavailable', `clickhouse: server unavailable: ${messageOf(err)}`);
}

/** `SELECT ... FORMAT JSONCompactEachRowWithNamesAndTypes` output -> rows of plain values. */
export function headedRows(all: unknown[][]): Row[] {
  const names = (all[0] ?? []).map(String);
  const types = (all[1] ?? []).map(String);
  return compactRows(names, types, all.slice(2));
}

/** '2024-01-02 03:04:05.678' (UTC) for an epoch-ms number, as DateTime64(3) parameters take it. */
export function dateTime64Param(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export class ClickHouseBase {
  private lastVersion = 0;

  constructor(protected readonly transport: ClickHouseTransport, protected readonly target: SchemaTarget) {}

  protected get client(): ClickHouseClient {
    return this.transport.client;
  }

  /**
   * A version for a ReplacingMergeTree row: microseconds, increasing within the process, with
   * random low digits so that two processes writing in the same millisecond differ (the adapter
   * recognises its own row by its version).
   */
  protected nextVersion(): number {
    const candidate = Date.now() * 1000 + Math.floor(Math.random() * 1000);
    this.lastVersion = Math.max(this.lastVersion + 1, candidate);
    return this.lastVersion;
  }

  /**
   * Settings of every insert. Both deduplication settings are always given: chdb keeps SET
   * values in its session, so a token left over from another insert would otherwise apply.
   */
  protected insertSettings(token?: string): ClickHouseSettings {
    const settings: ClickHouseSettings = {
      insert_deduplicate: token ? 1 : 0,
      insert_deduplication_token: token ?? '',
      async_insert: 0,
    };
    if (this.target.cluster) settings.distributed_foreground_insert = 1;
    return settings;
  }

  protected async rows(sql: string, params: Record<string, unknown> = {}, settings?: ClickHouseSettings): Promise<Row[]> {
    try {
      const result = await this.client.query({
        query: sql, query_params: params, format: 'JSONCompactEachRowWithNamesAndTypes', clickhouse_settings: settings,
      });
      return headedRows(await result.json<unknown[]>());
    } catch (err) {
      return rethrow(err);
    }
  }

  protected async command(sql: string, params: Record<string, unknown> = {}, settings?: ClickHouseSettings): Promise<void> {
    try {
      await this.client.command({ query: sql, query_params: params, clickhouse_settings: settings });
    } catch (err) {
      rethrow(err);
    }
  }

  /** Inserts objects as JSONEachRow (metadata rows). */
  protected async insertObjects(table: string, values: Record<string, unknown>[], token?: string): Promise<void> {
    try {
      await this.client.insert({ table, values, format: 'JSONEachRow', clickhouse_settings: this.insertSettings(token) });
    } catch (err) {
      rethrow(err);
    }
  }

  /**
   * Inserts rows given as JSON object texts (a spool segment's lines are sent as they are).
   * DateTime64(3) reads an integer as epoch milliseconds, the way EventRow.ts holds it.
   */
  protected async insertJsonLines(table: string, columns: readonly string[], lines: readonly string[], token?: string): Promise<void> {
    if (lines.length === 0) return;
    try {
      await this.transport.insertJsonEachRow(table, columns, Buffer.from(lines.join('\n') + '\n'), this.insertSettings(token));
    } catch (err) {
      rethrow(err);
    }
  }

  /** ` ON CLUSTER name` on a cluster, else ''. */
  protected get onCluster(): string {
    return this.target.cluster ? ` ON CLUSTER \`${this.target.cluster.replace(/`/g, '\\`')}\`` : '';
  }
}
