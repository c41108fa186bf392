/**
 * The classic tracker served at GET /a.js, kept for sites that embed the original
 * `<script src=".../a.js">` snippet: it requests `/a.gif` with the page URL, title and referrer
 * in the query string, which works without CORS or JavaScript APIs newer than `Image`.
 */

/**
 * Returns the JavaScript source of `/a.js`.
 * @param publicUrl the externally visible base URL of this Footfall server, e.g.
 *   `https://stats.example.com` (a trailing slash is ignored). It is embedded as a JSON string
 *   literal so no value can break out of the script.
 */
export function classicScript(publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  // JSON.stringify leaves U+2028/U+2029 and "</script>" alone; escape them so the source is
  // safe even when inlined into HTML or parsed by pre-ES2019 engines.
  const literal = JSON.stringify(base + '/a.gif')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/</g, '\\u003c');
  return `(function () {
  var e = encodeURIComponent;
  var pixel = new Image(1, 1);
  pixel.src = ${literal} + "?url=" + e(location.href) + "&t=" + e(document.title) + "&ref=" + e(document.referrer);
})();
`;
}
