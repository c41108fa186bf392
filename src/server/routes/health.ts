/** GET /healthz (JSON) and GET /metrics (Prometheus text exposition). */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';

export async function healthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const started = deps.clock.now();

  app.get('/healthz', async () => {
    const { ingestor } = deps;
    return {
      status: ingestor.overloaded ? 'overloaded' : 'ok',
      store: deps.store.dialect,
      uptime_s: Math.round((deps.clock.now() - started) / 1000),
      accepted: ingestor.metrics.accepted,
      stored: ingestor.metrics.storedEvents,
      queue_depth: ingestor.queueDepth,
    };
  });

  app.get('/metrics', async (_request, reply) => {
    const m = deps.ingestor.metrics;
    const lines = [
      '# HELP footfall_events_accepted_total Events accepted and made durable.',
      '# TYPE footfall_events_accepted_total counter',
      `footfall_events_accepted_total ${m.accepted}`,
      '# HELP footfall_events_dropped_total Well-formed hits not counted, by reason.',
      '# TYPE footfall_events_dropped_total counter',
      ...[...m.dropped].map(([reason, n]) => `footfall_events_dropped_total{reason="${reason}"} ${n}`),
      '# HELP footfall_events_rejected_total Malformed hits answered with a 4xx.',
      '# TYPE footfall_events_rejected_total counter',
      `footfall_events_rejected_total ${m.rejected}`,
      '# HELP footfall_events_stored_total Events committed to the store.',
      '# TYPE footfall_events_stored_total counter',
      `footfall_events_stored_total ${m.storedEvents}`,
      '# HELP footfall_queue_depth Events accepted but not yet in the store.',
      '# TYPE footfall_queue_depth gauge',
      `footfall_queue_depth ${deps.ingestor.queueDepth}`,
      '# HELP footfall_flush_seconds Time spent writing spool segments to the store.',
      '# TYPE footfall_flush_seconds summary',
      `footfall_flush_seconds_sum ${m.flushSecondsTotal.toFixed(6)}`,
      `footfall_flush_seconds_count ${m.flushes}`,
      '# HELP footfall_flush_last_seconds Duration of the last flush.',
      '# TYPE footfall_flush_last_seconds gauge',
      `footfall_flush_last_seconds ${m.lastFlushSeconds.toFixed(6)}`,
      '# HELP footfall_flush_failures_total Flushes that failed and will be retried.',
      '# TYPE footfall_flush_failures_total counter',
      `footfall_flush_failures_total ${m.flushFailures}`,
      '# HELP footfall_spool_write_failures_total Spool writes that failed (disk full); those hits were refused.',
      '# TYPE footfall_spool_write_failures_total counter',
      `footfall_spool_write_failures_total ${m.spoolWriteFailures}`,
      '# HELP footfall_quarantined_segments_total Spool segments moved to spool/quarantine because the store refuses their content.',
      '# TYPE footfall_quarantined_segments_total counter',
      `footfall_quarantined_segments_total ${m.quarantinedSegments}`,
      '# HELP footfall_quarantined_events_total Acknowledged events in quarantined segments (kept on disk, not stored).',
      '# TYPE footfall_quarantined_events_total counter',
      `footfall_quarantined_events_total ${m.quarantinedEvents}`,
    ];
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
}
