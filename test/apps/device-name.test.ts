import { describe, expect, it } from 'vitest';
import { deviceName, intPatchPort, phyPatchPort } from '../../src/apps/bridge-ports.js';

describe('device names (Neutron get_interface_name)', () => {
  it('keeps names that fit 15 characters as prefix + name', () => {
    expect(intPatchPort('br-ex')).toBe('int-br-ex');
    expect(phyPatchPort('br-eth11234')).toBe('phy-br-eth11234');
  });

  // Expected values computed with Python: prefix + name[:15 - len(prefix) - 6] + sha1(name).hexdigest()[:6].
  it('hashes longer ones the way Neutron does, so both sides name the same port', () => {
    expect(intPatchPort('br-provider1')).toBe('int-br-prcebb81');
    expect(phyPatchPort('br-provider1')).toBe('phy-br-prcebb81');
    expect(intPatchPort('br-provider-one')).toBe('int-br-pr0ed082');
  });

  it('never exceeds 15 characters and keeps distinct bridges distinct', () => {
    const names = ['br-provider-one', 'br-provider-two', 'br-provider-3', 'br-provider-4'].map((b) => deviceName('int-', b));
    for (const n of names) expect(n.length).toBeLessThanOrEqual(15);
    expect(new Set(names).size).toBe(names.length);
  });
});
