import { run } from './command.js';

/**
 * Creates a network namespace with loopback up and IPv6 off. IPv6 is off so that router solicitations
 * and MLD reports do not wander through bridges and tunnels and show up in captures and flow counters.
 */
export async function createNetns(name: string): Promise<void> {
  await run(['ip', 'netns', 'add', name]);
  await run(['ip', 'netns', 'exec', name, 'sh', '-c',
    'ip link set lo up && echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 && echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6']);
}
