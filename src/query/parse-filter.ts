/**
 * Parses Plausible v2 filters: [operator, dimension, [values...], {case_sensitive}] leaves
 * combined with ["and", [...]], ["or", [...]] and ["not", filter]. Messages name the path of
 * the bad element, e.g. `filters[1][2][0]`.
 */
import { AppError } from '../errors.js';
import { FILTER_OPERATORS, type Filter, type FilterLeaf, type FilterOperator } from './model.js';
import { parseDimension } from './parse-dimension.js';
import { describeValue } from './describe-value.js';

const MAX_DEPTH = 8;
const MAX_VALUES = 1000;
const MAX_VALUE_LENGTH = 2000;

function bad(field: string, message: string): AppError {
  return new AppError('invalid_query', `${field}: ${message}`, { field });
}

/** Validates one filter (recursively); `field` is its path in the body, used in messages. */
export function parseFilter(value: unknown, field: string, depth = 0): Filter {
  if (depth > MAX_DEPTH) throw bad(field, `filters nest at most ${MAX_DEPTH} levels deep`);
  if (!Array.isArray(value) || value.length === 0) throw bad(field, 'expected a filter array like ["is", "event:page", ["/"]]');
  const op: unknown = value[0];
  if (op === 'and' || op === 'or') {
    const children: unknown = value[1];
    if (value.length !== 2 || !Array.isArray(children) || children.length === 0) {
      throw bad(field, `expected ["${op}", [filter, ...]] with at least one filter`);
    }
    return { op, filters: children.map((child, i) => parseFilter(child, `${field}[1][${i}]`, depth + 1)) };
  }
  if (op === 'not') {
    if (value.length !== 2) throw bad(field, 'expected ["not", filter]');
    return { op, filter: parseFilter(value[1], `${field}[1]`, depth + 1) };
  }
  if (typeof op !== 'string' || !(FILTER_OPERATORS as readonly string[]).includes(op)) {
    throw bad(`${field}[0]`, `unknown filter operator ${describeValue(op)} (known: ${[...FILTER_OPERATORS, 'and', 'or', 'not'].join(', ')})`);
  }
  if (value.length < 3 || value.length > 4) throw bad(field, `expected ["${op}", dimension, [values...], {case_sensitive}?]`);
  const dimension = parseDimension(value[1], `${field}[1]`);
  if (dimension.kind === 'time') throw bad(`${field}[1]`, `cannot filter by ${dimension.name}; choose the time span with date_range`);
  const values = value[2];
  if (!Array.isArray(values) || values.length === 0 || values.length > MAX_VALUES) {
    throw bad(`${field}[2]`, `expected an array of 1 to ${MAX_VALUES} strings`);
  }
  values.forEach((v, i) => {
    if (typeof v !== 'string' || v.length > MAX_VALUE_LENGTH) throw bad(`${field}[2][${i}]`, `expected a string of at most ${MAX_VALUE_LENGTH} characters`);
  });
  let caseSensitive = true;
  if (value.length === 4) {
    const modifiers: unknown = value[3];
    if (typeof modifiers !== 'object' || modifiers === null || Array.isArray(modifiers)) throw bad(`${field}[3]`, 'expected an object like {"case_sensitive": false}');
    for (const [k, v] of Object.entries(modifiers)) {
      if (k !== 'case_sensitive') throw bad(`${field}[3].${k}`, 'unknown filter modifier (known: case_sensitive)');
      if (typeof v !== 'boolean') throw bad(`${field}[3].case_sensitive`, 'expected true or false');
      caseSensitive = v;
    }
  }
  const operator = op as FilterOperator;
  if (operator === 'matches' || operator === 'matches_not') {
    (values as string[]).forEach((pattern, i) => checkRegex(pattern, `${field}[2][${i}]`));
  }
  return { op: operator, dimension, values: values as string[], caseSensitive };
}

/**
 * Patterns run on RE2 (DuckDB, ClickHouse) or POSIX (Postgres), so only the common subset is
 * accepted: it must compile as a JavaScript RegExp and use no look-around or back-references.
 */
function checkRegex(pattern: string, field: string): void {
  try {
    new RegExp(pattern);
  } catch (err) {
    throw bad(field, `the regular expression does not compile: ${(err as Error).message}`);
  }
  if (/\(\?<?[=!]/.test(pattern)) throw bad(field, 'look-ahead and look-behind are not supported in regular expressions');
  if (/\\[1-9]|\\k</.test(pattern)) throw bad(field, 'back-references are not supported in regular expressions');
}

/** Every dimension a filter tree uses. */
export function filterLeaves(filter: Filter | undefined): FilterLeaf[] {
  if (!filter) return [];
  if ('dimension' in filter) return [filter];
  if (filter.op === 'not') return filterLeaves(filter.filter);
  return filter.filters.flatMap(filterLeaves);
}
