import { Counter, type Registry } from 'prom-client';
import type { DhcpCounters, DhcpService } from './dhcp-service.js';

/** Prometheus view of native DHCP: requests seen and what became of them. */
export function installDhcpMetrics(registry: Registry, dhcp: DhcpService): void {
  new Counter({
    name: 'neutrino_dhcp_packets_total',
    help: 'DHCP requests from VM ports (outcome=request) and what the controller did: offer, ack, nak, ignored, rate_limited',
    labelNames: ['outcome'] as const,
    registers: [registry],
    collect() {
      const c: DhcpCounters = dhcp.counters;
      // Counters are read from the service at scrape time: reset() then inc() keeps them monotonic.
      this.reset();
      for (const [outcome, n] of [['request', c.requests], ['offer', c.offers], ['ack', c.acks], ['nak', c.naks], ['ignored', c.ignored], ['rate_limited', c.rateLimited]] as const) {
        this.inc({ outcome }, n);
      }
    },
  });
}
