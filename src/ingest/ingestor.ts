/**
 * The collector's back half: runs the pipeline, makes accepted events durable in the spool,
 * and moves closed spool segments into the store on size, interval and shutdown. Writes to
 * the store never run on the request path; a failing store is retried with backoff while
 * acknowledged events wait on disk, and new writes are turned away past a bounded backlog.
 */
import type { Clock } from '../clock.js';
import { messageOf } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Hit, DropReason, RequestInfo } from './hit.js';
import { isDrop } from './hit.js';
import { IngestMetrics } from './ingest-metrics.js';
import type { IdentifiedHit, Pipeline } from './pipeline.js';
import type { ClosedSegment, Spool } from './spool.js';

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

export class Ingestor {
  readonly metrics = new IngestMetrics();
  private readonly pending: ClosedSegment[] = [];
  private pendingEvents = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failures = 0;
  private retryAt = 0;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly spool: Spool,
    private readonly pipeline: Pipeline,
    private readonly clock: Clock,
    private readonly options: IngestorOptions,
  ) {}

  /** Queues segments left over from a previous run and starts the flush timer. */
  async start(): Promise<void> {
    for (const segment of this.spool.leftovers()) this.enqueue(segment);
    await this.flush();
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /**
   * Runs the pipeline and, when the hit counts, writes it durably before resolving. Only a
   * collector sharing its store ever waits here (for resumeVisit); otherwise it is synchronous.
   */
  async accept(hit: Hit, request: RequestInfo): Promise<AcceptResult> {
    if (this.closed || this.overloaded) return this.dropped('overload');
    const identified = this.pipeline.identify(hit, request);
    if (isDrop(identified)) return this.dropped(identified.drop);
    if (this.options.resumeVisit) await this.options.resumeVisit(identified);
    const result = this.pipeline.complete(identified);
    if (isDrop(result)) return this.dropped(result.drop);
    this.spool.append(result);
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
    return this.failures > 0 || this.pendingEvents + this.spool.currentEvents >= this.options.maxPendingEvents;
  }

  /** Accepted events not yet committed to the store. */
  get queueDepth(): number {
    return this.pendingEvents + this.spool.currentEvents;
  }

  /** Seconds a refused client should wait. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.retryAt - this.clock.now()) / 1000));
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
    const rotated = this.spool.rotate();
    if (rotated) this.enqueue(rotated);
    if (this.clock.now() < this.retryAt) return;
    while (this.pending.length > 0) {
      const segment = this.pending[0]!;
      const started = performance.now();
      try {
        const stored = await this.store.ingestSegment(segment);
        this.spool.remove(segment);
        this.pending.shift();
        this.pendingEvents -= segment.events;
        const seconds = (performance.now() - started) / 1000;
        this.metrics.flushes++;
        this.metrics.storedEvents += stored;
        this.metrics.flushSecondsTotal += seconds;
        this.metrics.lastFlushSeconds = seconds;
        this.failures = 0;
      } catch (err) {
        this.metrics.flushFailures++;
        this.failures++;
        const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failures, 6));
        this.retryAt = this.clock.now() + backoff;
        this.options.log?.(`store write failed (${this.pending.length} segments waiting, retry in ${backoff} ms): ${messageOf(err)}`);
        return;
      }
    }
  }

  private enqueue(segment: ClosedSegment): void {
    this.pending.push(segment);
    this.pendingEvents += segment.events;
  }

  private dropped(reason: DropReason): AcceptResult {
    this.metrics.drop(reason);
    return { accepted: false, reason };
  }
}
