/** `footfall user` without a running server (stdin read by the CLI itself), and the setup URL only on an empty data dir. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, startServer, tempDataDir } from '../helpers/server.js';

test('user add/list/password/remove work on the data dir directly; a server then prints no setup URL', { timeout: 60_000 }, async () => {
  const dir = tempDataDir();
  assert.equal((await runCli(dir, ['site', 'add', 'a.example'])).code, 0);
  const add = await runCli(dir, ['user', 'add', 'Ann@Example.org', '--role', 'member', '--site', 'a.example'], { stdin: 'member password 1\n' });
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /added ann@example\.org \(member: a\.example\)/);
  assert.equal((await runCli(dir, ['user', 'add', 'x@example.org', '--role', 'root'], { stdin: 'whatever 12\n' })).code, 2);
  assert.match((await runCli(dir, ['user', 'add', 'y@example.org', '--role', 'viewer'], { stdin: 'short\n' })).stderr, /at least 8/);
  assert.equal((await runCli(dir, ['user', 'password', 'ann@example.org'], { stdin: 'new password 22\n' })).code, 0);
  const list = await runCli(dir, ['user', 'list', '--format', 'csv']);
  assert.equal(list.stdout, 'email,role,sites\nann@example.org,member,a.example\n');

  const server = await startServer({ dataDir: dir });
  try {
    assert.doesNotMatch(server.output(), /setup\?token=/, 'accounts exist: no setup link');
    const login = await fetch(`${server.url}/api/ui/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ann@example.org', password: 'new password 22' }) });
    assert.equal(login.status, 200);
    const session = await fetch(`${server.url}/api/ui/session`);
    assert.equal(((await session.json()) as { setupRequired: boolean }).setupRequired, false);
    assert.equal((await server.cli(['user', 'remove', 'ann@example.org'])).code, 0);
  } finally {
    await server.stop();
  }
});
