// Issue 2, acceptance 2 and 5: the collector over real HTTP, stored rows read back with `footfall sql`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DESKTOP_UA, sendGif, startServer, waitForCount, type RunningServer } from '../helpers/server.js';

let server: RunningServer;

before(async () => {
  server = await startServer();
  const added = await server.cli(['site', 'add', 'example.com', '--timezone', 'Europe/Berlin']);
  assert.equal(added.code, 0, added.stderr);
});

after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0);
});

const post = (body: string | Uint8Array, contentType = 'text/plain', method = 'POST', userAgent = DESKTOP_UA) =>
  fetch(`${server.url}/api/event`, { method, headers: { 'content-type': contentType, 'user-agent': userAgent }, body: body as BodyInit });

describe('collector', () => {
  it('stores a classic /a.gif hit from a browser and answers the 43-byte GIF', async () => {
    const res = await sendGif(server.url, { url: 'https://example.com/blog/post?x=1', t: 'A post', ref: 'https://news.ycombinator.com/item' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/gif');
    assert.equal(res.headers.get('cache-control'), 'private, no-cache');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('x-footfall-dropped'), null);
    assert.equal((await res.arrayBuffer()).byteLength, 43);
    assert.equal(await waitForCount(server, "select count(*) from events where pathname = '/blog/post'", 1), 1);
    const rows = JSON.parse((await server.cli(['sql', "select title, referrer_source, query, browser, os, device from events where pathname = '/blog/post'", '--format', 'json'])).stdout);
    assert.deepEqual(rows, [{ title: 'A post', referrer_source: 'Hacker News', query: '{"x":"1"}', browser: 'Chrome', os: 'Linux', device: 'Desktop' }]);
  });

  it('drops bots, unknown sites and referrer spam with a reason header and stores nothing', async () => {
    const cases: Array<[Promise<Response>, string]> = [
      [sendGif(server.url, { url: 'https://example.com/bot' }, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'), 'bot'],
      [sendGif(server.url, { url: 'https://example.com/bot' }, ''), 'bot'],
      [sendGif(server.url, { url: 'https://not-registered.org/x' }), 'unknown_site'],
      [sendGif(server.url, { url: 'https://example.com/bot', ref: 'https://semalt.com/' }), 'spam'],
      [post(JSON.stringify({ n: 'pageview', u: 'https://example.com/bot', d: 'other.org' })), 'unknown_site'],
    ];
    for (const [pending, reason] of cases) {
      const res = await pending;
      assert.ok(res.status === 200 || res.status === 202, `status ${res.status}`);
      assert.equal(res.headers.get('x-footfall-dropped'), reason);
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /footfall_events_dropped_total\{reason="bot"\} 2/);
    assert.match(metrics, /footfall_events_dropped_total\{reason="unknown_site"\} 2/);
    assert.match(metrics, /footfall_events_dropped_total\{reason="spam"\} 1/);
    // A later valid hit is stored; the dropped ones never are.
    await sendGif(server.url, { url: 'https://example.com/after-drops' });
    assert.equal(await waitForCount(server, "select count(*) from events where pathname = '/after-drops'", 1), 1);
    assert.equal(await waitForCount(server, "select count(*) from events where pathname = '/bot'", 0), 0);
  });

  it('counts subdomains of a registered site and accepts Plausible short and long keys', async () => {
    const short = await post(JSON.stringify({ n: 'pageview', u: 'https://blog.example.com/p?utm_source=newsletter&utm_campaign=launch', d: 'example.com', r: null, w: 1280, h: 0 }));
    assert.equal(short.status, 202);
    const long = await post(JSON.stringify({ name: 'Purchase', url: 'https://example.com/buy', domain: 'example.com', props: { sku: 'A1', qty: 2 }, revenue: { amount: '19.90', currency: 'eur' } }), 'application/json');
    assert.equal(long.status, 202);
    const engagement = await post(JSON.stringify({ n: 'engagement', u: 'https://example.com/buy', d: 'example.com', sd: 80, e: 4500 }));
    assert.equal(engagement.status, 202);
    assert.equal(await waitForCount(server, "select count(*) from events where pathname in ('/p', '/buy')", 3), 3);
    const rows = JSON.parse((await server.cli(['sql', "select name, hostname, utm_source, utm_campaign, referrer_source, screen_width, props, revenue_amount, revenue_currency, scroll_depth, engagement_ms from events where pathname in ('/p', '/buy') order by ts", '--format', 'json'])).stdout);
    assert.deepEqual(rows, [
      { name: 'pageview', hostname: 'blog.example.com', utm_source: 'newsletter', utm_campaign: 'launch', referrer_source: 'Newsletter', screen_width: 1280, props: '{}', revenue_amount: null, revenue_currency: '', scroll_depth: null, engagement_ms: null },
      { name: 'Purchase', hostname: 'example.com', utm_source: '', utm_campaign: '', referrer_source: '', screen_width: null, props: '{"sku":"A1","qty":"2"}', revenue_amount: 19.9, revenue_currency: 'EUR', scroll_depth: null, engagement_ms: null },
      { name: 'engagement', hostname: 'example.com', utm_source: '', utm_campaign: '', referrer_source: '', screen_width: null, props: '{}', revenue_amount: null, revenue_currency: '', scroll_depth: 80, engagement_ms: 4500 },
    ]);
  });

  it('answers CORS preflight for the event API without credentials', async () => {
    const res = await fetch(`${server.url}/api/event`, { method: 'OPTIONS', headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' } });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
  });

  it('serves /a.js pointing at the public URL and /script.js', async () => {
    const classic = await fetch(`${server.url}/a.js`);
    assert.match(classic.headers.get('content-type') ?? '', /^text\/javascript/);
    const code = await classic.text();
    assert.ok(code.includes(JSON.stringify(`${server.url}/a.gif`)), code);
    assert.match(code, /url=/);
    const modern = await fetch(`${server.url}/script.js`);
    assert.equal(modern.status, 200);
    assert.match(await modern.text(), /api\/event/);
  });

  it('answers at least 20 kinds of bad input with a one-line 4xx and stores nothing', async () => {
    const big = 'x'.repeat(9000);
    const ok = { n: 'pageview', u: 'https://example.com/bad-input', d: 'example.com' };
    const json = (patch: Record<string, unknown>) => JSON.stringify({ ...ok, ...patch });
    const gif = (query: string) => fetch(`${server.url}/a.gif?${query}`, { headers: { 'user-agent': DESKTOP_UA } });
    const cases: Array<[string, () => Promise<Response>, number]> = [
      ['gif without url', () => gif('t=x'), 400],
      ['gif with empty url', () => gif('url='), 400],
      ['gif with a relative url', () => gif('url=%2Fbad-input'), 400],
      ['gif with an ftp url', () => gif('url=ftp%3A%2F%2Fexample.com%2Fbad-input'), 400],
      ['gif with a javascript: url', () => gif('url=javascript%3Aalert(1)'), 400],
      ['gif with a 3000-character url', () => gif(`url=${encodeURIComponent(`https://example.com/bad-input?${'a'.repeat(3000)}`)}`), 400],
      ['event body that is not JSON', () => post('{"n":'), 400],
      ['event body that is an array', () => post('[1,2]'), 400],
      ['event without name', () => post(JSON.stringify({ u: ok.u, d: ok.d })), 400],
      ['event without url', () => post(JSON.stringify({ n: 'pageview', d: ok.d })), 400],
      ['name that is a number', () => post(json({ n: 42 })), 400],
      ['url that is relative', () => post(json({ u: '/bad-input' })), 400],
      ['domain that is a number', () => post(json({ d: 7 })), 400],
      ['referrer that is an object', () => post(json({ r: { a: 1 } })), 400],
      ['props that is an array', () => post(json({ p: [1, 2] })), 400],
      ['props JSON string that does not parse', () => post(json({ p: '{nope' })), 400],
      ['props value that is an object', () => post(json({ p: { a: { b: 1 } } })), 400],
      ['props with 31 keys', () => post(json({ p: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])) })), 400],
      ['screen width that is a string', () => post(json({ w: 'wide' })), 400],
      ['hash flag that is a word', () => post(json({ h: 'yes' })), 400],
      ['revenue with a bad currency', () => post(json({ $: { amount: 5, currency: 'euros' } })), 400],
      ['body over 8 KB', () => post(json({ p: { big } })), 413],
      ['invalid UTF-8 body', () => post(Buffer.concat([Buffer.from('{"n":"pageview","u":"https://example.com/bad-input","t":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])), 400],
      ['XML content type', () => post(json({}), 'application/xml'), 415],
      ['empty body', () => post(''), 400],
      ['PUT on the event API', () => post(json({}), 'text/plain', 'PUT'), 405],
      ['GET on the event API', () => fetch(`${server.url}/api/event`), 405],
      ['DELETE on the pixel', () => fetch(`${server.url}/a.gif?url=https%3A%2F%2Fexample.com%2Fbad-input`, { method: 'DELETE' }), 405],
    ];
    for (const [label, send, status] of cases) {
      const res = await send();
      assert.equal(res.status, status, `${label}: got ${res.status}`);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.ok(body.error.message.length > 0 && !body.error.message.includes('\n'), `${label}: one-line reason, got ${JSON.stringify(body)}`);
    }
    // The same data, well-formed, is stored exactly once: none of the bad ones slipped in.
    assert.equal((await post(json({}))).status, 202);
    assert.equal(await waitForCount(server, "select count(*) from events where pathname = '/bad-input'", 1), 1);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, new RegExp(`footfall_events_rejected_total ${cases.length}\\b`));
  });
});
