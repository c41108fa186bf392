import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classicScript } from '../../src/tracker/classic.js';

/** Runs the script against minimal fakes of the browser globals it touches; returns the pixel srcs. */
function runInFakeBrowser(source: string, page: { href: string; title: string; referrer: string }): string[] {
  const requested: string[] = [];
  class FakeImage {
    set src(value: string) {
      requested.push(value);
    }
  }
  const run = new Function('Image', 'location', 'document', source) as (...args: unknown[]) => void;
  run(FakeImage, { href: page.href }, { title: page.title, referrer: page.referrer });
  return requested;
}

test('classicScript is valid JavaScript that embeds the public URL', () => {
  const source = classicScript('https://stats.example.com');
  assert.doesNotThrow(() => new Function(source));
  assert.ok(source.includes('"https://stats.example.com/a.gif"'));
});

test('classicScript requests a.gif with url, title and referrer encoded', () => {
  const page = {
    href: 'https://blog.example.org/posts/1?x=1&y=2#top',
    title: 'Hello & welcome / ünïcode',
    referrer: 'https://search.example/?q=a b',
  };
  const requested = runInFakeBrowser(classicScript('https://stats.example.com/'), page);
  assert.deepEqual(requested, [
    'https://stats.example.com/a.gif' +
      `?url=${encodeURIComponent(page.href)}` +
      `&t=${encodeURIComponent(page.title)}` +
      `&ref=${encodeURIComponent(page.referrer)}`,
  ]);
  const query = new URL(requested[0] ?? '').searchParams;
  assert.equal(query.get('url'), page.href);
  assert.equal(query.get('t'), page.title);
  assert.equal(query.get('ref'), page.referrer);
});

test('classicScript keeps a hostile public URL inside a string literal', () => {
  const hostile = 'https://x.example/"+alert(1)+"</script>\u2028';
  const source = classicScript(hostile);
  assert.ok(!source.includes('</script>'));
  const requested = runInFakeBrowser(source, { href: 'https://a.example/', title: '', referrer: '' });
  assert.equal(requested[0], `${hostile}/a.gif?url=${encodeURIComponent('https://a.example/')}&t=&ref=`);
});
