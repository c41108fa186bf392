/**
 * Remembers a function's results per string key, up to `limit` keys (then starts afresh): for
 * per-User-Agent work, where a site's traffic comes from few distinct strings.
 */
export function boundedMemo<V>(compute: (key: string) => V, limit: number): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      if (cache.size >= limit) cache.clear();
      cache.set(key, value);
    }
    return value;
  };
}
