// Issue 2, acceptance 3: a 2xx means the event survives kill -9; SIGTERM flushes and exits 0 within 5 s.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DESKTOP_UA, runCli, startServer, tempDataDir, waitForCount, type RunningServer } from '../helpers/server.js';

/** Sends `count` events, `concurrency` at a time; returns how many were acknowledged with 202. */
async function burst(server: RunningServer, count: number, tag: string, concurrency = 20): Promise<number> {
  let acknowledged = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${server.url}/api/event`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': DESKTOP_UA },
        body: JSON.stringify({ n: 'pageview', u: `https://example.com/${tag}/${i}`, d: 'example.com' }),
      });
      await res.arrayBuffer();
      if (res.status === 202) acknowledged++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return acknowledged;
}

describe('durability', () => {
  it('keeps every acknowledged event across kill -9 (no duplicates)', async () => {
    const dataDir = tempDataDir();
    assert.equal((await runCli(dataDir, ['site', 'add', 'example.com'])).code, 0);
    let server = await startServer({ dataDir, env: { FOOTFALL_FLUSH_INTERVAL_MS: '5000' } });
    const acknowledged = await burst(server, 600, 'kill');
    await server.kill9();
    assert.equal(acknowledged, 600);
    server = await startServer({ dataDir });
    const sql = "select count(*) from events where pathname like '/kill/%'";
    assert.equal(await waitForCount(server, sql, acknowledged), acknowledged);
    const distinct = await waitForCount(server, "select count(distinct pathname) from events where pathname like '/kill/%'", acknowledged);
    assert.equal(distinct, acknowledged);
    assert.equal((await server.stop()).code, 0);
  });

  it('flushes everything on SIGTERM and exits 0 within 5 s', async () => {
    const dataDir = tempDataDir();
    assert.equal((await runCli(dataDir, ['site', 'add', 'example.com'])).code, 0);
    const server = await startServer({ dataDir, env: { FOOTFALL_FLUSH_INTERVAL_MS: '60000' } });
    const acknowledged = await burst(server, 300, 'term');
    const { code, ms } = await server.stop();
    assert.equal(code, 0);
    assert.ok(ms < 5000, `exit took ${ms} ms`);
    // No server now: the CLI opens the store itself.
    const result = await runCli(dataDir, ['sql', "select count(*) as n from events where pathname like '/term/%'", '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), [{ n: acknowledged }]);
  });
});
