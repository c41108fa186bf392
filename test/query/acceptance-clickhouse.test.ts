/** The acceptance queries on the ClickHouse store through chdb (skipped when chdb is not installed). */
import { acceptanceSuite } from './support/acceptance-suite.js';
import { openChdb } from './support/other-stores.js';

acceptanceSuite('clickhouse', 12_000, openChdb);
