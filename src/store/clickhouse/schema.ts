/**
 * ClickHouse schema, for one server (MergeTree family) or a cluster (Replicated* + Distributed).
 * The same generator feeds migrate() and `footfall clickhouse schema --cluster <name>`.
 *
 * Events: one wide MergeTree table partitioned by month and ordered by
 * (site_id, toDate(ts), visitor_id, ts): every dashboard query reads one site over a date range,
 * so the primary key skips everything else, and a visitor's events sit together, which is what
 * visit/session aggregation and compression both like.
 *
 * Metadata (sites, goals, keys, users, login sessions, share links): ReplacingMergeTree with a
 * version and an is-deleted column, read with FINAL. Ids stay small integers: the adapter takes
 * max(id) + 1 and inserts with insert_deduplication_token = '<table>:<id>', so of two processes
 * that picked the same id only the first insert lands (see clickhouse-metadata.ts). All tables
 * keep a deduplication window because exactly-once ingest and race-free salts rely on it.
 *
 * Migrations are lists of idempotent statements (IF NOT EXISTS), applied in order and recorded
 * in schema_migrations. Append; never edit a shipped entry.
 */

export interface SchemaTarget {
  /** Database the tables live in. */
  database: string;
  /** Cluster name (remote_servers) for ON CLUSTER DDL, Replicated engines and a Distributed events table. */
  cluster?: string;
}

/** Blocks (inserts) whose tokens each table remembers: the exactly-once window. */
const DEDUP_WINDOW = 10_000;

const q = (name: string): string => `\`${name.replace(/`/g, '\\`')}\``;

function onCluster(t: SchemaTarget): string {
  return t.cluster ? ` ON CLUSTER ${q(t.cluster)}` : '';
}

/** Table name of the events storage (`events_local` under a Distributed `events` on a cluster). */
export function eventsStorageTable(t: SchemaTarget): string {
  return t.cluster ? 'events_local' : 'events';
}

/** Engine clause: `family` MergeTree, replicated on a cluster (metadata: one copy on every node). */
function engine(t: SchemaTarget, table: string, family: '' | 'Replacing', args: string[], shared: boolean): string {
  if (!t.cluster) return `${family}MergeTree(${args.join(', ')})`;
  // Metadata tables are one shard spanning the whole cluster ("all"), so every node holds all
  // of it; the replica name then needs the shard too, as {replica} often repeats across shards.
  // events_local is one replicated table per shard.
  const zkPath = `'/clickhouse/tables/${shared ? 'all' : '{shard}'}/${t.database}/${table}'`;
  const replica = shared ? "'{shard}-{replica}'" : "'{replica}'";
  return `Replicated${family}MergeTree(${[zkPath, replica, ...args].join(', ')})`;
}

function dedupSettings(t: SchemaTarget): string {
  return t.cluster
    ? `SETTINGS replicated_deduplication_window = ${DEDUP_WINDOW}, replicated_deduplication_window_seconds = 604800`
    : `SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}`;
}

const EVENT_COLUMNS_DDL = `(
    site_id UInt32,
    ts DateTime64(3, 'UTC'),
    name LowCardinality(String),
    hostname LowCardinality(String),
    pathname String,
    title String,
    query String,
    referrer String,
    referrer_source LowCardinality(String),
    utm_source String,
    utm_medium String,
    utm_campaign String,
    utm_term String,
    utm_content String,
    country LowCardinality(String),
    browser LowCardinality(String),
    browser_version LowCardinality(String),
    os LowCardinality(String),
    os_version LowCardinality(String),
    device LowCardinality(String),
    screen_width Nullable(Int16),
    visitor_id Int64,
    session_id Int64,
    props String,
    revenue_amount Nullable(Float64),
    revenue_currency LowCardinality(String),
    scroll_depth Nullable(Int16),
    engagement_ms Nullable(Int32),
    interactive Bool,
    ip Nullable(String),
    headers Nullable(String)
  )`;

function eventsDdl(t: SchemaTarget): string[] {
  const storage = eventsStorageTable(t);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${q(t.database)}.${storage}${onCluster(t)} ${EVENT_COLUMNS_DDL}
  ENGINE = ${engine(t, storage, '', [], false)}
  PARTITION BY toYYYYMM(ts)
  ORDER BY (site_id, toDate(ts), visitor_id, ts)
  ${dedupSettings(t)}`,
  ];
  if (t.cluster) {
    // Sharded by site and visitor: a big site spreads over every shard, while all events of a
    // visitor (hence of each visit) land on one shard, so per-visit aggregation stays local.
    statements.push(`CREATE TABLE IF NOT EXISTS ${q(t.database)}.events${onCluster(t)} AS ${q(t.database)}.events_local
  ENGINE = Distributed(${q(t.cluster)}, ${q(t.database)}, events_local, cityHash64(site_id, visitor_id))`);
  }
  return statements;
}

/** A versioned metadata table: `columns` plus version/deleted, replaced by key with FINAL. */
function metadataTable(t: SchemaTarget, table: string, columns: string, orderBy: string): string {
  return `CREATE TABLE IF NOT EXISTS ${q(t.database)}.${table}${onCluster(t)} (
    ${columns},
    version UInt64,
    deleted UInt8
  ) ENGINE = ${engine(t, table, 'Replacing', ['version', 'deleted'], true)}
  ORDER BY ${orderBy}
  ${dedupSettings(t)}`;
}

function plainReplacing(t: SchemaTarget, table: string, columns: string, orderBy: string): string {
  return `CREATE TABLE IF NOT EXISTS ${q(t.database)}.${table}${onCluster(t)} (
    ${columns}
  ) ENGINE = ${engine(t, table, 'Replacing', [], true)}
  ORDER BY ${orderBy}
  ${dedupSettings(t)}`;
}

export function createDatabaseDdl(t: SchemaTarget): string {
  return `CREATE DATABASE IF NOT EXISTS ${q(t.database)}${onCluster(t)}`;
}

/** The migrations table itself (created before any migration runs). */
export function bootstrapDdl(t: SchemaTarget): string {
  return plainReplacing(t, 'schema_migrations', `version UInt32, applied_at DateTime64(3, 'UTC')`, 'version');
}

/** The ordered migrations; each is a list of idempotent statements. */
export function clickhouseMigrations(t: SchemaTarget): string[][] {
  const ts = `DateTime64(3, 'UTC')`;
  return [
    [
      ...eventsDdl(t),
      plainReplacing(t, 'ingested_segments', `id String, rows UInt64, ingested_at ${ts}`, 'id'),
      plainReplacing(t, 'salts', `period String, secret String, created_at ${ts}`, 'period'),
      metadataTable(t, 'sites', `id UInt32, domain String, timezone String, raw Bool, salt_rotation_hours UInt32, created_at ${ts}`, 'id'),
      metadataTable(t, 'goals', 'id UInt32, site_id UInt32, kind String, match String', 'id'),
      metadataTable(t, 'api_keys',
        `id UInt32, name String, prefix String, key_hash String, admin Bool, site_ids Array(UInt32), created_at ${ts}`, 'id'),
      metadataTable(t, 'users',
        `id UInt32, email String, password_hash String, role String, site_ids Array(UInt32), created_at ${ts}`, 'id'),
      metadataTable(t, 'login_sessions', `id_hash String, user_id UInt32, csrf_token String, expires_at ${ts}`, 'id_hash'),
      metadataTable(t, 'share_links',
        `id UInt32, site_id UInt32, slug String, password_hash Nullable(String), created_at ${ts}`, 'id'),
    ],
  ];
}

/** Every statement, in order: what `footfall clickhouse schema` prints. */
export function fullSchema(t: SchemaTarget): string[] {
  return [createDatabaseDdl(t), bootstrapDdl(t), ...clickhouseMigrations(t).flat()];
}
