/**
 * DuckDB schema, as an ordered list of migrations. Each entry runs once, in a transaction,
 * and its index is recorded in schema_migrations. Append; never edit a shipped entry.
 */
export const DUCKDB_MIGRATIONS: readonly string[] = [
  `CREATE SEQUENCE IF NOT EXISTS site_ids START 1;
   CREATE TABLE sites (
     id INTEGER PRIMARY KEY DEFAULT nextval('site_ids'),
     domain VARCHAR NOT NULL UNIQUE,
     timezone VARCHAR NOT NULL,
     raw BOOLEAN NOT NULL,
     salt_rotation_hours INTEGER NOT NULL,
     created_at TIMESTAMP NOT NULL
   );
   CREATE TABLE salts (period VARCHAR PRIMARY KEY, secret VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL);
   CREATE TABLE ingested_segments (id VARCHAR PRIMARY KEY, rows BIGINT NOT NULL, ingested_at TIMESTAMP NOT NULL);
   CREATE TABLE events (
     site_id INTEGER NOT NULL,
     ts TIMESTAMP NOT NULL,
     name VARCHAR NOT NULL,
     hostname VARCHAR NOT NULL,
     pathname VARCHAR NOT NULL,
     title VARCHAR NOT NULL,
     query VARCHAR NOT NULL,
     referrer VARCHAR NOT NULL,
     referrer_source VARCHAR NOT NULL,
     utm_source VARCHAR NOT NULL,
     utm_medium VARCHAR NOT NULL,
     utm_campaign VARCHAR NOT NULL,
     utm_term VARCHAR NOT NULL,
     utm_content VARCHAR NOT NULL,
     country VARCHAR NOT NULL,
     browser VARCHAR NOT NULL,
     browser_version VARCHAR NOT NULL,
     os VARCHAR NOT NULL,
     os_version VARCHAR NOT NULL,
     device VARCHAR NOT NULL,
     screen_width SMALLINT,
     visitor_id BIGINT NOT NULL,
     session_id BIGINT NOT NULL,
     props VARCHAR NOT NULL,
     revenue_amount DOUBLE,
     revenue_currency VARCHAR NOT NULL,
     scroll_depth SMALLINT,
     engagement_ms INTEGER,
     interactive BOOLEAN NOT NULL,
     ip VARCHAR,
     headers VARCHAR
   );`,
  `CREATE SEQUENCE IF NOT EXISTS goal_ids START 1;
   CREATE TABLE goals (
     id INTEGER PRIMARY KEY DEFAULT nextval('goal_ids'),
     site_id INTEGER NOT NULL,
     kind VARCHAR NOT NULL,
     match VARCHAR NOT NULL,
     UNIQUE (site_id, kind, match)
   );
   CREATE SEQUENCE IF NOT EXISTS api_key_ids START 1;
   CREATE TABLE api_keys (
     id INTEGER PRIMARY KEY DEFAULT nextval('api_key_ids'),
     name VARCHAR NOT NULL,
     prefix VARCHAR NOT NULL,
     key_hash VARCHAR NOT NULL UNIQUE,
     admin BOOLEAN NOT NULL,
     site_ids VARCHAR NOT NULL,
     created_at TIMESTAMP NOT NULL
   );`,
  `CREATE SEQUENCE IF NOT EXISTS user_ids START 1;
   CREATE TABLE users (
     id INTEGER PRIMARY KEY DEFAULT nextval('user_ids'),
     email VARCHAR NOT NULL UNIQUE,
     password_hash VARCHAR NOT NULL,
     role VARCHAR NOT NULL,
     site_ids VARCHAR NOT NULL,
     created_at TIMESTAMP NOT NULL
   );
   CREATE TABLE login_sessions (
     id_hash VARCHAR PRIMARY KEY,
     user_id INTEGER NOT NULL,
     csrf_token VARCHAR NOT NULL,
     expires_at TIMESTAMP NOT NULL
   );
   CREATE SEQUENCE IF NOT EXISTS share_link_ids START 1;
   CREATE TABLE share_links (
     id INTEGER PRIMARY KEY DEFAULT nextval('share_link_ids'),
     site_id INTEGER NOT NULL,
     slug VARCHAR NOT NULL UNIQUE,
     password_hash VARCHAR,
     created_at TIMESTAMP NOT NULL
   );`,
  // Days of events re-sorted by (site_id, visitor_id, ts) for compression (day-compaction.ts).
  `CREATE TABLE compacted_days (day TIMESTAMP PRIMARY KEY, rows BIGINT NOT NULL, compacted_at TIMESTAMP NOT NULL);`,
];
