import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of the collab endpoint, registered on the server's registry. */
export function createCollabMetrics(registry: Registry) {
  const registers = [registry];
  return {
    docsLoaded: new Gauge({ name: 'menteo_collab_docs_loaded', help: 'Collab documents held in memory', registers }),
    connections: new Gauge({ name: 'menteo_collab_connections', help: 'Open collab WebSocket connections', registers }),
    refusals: new Counter({ name: 'menteo_collab_refusals_total', help: 'Collab upgrades refused, by HTTP status', labelNames: ['status'], registers }),
    updatesStored: new Counter({ name: 'menteo_collab_updates_stored_total', help: 'Document updates appended to the log', registers }),
    loadSeconds: new Histogram({
      name: 'menteo_collab_doc_load_seconds',
      help: 'Time to load a document (read snapshot and log, apply)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    loadFailures: new Counter({ name: 'menteo_collab_load_failures_total', help: 'Document loads that failed (nothing written back)', registers }),
    entriesSkipped: new Counter({
      name: 'menteo_collab_entries_skipped_total',
      help: 'Stored updates that did not apply (skipped on load, left out of compaction, or removed after a failed apply)',
      registers,
    }),
    docMeasures: new Counter({
      name: 'menteo_collab_doc_measures_total',
      help: 'Full encodes of a document to check its size limit (the cheap estimate was past it)',
      registers,
    }),
    remoteUpdates: new Counter({
      name: 'menteo_collab_remote_updates_total',
      help: 'Updates another node stored, applied from the bus',
      registers,
    }),
    catchUps: new Counter({
      name: 'menteo_collab_catch_ups_total',
      help: 'Reads of what other nodes stored since the last entry applied, by reason',
      labelNames: ['reason'],
      registers,
    }),
    compactions: new Counter({ name: 'menteo_collab_compactions_total', help: 'Update logs compacted into a snapshot', registers }),
    appendsDuringCompaction: new Counter({
      name: 'menteo_collab_appends_during_compaction_total',
      help: 'Updates appended while a compaction of the same document was in flight (they stay in the log)',
      registers,
    }),
  };
}
export type CollabMetrics = ReturnType<typeof createCollabMetrics>;
