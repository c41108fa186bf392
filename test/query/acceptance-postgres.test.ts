/** The acceptance queries on the Postgres store (skipped without a server; see scripts/ci-postgres.sh). */
import { acceptanceSuite } from './support/acceptance-suite.js';
import { openPostgres } from './support/other-stores.js';

acceptanceSuite('postgres', 12_000, openPostgres);
