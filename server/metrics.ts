import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** Prometheus metrics of one server instance (its own registry, so tests can run several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    messagesStored: new Counter({ name: 'menteo_messages_stored_total', help: 'Messages durably stored', registers: [registry] }),
    messagesResent: new Counter({ name: 'menteo_messages_resent_total', help: 'Sends answered with an already stored message', registers: [registry] }),
    sockets: new Gauge({ name: 'menteo_sockets', help: 'Connected Socket.IO clients', registers: [registry] }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
