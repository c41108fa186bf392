/** Small statements about a site's data extent (the start of date_range "all"). */
import { SqlParams, type CompiledSql, type Dialect } from './dialect.js';

/** First counted event of a site: one row with `first_ms` (epoch ms UTC) or NULL. */
export function compileFirstEvent(d: Dialect, siteId: number): CompiledSql {
  const p = new SqlParams(d);
  const sql = `SELECT ${d.epochMs('min(ts)')} AS first_ms FROM events WHERE site_id = ${p.add(siteId)} AND name <> 'engagement'`;
  return { sql: sql + d.querySuffix, params: p.values };
}
