/*
 * Footfall browser tracker, served at GET /script.js. Plain browser code, no imports:
 * src/tracker/build.ts bundles it with esbuild into a minified IIFE (budget: 1,000 bytes gzipped).
 *
 * Usage:
 *   <script defer data-domain="example.com" src="https://footfall.example/script.js"></script>
 *
 * Attributes on the script tag (presence is enough for the boolean ones):
 *   data-domain           site domain sent as `d` (default: location.hostname)
 *   data-api              event endpoint (default: <origin of this script's src>/api/event)
 *   data-hash             hash-based routing: hashchange is a navigation, the hash is part of the page (`h: 1`)
 *   data-outbound-links   clicks on links to another host send "Outbound Link: Click" {url}
 *   data-file-downloads   clicks on links to common file types send "File Download" {url without query}
 *   data-allow-local      also send from localhost / 127.x / [::1] / file: pages
 *   data-allow-webdriver  also send when navigator.webdriver is true (automated browsers)
 *
 * Custom events: footfall(name, { props?, callback? }). Calls made before this
 * script loaded are queued by the snippet
 *   window.footfall = window.footfall || function () { (window.footfall.q = window.footfall.q || []).push(arguments) }
 * and replayed in order once the first pageview has been sent.
 *
 * Privacy: no cookies and no storage of any kind; the server derives visitors from a rotating hash.
 */
export {}; // makes this file a module for tsc, so its names stay out of the global scope

interface Options {
  props?: Record<string, unknown>;
  /** Called once the event is handed to the browser (or ignored); there is no response to wait for. */
  callback?: () => void;
}
type Footfall = ((name: string, options?: Options) => void) & { q?: IArguments[] };

const w = window as unknown as { footfall?: Footfall };
const doc = document;
const nav = navigator;
const loc = location;
// currentScript is set while any classic script runs, defer/async ones included; the tag
// must be a plain <script src> as in the usage above (not type=module).
const tag = doc.currentScript as HTMLScriptElement;
const attr = (name: string) => tag.getAttribute('data-' + name);
const flag = (name: string) => attr(name) != null;

const endpoint = attr('api') || new URL('/api/event', tag.src).href;
const domain = attr('domain') || loc.hostname;
const hashMode = flag('hash');

// Why events are ignored here, if they are: named after the attribute that lifts it.
// file: pages have an empty hostname, hence the empty alternative.
const ignored =
  !flag('allow-local') && /^(localhost|127(\.\d+){3}|\[::1\]|)$/.test(loc.hostname)
    ? 'local'
    : !flag('allow-webdriver') && nav.webdriver
      ? 'webdriver'
      : '';
let warned = false;

const send: Footfall = (name, options = {}) => {
  const done = () => options.callback && options.callback();
  if (ignored) {
    if (!warned) console.warn('footfall: no events (' + ignored + '); set data-allow-' + ignored);
    warned = true;
    return done();
  }
  const body = JSON.stringify({
    n: name,
    u: loc.href,
    d: domain,
    r: doc.referrer || null,
    w: innerWidth,
    h: hashMode ? 1 : undefined, // JSON.stringify drops undefined keys
    p: options.props,
    t: doc.title,
  });
  // text/plain is a CORS-safelisted type: no preflight. sendBeacon survives page unload
  // (link clicks); it returns false when its queue is full, then fetch+keepalive takes over.
  if (nav.sendBeacon && nav.sendBeacon(endpoint, new Blob([body], { type: 'text/plain' }))) return done();
  fetch(endpoint, { method: 'POST', body, keepalive: true, headers: { 'Content-Type': 'text/plain' } }).then(done, done);
};

// A pageview is sent only when the page key changes, so routers that replaceState the
// same path (query or state updates) do not double count.
let lastPage: string | undefined;
const page = () => {
  const key = loc.pathname + (hashMode ? loc.hash : '');
  if (key != lastPage) {
    lastPage = key;
    send('pageview');
  }
};

for (const method of ['pushState', 'replaceState'] as const) {
  const original = history[method];
  history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
    original.apply(this, args);
    page();
  };
}
addEventListener('popstate', page);
if (hashMode) addEventListener('hashchange', page);

const outbound = flag('outbound-links');
const downloads = flag('file-downloads');
if (outbound || downloads) {
  const onClick = (event: MouseEvent) => {
    const target = event.target as Element;
    // The target is the document itself for synthetic clicks dispatched on it: no closest().
    const link = target.closest && (target.closest('a[href]') as HTMLAnchorElement | null);
    // auxclick also fires for right clicks; only the middle button opens a link.
    if (!link || (event.type == 'auxclick' && event.button != 1)) return;
    if (outbound && link.host && link.host != loc.host) send('Outbound Link: Click', { props: { url: link.href } });
    else if (
      downloads &&
      /\.(pdf|xlsx|docx|txt|rtf|csv|exe|key|pps|pptx?|7z|pkg|rar|gz|zip|avi|mov|mp4|mpeg|wmv|midi|mp3|wav|wma|dmg)$/i.test(link.pathname)
    )
      send('File Download', { props: { url: link.origin + link.pathname } });
  };
  // Capture phase: a page handler calling stopPropagation must not hide the click.
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('auxclick', onClick, true);
}

const queue = (w.footfall && w.footfall.q) || [];
w.footfall = send;
page();
for (const args of queue) send(...(args as unknown as Parameters<Footfall>));
