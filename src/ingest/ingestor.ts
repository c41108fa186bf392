/**
 * The collector's back half: runs the pipeline, makes accepted events durable in the spool,
 * and moves closed spool segments into the store on size, interval and shutdown. Writes to
 * the store never run on the request path; a failing store is retried with backoff while
 * acknowledged events wait on disk, and new writes are turned away past a bounded backlog.
 * A spool write that fails (a full disk) is not acknowledged and turns new writes away for a
 * moment. A segment whose content the store refuses (store-failure.ts) is quarantined after a
 * few attempts, so one unstorable row does not stop everything behind it.
 */
import type { Clock } from '../clock.js';
import { messageOf } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Hit, DropReason, RequestInfo } from './hit.js';
import { isDrop } from './hit.js';
import { IngestMetrics } from './ingest-metrics.js';
import type { IdentifiedHit, Pipeline } from './pipeline.js';
import { quarantineSegment } from './quarantine.js';
import type { ClosedSegment, Spool } from './spool.js';
import { SpoolBatch } from './spool-batch.js';
import { classifyStoreFailure } from './store-failure.js';

export interface IngestorOptions {
  flushIntervalMs: number;
  flushMaxEvents: number;
  /** Events accepted but not yet in the store beyond which new hits are refused. */
  maxPendingEvents: number;
  /**
   * Collectors sharing a store: called for a visitor this process has no open visit for, to
   * resume a visit another process started (see query/open-visit.ts).
   */
  resumeVisit?: (identified: IdentifiedHit) => Promise<void>;
  log?: (message: string) => void;
}

export type AcceptResult = { accepted: true } | { accepted: false; reason: DropReason };

const MAX_BACKOFF_MS = 10_000;
/** How long new writes are turned away after a spool write failed, before the next try. */
const SPOOL_PAUSE_MS = 1_000;
/** Attempts with a data error (the store refuses the content) before a segment is quarantined. */
export const QUARANTINE_AFTER_ATTEMPTS = 3;
/** Pause between those attempts: short, as the store itself is up. */
const DATA_RETRY_MS = 500;

export class Ingestor {
  readonly metrics = new IngestMetrics();
  private readonly pending: ClosedSegment[] = [];
  private pendingEvents = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failures = 0;
  private retryAt = 0;
  /** Until when writes are refused after a failed spool write (ms since epoch). */
  private spoolPausedUntil = 0;
  /** Data errors in a row for the segment at the head of the queue. */
  private dataErrors = 0;
  private closed = false;
  /** Accepted events waiting for this turn's spool write. */
  private readonly batch: SpoolBatch;

  constructor(
    private readonly store: Store,
    private readonly spool: Spool,
    private readonly pipeline: Pipeline,
    private readonly clock: Clock,
    private readonly options: IngestorOptions,
  ) {
    this.batch = new SpoolBatch(spool);
  }

  /** Queues segments left over from a previous run and starts the flush timer. */
  async start(): Promise<void> {
    for (const segment of this.spool.leftovers()) this.enqueue(segment);
    await this.flush();
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /**
   * Runs the pipeline and, when the hit counts, writes it durably before resolving: the events
   * of one event-loop turn share one spool write (spool-batch.ts). A collector sharing its
   * store may also wait for resumeVisit.
   */
  async accept(hit: Hit, request: RequestInfo): Promise<AcceptResult> {
    if (this.closed || this.overloaded) return this.dropped('overload');
    const identified = this.pipeline.identify(hit, request);
    if (isDrop(identified)) return this.dropped(identified.drop);
    if (this.options.resumeVisit) await this.options.resumeVisit(identified);
    const result = this.pipeline.complete(identified);
    if (isDrop(result)) return this.dropped(result.drop);
    try {
      await this.batch.add(result);
    } catch (err) {
      return this.spoolFailed(err);
    }
    this.metrics.accepted++;
    if (this.spool.currentEvents >= this.options.flushMaxEvents) void this.flush();
    return { accepted: true };
  }

  /**
   * True while the store is failing or behind by more than the backlog allows: new API writes
   * get 503 + Retry-After and beacons are dropped (counted as 'overload'), while everything
   * already acknowledged waits in the spool and is retried.
   */
  get overloaded(): boolean {
    return this.failures > 0 || this.clock.now() < this.spoolPausedUntil
      || this.queueDepth >= this.options.maxPendingEvents;
  }

  /** Accepted events not yet committed to the store. */
  get queueDepth(): number {
    return this.pendingEvents + this.spool.currentEvents + this.batch.size;
  }

  /** Seconds a refused client should wait. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((Math.max(this.retryAt, this.spoolPausedUntil) - this.clock.now()) / 1000));
  }

  /** Closes the open segment and moves every closed one into the store (one flush at a time). */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.drain().finally(() => {
        this.flushing = undefined;
      });
    }
    return this.flushing;
  }

  /** Stops accepting, flushes until done or the deadline, and leaves the rest on disk for replay. */
  async close(deadlineMs: number): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    const deadline = Date.now() + deadlineMs;
    while (Date.now() < deadline) {
      await this.flush();
      if (this.queueDepth === 0) break;
      this.retryAt = 0;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const last = this.spool.close();
    if (last) this.enqueue(last);
  }

  private async drain(): Promise<void> {
    for (const sealed of this.spool.takeSealed()) this.enqueue(sealed);
    const rotated = this.spool.rotate();
    if (rotated) this.enqueue(rotated);
    if (this.clock.now() < this.retryAt) return;
    while (this.pending.length > 0) {
      const segment = this.pending[0]!;
      if (!this.spool.exists(segment)) {
        this.options.log?.(`spool segment ${segment.path} is gone (removed by hand?): ${segment.events} events skipped`);
        this.dequeue(segment);
        continue;
      }
      const started = performance.now();
      try {
        const stored = await this.store.ingestSegment(segment);
        this.spool.remove(segment);
        this.dequeue(segment);
        const seconds = (performance.now() - started) / 1000;
        this.metrics.flushes++;
        this.metrics.storedEvents += stored;
        this.metrics.flushSecondsTotal += seconds;
        this.metrics.lastFlushSeconds = seconds;
        this.failures = 0;
      } catch (err) {
        this.metrics.flushFailures++;
        if (classifyStoreFailure(err) === 'data') {
          if (this.refused(segment, err)) continue;
          return;
        }
        this.dataErrors = 0;
        this.failures++;
        const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failures, 6));
        this.retryAt = this.clock.now() + backoff;
        this.options.log?.(`store write failed (${this.pending.length} segments waiting, retry in ${backoff} ms): ${messageOf(err)}`);
        return;
      }
    }
  }

  /**
   * The store refused the content of the head segment. It stays up, so new writes go on being
   * acknowledged; the segment is tried again shortly, and after QUARANTINE_AFTER_ATTEMPTS it is
   * moved aside (true: go on with the next segment).
   */
  private refused(segment: ClosedSegment, err: unknown): boolean {
    this.failures = 0;
    this.dataErrors++;
    if (this.dataErrors < QUARANTINE_AFTER_ATTEMPTS) {
      this.retryAt = this.clock.now() + DATA_RETRY_MS;
      this.options.log?.(`the store refused spool segment ${segment.id} (attempt ${this.dataErrors} of ${QUARANTINE_AFTER_ATTEMPTS}): ${messageOf(err)}`);
      return false;
    }
    try {
      const moved = quarantineSegment(this.spool.dir, segment, messageOf(err), this.dataErrors, this.clock.now());
      this.options.log?.(`QUARANTINED spool segment ${segment.id} (${segment.events} events) after ${this.dataErrors} attempts: `
        + `the store refuses its content: ${messageOf(err)}. Its events are NOT stored; the file is kept at ${moved.path} `
        + `(reason in ${moved.notePath}).`);
    } catch (moveErr) {
      // Cannot even move it: keep retrying it like an unavailable store, losing nothing.
      this.failures++;
      this.retryAt = this.clock.now() + MAX_BACKOFF_MS;
      this.options.log?.(`cannot quarantine spool segment ${segment.id}: ${messageOf(moveErr)}`);
      return false;
    }
    this.metrics.quarantinedSegments++;
    this.metrics.quarantinedEvents += segment.events;
    this.dequeue(segment);
    return true;
  }

  private spoolFailed(err: unknown): AcceptResult {
    const wasPaused = this.clock.now() < this.spoolPausedUntil + SPOOL_PAUSE_MS;
    this.spoolPausedUntil = this.clock.now() + SPOOL_PAUSE_MS;
    this.metrics.spoolWriteFailures++;
    // One line per streak of failures, not one per refused hit.
    if (!wasPaused) this.options.log?.(`spool write failed, refusing new events for ${SPOOL_PAUSE_MS} ms at a time: ${messageOf(err)}`);
    return this.dropped('overload');
  }

  private enqueue(segment: ClosedSegment): void {
    this.pending.push(segment);
    this.pendingEvents += segment.events;
  }

  /** Takes the head segment off the queue once it is stored, quarantined or gone. */
  private dequeue(segment: ClosedSegment): void {
    this.pending.shift();
    this.pendingEvents -= segment.events;
    this.dataErrors = 0;
  }

  private dropped(reason: DropReason): AcceptResult {
    this.metrics.drop(reason);
    return { accepted: false, reason };
  }
}
