/** `footfall site list` output and `footfall clickhouse schema`, run as a user runs them (the built CLI). */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/server.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-cli-site-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('site list --format json includes each site\'s id', async () => {
  const dataDir = path.join(root, 'data');
  assert.equal((await runCli(dataDir, ['site', 'add', 'example.com'])).code, 0);
  assert.equal((await runCli(dataDir, ['site', 'add', 'blog.example.org', '--timezone', 'Europe/Berlin'])).code, 0);
  const listed = await runCli(dataDir, ['site', 'list', '--format', 'json']);
  assert.equal(listed.code, 0, listed.stderr);
  const sites = JSON.parse(listed.stdout) as Array<{ id: number; domain: string; timezone: string }>;
  assert.deepEqual(sites.map((s) => [s.domain, s.timezone]).sort(), [['blog.example.org', 'Europe/Berlin'], ['example.com', 'UTC']]);
  assert.ok(sites.every((s) => Number.isInteger(s.id) && s.id > 0), listed.stdout);
  assert.equal(new Set(sites.map((s) => s.id)).size, 2);
});

test('clickhouse schema prints DDL without opening a store or creating a data dir', async () => {
  const dataDir = path.join(root, 'never-created');
  const printed = await runCli(dataDir, ['clickhouse', 'schema', '--cluster', 'analytics']);
  assert.equal(printed.code, 0, printed.stderr);
  assert.match(printed.stdout, /ON CLUSTER `analytics`/);
  assert.match(printed.stdout, /ReplicatedMergeTree/);
  assert.equal(fs.existsSync(dataDir), false, 'the data dir must not be created');
  const bad = await runCli(dataDir, ['clickhouse', 'schema', '--cluster', 'a b']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--cluster must be a plain identifier/);
});
