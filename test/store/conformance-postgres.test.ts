/** The store conformance suite on PostgreSQL (a fresh database on FOOTFALL_TEST_PG_URL; scripts/ci-postgres.sh). */
import { openPostgres } from '../query/support/other-stores.js';
import { conformanceSuite } from './conformance.js';

conformanceSuite('postgres', openPostgres);
