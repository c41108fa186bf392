// Issue 2, acceptance 4: no client IP and no User-Agent string anywhere in a non-raw site's data dir.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli, sendGif, startServer, tempDataDir, waitForCount } from '../helpers/server.js';

const PROBE_IP = '203.0.113.77';
const PROBE_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.987 Safari/537.36';

function dataDirContains(dir: string, needle: string): boolean {
  const bytes = Buffer.from(needle);
  const walk = (d: string): boolean => fs.readdirSync(d, { withFileTypes: true }).some((entry) => {
    const full = path.join(d, entry.name);
    return entry.isDirectory() ? walk(full) : fs.readFileSync(full).includes(bytes);
  });
  return walk(dir);
}

async function collect(raw: boolean): Promise<string> {
  const dataDir = tempDataDir();
  const add = ['site', 'add', 'example.com', ...(raw ? ['--raw'] : [])];
  assert.equal((await runCli(dataDir, add)).code, 0);
  const server = await startServer({ dataDir, args: ['--trust-proxy'] });
  for (let i = 0; i < 20; i++) {
    const res = await sendGif(server.url, { url: `https://example.com/p${i}`, t: 'Page' }, PROBE_UA, { 'x-forwarded-for': PROBE_IP });
    assert.equal(res.headers.get('x-footfall-dropped'), null);
  }
  assert.equal(await waitForCount(server, 'select count(*) from events', 20), 20);
  assert.equal((await server.stop()).code, 0);
  return dataDir;
}

describe('privacy', () => {
  it('stores neither the IP nor the User-Agent string of a non-raw site', async () => {
    const dataDir = await collect(false);
    assert.equal(dataDirContains(dataDir, PROBE_IP), false, 'client IP found in the data dir');
    assert.equal(dataDirContains(dataDir, PROBE_UA), false, 'User-Agent found in the data dir');
    const rows = await runCli(dataDir, ['sql', 'select count(*) as n from events where ip is not null or headers is not null', '--format', 'json']);
    assert.deepEqual(JSON.parse(rows.stdout), [{ n: 0 }]);
  });

  it('stores both for a raw-mode site, as the original app did (so the check above can fail)', async () => {
    const dataDir = await collect(true);
    const rows = await runCli(dataDir, ['sql', "select ip, json_extract_string(headers, '$.\"user-agent\"') as ua from events limit 1", '--format', 'json']);
    assert.deepEqual(JSON.parse(rows.stdout), [{ ip: PROBE_IP, ua: PROBE_UA }]);
  });
});
