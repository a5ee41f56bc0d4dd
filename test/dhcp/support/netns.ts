import { execFileSync } from 'node:child_process';

/** Throwaway network namespaces joined by a veth pair, for driving a real DHCP client. */

export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface VethPair {
  clientNs: string;
  serverNs: string;
  clientIf: string;
  serverIf: string;
  /** Deletes both namespaces (and so the veth pair); safe to call twice. */
  destroy(): void;
}

export function vethPair(tag: string, clientMac: string): VethPair {
  const id = `${tag}-${process.pid}`;
  const p: VethPair = {
    clientNs: `ndhcp-c-${id}`,
    serverNs: `ndhcp-s-${id}`,
    clientIf: `vdc${process.pid}`.slice(0, 15),
    serverIf: `vds${process.pid}`.slice(0, 15),
    destroy() {
      for (const ns of [p.clientNs, p.serverNs]) {
        try {
          ip('netns', 'del', ns);
        } catch {
          // already gone
        }
      }
    },
  };
  try {
    ip('netns', 'add', p.clientNs);
    ip('netns', 'add', p.serverNs);
    ip('link', 'add', p.clientIf, 'netns', p.clientNs, 'type', 'veth', 'peer', 'name', p.serverIf, 'netns', p.serverNs);
    ip('-n', p.clientNs, 'link', 'set', p.clientIf, 'address', clientMac, 'up');
    ip('-n', p.serverNs, 'link', 'set', p.serverIf, 'up');
  } catch (e) {
    p.destroy();
    throw e;
  }
  return p;
}
