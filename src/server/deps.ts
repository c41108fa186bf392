/** What the HTTP app is built from (createApp(deps)); the composition root wires them. */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Ingestor } from '../ingest/ingestor.js';
import type { Store } from '../store/store.js';
import type { AccountDeps } from './session/account-deps.js';

export interface AppDeps {
  config: Config;
  /** The store, wrapped so that site changes reload the collector's site registry. */
  store: Store;
  clock: Clock;
  /** Bearer token with admin rights for this machine's CLI (written to server.json). */
  adminToken: string;
  ingestor: Ingestor;
  /** The built /script.js (cached by the caller). */
  trackerScript: () => Promise<string>;
  /** Setup token, rate limiters and the dashboard's files (see session/account-deps.ts). */
  accounts: AccountDeps;
}
