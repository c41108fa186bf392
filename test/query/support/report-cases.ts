/** The report cases: every report, each option, a DST zone and the raw-mode site (index 2). */
import type { ReportName } from '../../../src/query/reports.js';

export interface ReportCase {
  site: number;
  name: ReportName;
  range: [string, string];
  by?: 'title' | 'path';
  bucketHours?: number;
  limit?: number;
  /** The expected answer must have at least this many rows (guards against vacuous passes). */
  minRows: number;
}

export const REPORT_CASES: ReportCase[] = [
  { site: 0, name: 'pageviews', range: ['2024-03-29', '2024-04-04'], minRows: 1 },
  { site: 2, name: 'pageviews', range: ['2024-03-01', '2024-03-31'], minRows: 1 },
  { site: 0, name: 'unique-visitors', range: ['2024-03-29', '2024-04-04'], minRows: 1 },
  { site: 2, name: 'unique-visitors', range: ['2024-03-01', '2024-03-31'], minRows: 1 },
  { site: 0, name: 'top-pages', range: ['2024-03-01', '2024-03-31'], minRows: 10 },
  { site: 0, name: 'top-pages', range: ['2024-03-01', '2024-03-31'], by: 'path', limit: 25, minRows: 25 },
  { site: 0, name: 'hour-buckets', range: ['2024-03-25', '2024-04-04'], minRows: 6 },
  { site: 1, name: 'hour-buckets', range: ['2024-03-05', '2024-03-15'], bucketHours: 3, minRows: 8 },
  { site: 2, name: 'hour-buckets', range: ['2024-03-01', '2024-03-31'], bucketHours: 1, minRows: 24 },
  { site: 0, name: 'top-user-agents', range: ['2024-03-01', '2024-03-31'], minRows: 10 },
  { site: 2, name: 'top-user-agents', range: ['2024-03-01', '2024-03-31'], limit: 5, minRows: 5 },
  { site: 0, name: 'visitor-paths', range: ['2024-03-29', '2024-04-04'], minRows: 10 },
  { site: 2, name: 'visitor-paths', range: ['2024-03-01', '2024-03-31'], limit: 20, minRows: 20 },
];
