import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one server instance (its own registry, so tests can run several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    messagesStored: new Counter({ name: 'menteo_messages_stored_total', help: 'Messages durably stored', registers: [registry] }),
    messagesResent: new Counter({ name: 'menteo_messages_resent_total', help: 'Sends answered with an already stored message', registers: [registry] }),
    sockets: new Gauge({ name: 'menteo_sockets', help: 'Connected Socket.IO clients', registers: [registry] }),
    /** Every ack waits for one of these: the time to make a batch of writes durable (WAL fsync). */
    storeSync: new Histogram({
      name: 'menteo_store_sync_seconds',
      help: 'Time to make a batch of writes durable (fsync of the SQLite WAL)',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    /** Two nodes on one SQLite file: how long a batch waited for the other's write lock (count: how often). */
    storeLockWait: new Histogram({
      name: 'menteo_store_lock_wait_seconds',
      help: "Time a write batch waited for another process's SQLite write lock",
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    /** WAL checkpoints, run on a worker thread (label restart: the WAL had grown past its bound). */
    storeCheckpoint: new Histogram({
      name: 'menteo_store_checkpoint_seconds',
      help: 'Time a WAL checkpoint took on the checkpoint worker (off the event loop)',
      labelNames: ['mode'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
