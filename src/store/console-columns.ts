/** Column names of a console answer, the same on every store. */

/**
 * Makes repeated names unique the way DuckDB's deduplicatedColumnNames does: the second `a` is
 * `a:1`, the third `a:2`. Rows are keyed by column name, so a repeat would hide a column.
 */
export function deduplicateColumnNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count > 1 ? `${name}:${count - 1}` : name;
  });
}
