// GET /metrics (DESIGN.md section 1): Prometheus text format through prom-client — process metrics
// plus what an operator of an XMPP server watches: bound sessions by transport, resumable sessions.
// Served on the HTTP listener like everything else; restrict it with a proxy or firewall.

import type { FastifyInstance } from 'fastify';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { SessionRegistry } from '../core/session-registry.js';

export interface MetricsSources {
  sessions: SessionRegistry;
  /** XEP-0198 sessions waiting to be resumed. */
  resumable(): number;
}

export function registerMetrics(app: FastifyInstance, sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'almanac_' });
  new Gauge({
    name: 'almanac_sessions',
    help: 'Bound client sessions by transport',
    labelNames: ['transport'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const s of sources.sessions.all()) counts.set(s.transport, (counts.get(s.transport) ?? 0) + 1);
      for (const [transport, n] of counts) this.set({ transport }, n);
    },
  });
  new Gauge({
    name: 'almanac_sessions_available',
    help: 'Sessions that have sent initial presence',
    registers: [registry],
    collect() {
      let n = 0;
      for (const s of sources.sessions.all()) if (s.available) n++;
      this.set(n);
    },
  });
  new Gauge({
    name: 'almanac_sessions_resumable',
    help: 'XEP-0198 sessions kept for resumption',
    registers: [registry],
    collect() {
      this.set(sources.resumable());
    },
  });
  app.get('/metrics', async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}
