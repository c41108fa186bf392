/** Counters of the collector, shown at /metrics and /healthz. */
import type { DropReason } from './hit.js';

export class IngestMetrics {
  accepted = 0;
  readonly dropped = new Map<DropReason, number>();
  /** 4xx answers from the collector endpoints (malformed hits). */
  rejected = 0;
  flushes = 0;
  flushFailures = 0;
  flushSecondsTotal = 0;
  lastFlushSeconds = 0;
  storedEvents = 0;
  /** Spool writes that failed (a full disk): those hits were refused, not acknowledged. */
  spoolWriteFailures = 0;
  /** Segments (and their events) set aside because the store refuses their content. */
  quarantinedSegments = 0;
  quarantinedEvents = 0;

  drop(reason: DropReason): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }
}
