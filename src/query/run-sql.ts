/** Runs compiled SQL on a store, turning engine errors the user caused into AppErrors. */
import { AppError, messageOf } from '../errors.js';
import type { Row, Store } from '../store/store.js';
import type { CompiledSql } from './compile/dialect.js';

/** Store.query with engine errors mapped: a regex the engine rejects is invalid_query, the rest 'store'. */
export async function runSql(store: Store, compiled: CompiledSql): Promise<Row[]> {
  try {
    return await store.query(compiled.sql, compiled.params);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const message = messageOf(err);
    // The parser accepted the pattern, but the engine's regex library may still refuse it.
    if (/regex|regular expression|missing \)|missing \]|invalid perl operator|repetition/i.test(message)) {
      throw new AppError('invalid_query', `filters: a regular expression was rejected by the database: ${message}`, { field: 'filters' });
    }
    throw new AppError('store', `query failed: ${message}`);
  }
}
