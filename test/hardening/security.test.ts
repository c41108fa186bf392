/**
 * Security of the API surface (issue 7), against the real server:
 * - X-Forwarded-For (and its cousins) is ignored unless --trust-proxy, judged by the IP a
 *   raw-mode site stores;
 * - an API key scoped to site A gets 403 for site B on every /api/v2 route (query, each report,
 *   export, realtime), in every spelling of B, and the SQL console refuses it; API keys open
 *   neither the dashboard's routes nor the CLI bridge;
 * - the SQL console (POST /api/v2/sql and `footfall sql`) cannot write, read files, ATTACH,
 *   INSTALL/LOAD, change settings, or read users / login_sessions / api_keys / salts /
 *   share_links, directly or through functions that run SQL given as text; on DuckDB and on
 *   PostgreSQL. Answers are checked for leaked secrets, not only for their status.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { DuckDbStore, saltFilePath } from '../../src/store/duckdb/duckdb-store.js';
import { readSaltFile } from '../../src/store/duckdb/salt-file.js';
import { duckDbFile } from '../../src/store/open-store.js';
import { DESKTOP_UA, runCli, sendGif, startServer, tempDataDir, type RunningServer } from '../helpers/server.js';
import { isRunning } from './support/managed.js';
import { call, createKey, keyHash } from './support/api-client.js';
import { sharedPostgresDatabase, skipOrFail } from './support/require.js';
import { waitForDrained } from './support/stored.js';

const SPOOFED = '203.0.113.9';
const SECRET_TABLES = ['users', 'login_sessions', 'api_keys', 'salts', 'share_links'];
const REPORTS = ['pageviews', 'unique-visitors', 'top-pages', 'hour-buckets', 'top-user-agents', 'visitor-paths'];
const PROBE_FILE = '/tmp/footfall-hardening-probe';
/** Every server this file started; any still running at the end is killed (a failed assertion must not hang the run). */
const live = new Set<RunningServer>();
after(async () => {
  for (const server of live) if (isRunning(server)) await server.kill9();
});

interface Deployment {
  server: RunningServer;
  dataDir: string;
  keys: { admin: string; scopedA: string; everySite: string };
  /** Reads the stored salts / credentials after the server stopped, to look for them in answers. */
  secrets: () => Promise<string[]>;
}

/** Two raw-mode sites with a few hits each, an admin key, a key for site A only and a non-admin key for every site. */
async function deploy(env: NodeJS.ProcessEnv, args: string[] = []): Promise<Omit<Deployment, 'secrets'>> {
  const dataDir = tempDataDir('footfall-security-');
  for (const domain of ['a.example', 'b.example']) {
    const added = await runCli(dataDir, ['site', 'add', domain, '--raw'], { env });
    assert.equal(added.code, 0, added.stderr);
  }
  const keys = {
    admin: await createKey(dataDir, ['--name', 'ops', '--admin'], env),
    scopedA: await createKey(dataDir, ['--name', 'a only', '--site', 'a.example'], env),
    everySite: await createKey(dataDir, ['--name', 'reader'], env),
  };
  const server = await startServer({ dataDir, env: { ...env, FOOTFALL_FLUSH_INTERVAL_MS: '100' }, args });
  live.add(server);
  // A user and a share link, so that those tables hold something worth stealing.
  const user = await server.cli(['user', 'add', 'owner@example.org', '--role', 'admin'], { env, stdin: 'owner password 1\n' });
  assert.equal(user.code, 0, user.stderr);
  for (const domain of ['a.example', 'b.example']) {
    for (let i = 0; i < 3; i++) {
      const res = await sendGif(server.url, { url: `https://${domain}/page${i}`, t: `Title ${i}` }, DESKTOP_UA, { 'x-forwarded-for': SPOOFED, 'x-real-ip': SPOOFED, forwarded: `for=${SPOOFED}` });
      assert.equal(res.headers.get('x-footfall-dropped'), null);
    }
  }
  assert.equal((await waitForDrained(server, 10_000)).queue_depth, 0);
  return { server, dataDir, keys };
}

/** Values that must never appear in a console answer: salt secrets, credential hashes, key hashes. */
async function duckDbSecrets(dataDir: string): Promise<string[]> {
  const store = await DuckDbStore.open({ file: duckDbFile(dataDir), readOnly: true });
  try {
    const rows = await store.query(`SELECT password_hash AS v FROM users UNION ALL SELECT key_hash FROM api_keys`);
    // The DuckDB store keeps its salts in a file beside the database (salt-file.ts).
    const salts = readSaltFile(saltFilePath(duckDbFile(dataDir))).map((s) => s.secret);
    assert.ok(salts.length > 0, 'the server made salts');
    return [...salts, ...rows.map((r) => String(r.v))];
  } finally {
    await store.close();
  }
}

async function postgresSecrets(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>('SELECT secret AS v FROM salts UNION ALL SELECT password_hash FROM users UNION ALL SELECT key_hash FROM api_keys');
    return rows.map((r) => r.v);
  } finally {
    await client.end();
  }
}

/** Statements the console must refuse, on any engine (engine-specific spellings fail to parse: also a refusal). */
function refusedStatements(): string[] {
  const reads = SECRET_TABLES.flatMap((t) => [
    `select * from ${t}`, `from ${t}`, `select * from main."${t.toUpperCase()}"`, `select count(*) from public.${t}`,
    `select * from events where exists (select 1 from ${t})`, `with x as (select * from ${t}) select * from x`,
    `select 1 as a union all select length(cast(${t} as varchar)) from ${t}`,
    `select * from query('select * from ${t}')`, `select * from query_table('${t}')`,
    `select * from json_execute_serialized_sql(json_serialize_sql('select * from ${t}'))`,
    `select * from pragma_storage_info('${t}')`, `summarize ${t}`, `table ${t}`,
  ]);
  return [
    "insert into events (site_id) values (1)", 'update events set title = 1', 'delete from events', 'create table stolen as select * from events',
    'drop table events', 'alter table events add column x int', 'create view v as select 1', 'create macro m() as 1', 'truncate events',
    `copy events to '${PROBE_FILE}.csv'`, `copy (select * from events) to '${PROBE_FILE}.csv'`, `export database '${PROBE_FILE}-dir'`,
    "select * from read_csv('/etc/passwd')", "select * from read_text('/etc/hostname')", "select * from read_blob('/etc/hostname')",
    "select * from read_json_auto('/etc/hosts')", "select * from glob('/etc/*')", "select * from '/etc/passwd'", "select * from sniff_csv('/etc/passwd')",
    "select pg_read_file('/etc/hostname')", "select * from pg_ls_dir('/')", "select lo_import('/etc/hostname')", `copy events to program 'touch ${PROBE_FILE}'`,
    `attach '${PROBE_FILE}.duckdb' as other`, 'detach other', 'use other', 'install httpfs', 'load httpfs',
    "set memory_limit = '1GB'", 'set threads = 1', 'reset threads', 'pragma threads = 1', "set role postgres", "set session authorization postgres",
    'call pragma_version()', 'checkpoint', 'vacuum', 'begin', 'select 1; select 2', 'select 1; drop table events',
    ...reads,
  ];
}

/** Runs the refusal table through POST /api/v2/sql with an admin key; returns every answer's text. */
async function checkConsole(deployment: Omit<Deployment, 'secrets'>, label: string): Promise<{ answers: string[] }> {
  const { server, keys } = deployment;
  const sql = (statement: string, key = keys.admin) => call(server.url, 'POST', '/api/v2/sql', { key, body: { sql: statement } });
  const control = await sql('select count(*) as n from events');
  assert.equal(control.status, 200, `${label}: the console answers an admin: ${control.text}`);
  const before = control.text;
  const answers: string[] = [];
  const allowed: string[] = [];
  for (const statement of refusedStatements()) {
    const answer = await sql(statement);
    const refused = answer.status === 400 || answer.status === 403;
    answers.push(answer.text);
    if (!refused) allowed.push(`${answer.status} ${statement} -> ${answer.text.slice(0, 200)}`);
  }
  assert.deepEqual(allowed, [], `${label}: the console must refuse these (400/403)`);
  assert.equal((await sql('select count(*) as n from events')).text, before, `${label}: nothing changed`);
  for (const file of [`${PROBE_FILE}.csv`, `${PROBE_FILE}-dir`, `${PROBE_FILE}.duckdb`, PROBE_FILE]) assert.equal(fs.existsSync(file), false, `${label}: ${file} was written`);
  // The hash of the admin's own key must not come back either (api_keys is refused).
  assert.ok(!answers.some((a) => a.includes(keyHash(keys.admin).slice(0, 8))), `${label}: an API key hash leaked`);
  return { answers };
}

function assertNoSecretIn(answers: string[], secrets: string[], label: string): void {
  assert.ok(secrets.length >= 3, `${label}: the store holds salts and credentials to look for`);
  for (const secret of secrets) {
    // 8 characters are enough to be a leak (DuckDB's column statistics keep 8-byte prefixes).
    const leaked = answers.find((a) => a.includes(secret.slice(0, 8)));
    assert.equal(leaked, undefined, `${label}: a secret (${secret.slice(0, 4)}…) leaked in: ${leaked?.slice(0, 300)}`);
  }
}

async function storedIps(server: RunningServer, key: string): Promise<string[]> {
  const answer = await call(server.url, 'POST', '/api/v2/sql', { key, body: { sql: 'select distinct ip from events order by 1' } });
  assert.equal(answer.status, 200, answer.text);
  return (JSON.parse(answer.text) as { rows: unknown[][] }).rows.map((r) => String(r[0]));
}

describe('security on DuckDB', { timeout: 120_000 }, () => {
  let d: Omit<Deployment, 'secrets'>;
  const answers: string[] = [];
  before(async () => {
    d = await deploy({});
  }, { timeout: 60_000 });
  after(async () => {
    if (d && isRunning(d.server)) await d.server.kill9();
  });

  test('X-Forwarded-For, X-Real-IP and Forwarded are ignored without --trust-proxy', async () => {
    assert.deepEqual(await storedIps(d.server, d.keys.admin), ['127.0.0.1']);
  });

  test('...and believed with --trust-proxy (so the check above can fail)', async () => {
    const trusting = await deploy({}, ['--trust-proxy']);
    try {
      assert.deepEqual(await storedIps(trusting.server, trusting.keys.admin), [SPOOFED]);
    } finally {
      assert.equal((await trusting.server.stop()).code, 0);
    }
  });

  test('a key scoped to site A gets 403 for site B on every /api/v2 route', async () => {
    const { server, keys } = d;
    const get = (path: string, key = keys.scopedA) => call(server.url, 'GET', path, { key });
    const query = (site: unknown, key = keys.scopedA) => call(server.url, 'POST', '/api/v2/query', { key, body: { site_id: site, metrics: ['pageviews'], date_range: '7d' } });
    const routes = (site: string) => [
      ...REPORTS.map((r) => `/api/v2/reports/${r}?site_id=${encodeURIComponent(site)}&date_range=7d`),
      `/api/v2/export?site_id=${encodeURIComponent(site)}&date_range=7d&format=csv`,
      `/api/v2/export?site_id=${encodeURIComponent(site)}&date_range=7d&format=ndjson`,
      `/api/v2/realtime?site_id=${encodeURIComponent(site)}`,
    ];
    // Controls: the same key reads its own site on every route.
    assert.equal((await query('a.example')).status, 200);
    for (const path of routes('a.example')) assert.equal((await get(path)).status, 200, path);

    const leaks: string[] = [];
    for (const site of ['b.example', 'B.EXAMPLE', 'b.example.', ' b.example', 'www.b.example', 'sub.b.example', 'b.example,a.example', 'nowhere.example']) {
      const q = await query(site);
      if (q.status !== 403) leaks.push(`query ${JSON.stringify(site)}: ${q.status} ${q.text.slice(0, 120)}`);
      for (const path of routes(site)) {
        const answer = await get(path);
        if (answer.status !== 403) leaks.push(`${path}: ${answer.status} ${answer.text.slice(0, 120)}`);
      }
    }
    for (const path of ['/api/v2/realtime?site_id=a.example&site_id=b.example', '/api/v2/export?site_id=b.example&site_id=a.example&format=csv']) {
      const answer = await get(path);
      if (answer.status === 200 || answer.text.includes('b.example/page')) leaks.push(`${path}: ${answer.status}`);
    }
    const wrongTypes = await query(['a.example', 'b.example']);
    if (wrongTypes.status === 200) leaks.push('site_id as an array');
    assert.deepEqual(leaks, [], 'site B must stay closed to a key of site A');
  });

  test('the SQL console is admin-only; API keys open neither the dashboard API nor the CLI bridge', async () => {
    const { server, keys } = d;
    for (const key of [keys.scopedA, keys.everySite]) {
      const answer = await call(server.url, 'POST', '/api/v2/sql', { key, body: { sql: 'select count(*) from events' } });
      assert.equal(answer.status, 403, `a non-admin key at /api/v2/sql: ${answer.text}`);
    }
    for (const key of [keys.admin, keys.scopedA]) {
      assert.equal((await call(server.url, 'GET', '/api/ui/sites', { key })).status, 401, 'API keys are not dashboard sessions');
      assert.equal((await call(server.url, 'POST', '/api/ui/users', { key, body: { email: 'x@example.org', password: 'long password 1', role: 'admin' } })).status, 401);
      assert.equal((await call(server.url, 'POST', '/api/internal/cli', { key, body: { name: 'site', argv: ['list'] } })).status, 401, 'the CLI bridge takes only the local admin token');
    }
    const revoked = await createKey(d.dataDir, ['--name', 'soon gone', '--admin']);
    const id = (await server.cli(['key', 'list', '--format', 'json'])).stdout;
    const keyId = (JSON.parse(id) as Array<{ id: number; name: string }>).find((k) => k.name === 'soon gone')!.id;
    assert.equal((await server.cli(['key', 'revoke', String(keyId)])).code, 0);
    assert.equal((await call(server.url, 'POST', '/api/v2/query', { key: revoked, body: { site_id: 'a.example', metrics: ['pageviews'], date_range: '7d' } })).status, 401, 'a revoked key');
  });

  test('the SQL console refuses writes, files, ATTACH, INSTALL/LOAD, settings and the secret tables', async () => {
    answers.push(...(await checkConsole(d, 'duckdb')).answers);
    // `footfall sql` goes through the same console.
    for (const statement of ['select * from salts', "select * from json_execute_serialized_sql(json_serialize_sql('select * from users'))", 'delete from events']) {
      const cli = await d.server.cli(['sql', statement, '--format', 'json']);
      assert.notEqual(cli.code, 0, `footfall sql ran: ${statement}`);
      answers.push(cli.stdout, cli.stderr);
    }
  });

  test('no salt, password hash or key hash in any console answer', async () => {
    assert.equal((await d.server.stop()).code, 0);
    // The console of the CLI without a server (store opened read-only) refuses the same.
    for (const statement of ['select * from salts', "select * from pragma_storage_info('users')"]) {
      const cli = await runCli(d.dataDir, ['sql', statement, '--format', 'json']);
      assert.notEqual(cli.code, 0, `footfall sql (no server) ran: ${statement}`);
      answers.push(cli.stdout, cli.stderr);
    }
    assertNoSecretIn(answers, await duckDbSecrets(d.dataDir), 'duckdb');
  });
});

describe('security on PostgreSQL', { timeout: 120_000 }, () => {
  let db: { url: string; drop: () => Promise<void> } | string;
  let d: Omit<Deployment, 'secrets'> | undefined;
  before(async () => {
    db = await sharedPostgresDatabase('security');
    if (typeof db !== 'string') d = await deploy({ FOOTFALL_STORE: 'postgres', FOOTFALL_DATABASE_URL: db.url });
  }, { timeout: 60_000 });
  after(async () => {
    if (d && isRunning(d.server)) await d.server.stop();
    if (typeof db !== 'string') await db.drop();
  });

  test('X-Forwarded-For is ignored, scopes hold, and the console refuses writes, files and settings (PostgreSQL)', async (t) => {
    if (typeof db === 'string' || !d) return skipOrFail(t, typeof db === 'string' ? db : 'no deployment');
    assert.deepEqual(await storedIps(d.server, d.keys.admin), ['127.0.0.1']);
    assert.equal((await call(d.server.url, 'POST', '/api/v2/query', { key: d.keys.scopedA, body: { site_id: 'b.example', metrics: ['pageviews'], date_range: '7d' } })).status, 403);
    assert.equal((await call(d.server.url, 'POST', '/api/v2/sql', { key: d.keys.scopedA, body: { sql: 'select 1' } })).status, 403);
    const { answers } = await checkConsole(d, 'postgres');
    assertNoSecretIn(answers, await postgresSecrets(db.url), 'postgres');
  });

  // Footfall connects as a plain role (no superuser, no CREATEROLE) that owns users, api_keys,
  // salts, login_sessions and share_links, so only the console's allowlist keeps them out of
  // reach; the refusal table above already covers the plain reads, this covers the ways around.
  test('the PostgreSQL console cannot read the secret tables, also through text SQL, catalogs or regclass', async (t) => {
    if (typeof db === 'string' || !d) return skipOrFail(t, typeof db === 'string' ? db : 'no deployment');
    const { server, keys } = d;
    const sql = (statement: string) => call(server.url, 'POST', '/api/v2/sql', { key: keys.admin, body: { sql: statement } });
    const answers: string[] = [];
    const allowed: string[] = [];
    for (const table of SECRET_TABLES) {
      for (const statement of [
        `select * from ${table}`, `select * from public."${table}"`, `select (select count(*) from ${table}) as n from events limit 1`,
        `select query_to_xml('select * from ${table}', true, false, '')`, `select table_to_xml('${table}', true, false, '')`,
        `select table_to_xml(('${table.slice(0, 2)}' || '${table.slice(2)}')::regclass, true, false, '')`,
        `select database_to_xml(true, false, '')`, `select * from ts_stat('select ''x''::tsvector from ${table}')`,
        `select most_common_vals::text, histogram_bounds::text from pg_stats where tablename = '${table}'`,
        `select * from pg_catalog.pg_stats`, `select '${table}'::regclass::oid`,
      ]) {
        const answer = await sql(statement);
        answers.push(answer.text);
        if (answer.status !== 400 && answer.status !== 403) allowed.push(`${answer.status} ${statement} -> ${answer.text.slice(0, 200)}`);
      }
    }
    assert.deepEqual(allowed, [], 'the console must refuse these (400/403)');
    // Control: what an analyst needs still answers.
    for (const statement of ["select date_trunc('day', ts) as d, count(*) from events group by 1", 'select domain from sites order by 1',
      "select column_name from information_schema.columns where table_name = 'events' limit 3"]) {
      const answer = await sql(statement);
      assert.equal(answer.status, 200, `${statement}: ${answer.text}`);
    }
    assertNoSecretIn(answers, await postgresSecrets(db.url), 'postgres');
  });
});
