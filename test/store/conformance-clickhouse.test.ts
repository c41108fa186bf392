/** The store conformance suite on ClickHouse, through the in-process chdb engine (scripts/ci-chdb.sh). */
import { openChdb } from '../query/support/other-stores.js';
import { conformanceSuite } from './conformance.js';

conformanceSuite('clickhouse', openChdb);
