/** The store conformance suite on DuckDB, the embedded default. */
import { openDuckDb } from '../query/support/dataset.js';
import { conformanceSuite } from './conformance.js';

conformanceSuite('duckdb', openDuckDb);
