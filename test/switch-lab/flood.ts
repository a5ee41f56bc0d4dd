import type { FlowMod } from '../../src/openflow/messages/index.js';
import type { SwitchSession } from '../../src/switch/index.js';

export interface FloodOutcome {
  sent: number;
  /** Largest `queuedBytes` seen after any send. */
  maxQueued: number;
  /** Largest growth of the process's Buffer memory over the flood, sampled every batch. */
  peakArrayBuffers: number;
}

/**
 * Sends FLOW_MODs with `send()`, which ignores backpressure, until the session is dropped (or
 * `limit` messages): what a buggy producer does to a switch that stopped reading. Yields to the
 * event loop every batch so the output queue gets to hand data to the socket.
 */
export async function floodUntilDropped(session: SwitchSession, template: Omit<FlowMod, 'xid' | 'version'>, limit = 600_000): Promise<FloodOutcome> {
  const base = process.memoryUsage().arrayBuffers;
  const out: FloodOutcome = { sent: 0, maxQueued: 0, peakArrayBuffers: 0 };
  while (!session.isClosed && out.sent < limit) {
    session.send({ ...template, priority: out.sent & 0xffff });
    out.sent++;
    out.maxQueued = Math.max(out.maxQueued, session.queuedBytes);
    if (out.sent % 2000 === 0) {
      out.peakArrayBuffers = Math.max(out.peakArrayBuffers, process.memoryUsage().arrayBuffers - base);
      await new Promise((r) => setImmediate(r));
    }
  }
  return out;
}
