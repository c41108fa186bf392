/** Taking a client from the pool for a transaction or a multi-statement task. */
import type { Pool, PoolClient } from 'pg';
import { unavailable } from './pg-errors.js';

/**
 * A checked-out client has no listener of the pool's: if the server goes away between two of
 * its queries, its 'error' event would crash the process. With this one the next query fails
 * instead, and the caller reports it. A failed connect is the store being unavailable.
 */
export async function checkout(pool: Pool): Promise<PoolClient> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw unavailable(err);
  }
  if (client.listenerCount('error') === 0) client.on('error', () => undefined);
  return client;
}
