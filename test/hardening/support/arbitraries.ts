/**
 * fast-check generators shared by the parser properties (fuzz-parse) and the HTTP fuzzer
 * (fuzz-http, which samples them): text with NUL, lone surrogates and other awkward strings;
 * small JSON values; mostly-valid event bodies and Stats API queries with fields of wrong types.
 */
import fc from 'fast-check';
import { FILTER_OPERATORS, MAX_LIMIT, METRICS } from '../../../src/query/model.js';
import { DIMENSION_NAMES } from '../../../src/query/parse-dimension.js';

/** Single UTF-16 code units, so lone surrogates and NUL turn up often. */
export const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const NASTY = ['', ' ', '\u0000', '\ud800', '\udfff', '\ud83d', '😀', '\uFEFF', '%00', '%ED%A0%80', '%', '../..', '\\', '"', "'",
  '<script>alert(1)</script>', 'null', 'undefined', '__proto__', 'constructor', 'toString', 'x'.repeat(2001), '😀'.repeat(300), 'a'.repeat(499) + '😀'];
/** Keys every plain object inherits: lookups in a plain-object table must not find them. */
export const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', 'toLocaleString'];
export const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.constantFrom(...NASTY),
);
export const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1, 32767, 32768, 65536, 100_000, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -0));
/** Any JSON value, small, with our nasty strings and numbers inside. */
export const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text, number, fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

export const pageUrl = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.tuple(fc.constantFrom('https://example.com/', 'http://www.example.com/a?', 'https://sub.example.com/p#'), text).map(([a, b]) => a + b),
  fc.tuple(fc.constantFrom('https://example.com/', 'https://example.com/?utm_source=', 'https://example.com/?ref='),
    fc.constantFrom('%00', '%ED%A0%80', '%F0%9F%98%80', '%C0%AF', 'a%00b', ...PROTOTYPE_KEYS)).map(([a, b]) => a + b),
  // Referrer hosts that are names of Object.prototype members.
  fc.constantFrom(...PROTOTYPE_KEYS.map((k) => `https://${k}/`), ...PROTOTYPE_KEYS.map((k) => `https://www.${k}.com/`)),
  text,
);

const EVENT_KEYS = ['name', 'n', 'url', 'u', 'domain', 'd', 'referrer', 'r', 'title', 't', 'props', 'p', 'revenue', '$', 'hash', 'h',
  'interactive', 'i', 'screen_width', 'w', 'version', 'v', 'scroll_depth', 'sd', 'engagement_time', 'e'] as const;

/** Mostly-valid event bodies with some fields replaced by anything. */
export const eventObject = fc.record({
  n: fc.oneof(fc.constantFrom('pageview', 'engagement', 'Signup'), text, json),
  u: fc.oneof(pageUrl, json),
  d: fc.oneof(fc.constant('example.com'), text, json),
  r: fc.oneof(pageUrl, json),
  t: fc.oneof(text, json),
  p: fc.oneof(fc.dictionary(text, fc.oneof(text, number, fc.boolean(), fc.constant(null)), { maxKeys: 35 }), text, json),
  $: fc.oneof(fc.record({ amount: fc.oneof(number, text), currency: fc.oneof(fc.constantFrom('EUR', 'usd', 'XX'), text) }), json),
  w: fc.oneof(number, json), sd: fc.oneof(number, json), e: fc.oneof(number, json),
  h: fc.oneof(fc.boolean(), fc.constantFrom(0, 1, 2), json), i: fc.oneof(fc.boolean(), json), v: json,
}, { requiredKeys: [] }).chain((body) => fc.record({
  extra: fc.dictionary(fc.constantFrom(...EVENT_KEYS), json, { maxKeys: 3 }),
}).map(({ extra }) => ({ ...body, ...extra })));

export const eventBodyText = fc.oneof(
  eventObject.map((o) => JSON.stringify(o)),
  json.map((v) => JSON.stringify(v) ?? 'null'),
  text,
  // Mutations of a valid body: truncated, with bytes flipped, with a raw lone surrogate.
  fc.tuple(eventObject.map((o) => JSON.stringify({ n: 'pageview', u: 'https://example.com/', ...o })), fc.nat(), codeUnit)
    .map(([s, at, c]) => (at % 3 === 0 ? s.slice(0, at % (s.length + 1)) : s.slice(0, at % (s.length + 1)) + c + s.slice((at % (s.length + 1)) + 1))),
);

/** Mostly the valid choice, sometimes anything: valid queries must come out often enough to check their invariants. */
export const mostly = <T>(valid: fc.Arbitrary<T>, wrong: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: wrong, weight: 1 });
export const dimension = mostly(fc.constantFrom(...DIMENSION_NAMES.filter((d) => !d.includes('<')), 'event:props:plan'), fc.oneof(text, json));
export const filter: fc.Arbitrary<unknown> = fc.letrec<{ f: unknown }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fc.tuple(mostly(fc.constantFrom(...FILTER_OPERATORS), fc.oneof(fc.constant('nope'), json)), dimension,
      mostly(fc.array(fc.oneof(text, fc.constantFrom('(', '[a-', '.*', '(?=x)', '\\1', 'a{99999}', '\\p{L}')), { minLength: 1, maxLength: 3 }), json))
      .chain((leaf) => fc.option(mostly(fc.record({ case_sensitive: mostly(fc.boolean(), json) }), json)).map((m) => (m === null ? leaf : [...leaf, m]))), weight: 3 },
    fc.tuple(fc.constantFrom('and', 'or'), fc.array(tie('f'), { maxLength: 3 })),
    fc.tuple(fc.constant('not'), tie('f')),
    json,
  ),
})).f;
export const dateRange = mostly(fc.constantFrom('day', '7d', '30d', 'month', '6mo', '12mo', 'year', 'all'), fc.oneof(
  fc.constantFrom('day', '7d', '30d', 'month', '6mo', '12mo', 'year', 'all', '0d', '3661d', '121mo', '9999d', ['2024-01-01', '2024-01-31'],
    ['2024-02-30', '2024-03-01'], ['2024-03-01', '2024-01-01'], ['1969-12-31', '2024-01-01'], ['9999-12-31', '9999-12-31'], ['2024-01-01']),
  fc.tuple(fc.date({ noInvalidDate: true }), fc.date({ noInvalidDate: true })).map(([a, b]) => [a.toISOString().slice(0, 10), b.toISOString().slice(0, 10)]),
  json,
));
export const queryBody = fc.record({
  site_id: mostly(fc.constant('example.com'), fc.oneof(text, json)),
  metrics: mostly(fc.subarray(METRICS.filter((m) => m !== 'conversion_rate'), { minLength: 1 }), fc.oneof(fc.array(fc.oneof(fc.constantFrom(...METRICS), text), { maxLength: 4 }), json)),
  date_range: dateRange,
  dimensions: mostly(fc.array(dimension, { maxLength: 3 }), json),
  filters: mostly(fc.array(filter, { maxLength: 3 }), json),
  order_by: mostly(fc.array(fc.tuple(fc.oneof(fc.constantFrom(...METRICS), dimension), fc.constantFrom('asc', 'desc', 'up')), { minLength: 1, maxLength: 2 }), json),
  include: mostly(fc.record({ time_labels: mostly(fc.boolean(), json), total_rows: mostly(fc.boolean(), json), comparisons: mostly(fc.record({ mode: fc.constantFrom('previous_period', 'year_over_year', 'x') }), json) }, { requiredKeys: [] }), json),
  pagination: mostly(fc.record({ limit: mostly(fc.integer({ min: 1, max: MAX_LIMIT }), fc.oneof(number, json)), offset: mostly(fc.nat(), fc.oneof(number, json)) }, { requiredKeys: [] }), json),
}, { requiredKeys: ['site_id', 'metrics', 'date_range'] })
  .chain((q) => fc.option(fc.dictionary(fc.oneof(text, fc.constantFrom('__proto__', 'constructor')), json, { minKeys: 1, maxKeys: 1 }), { freq: 8 })
    .map((extra) => (extra ? { ...q, ...extra } : q)));
