import { describe, expect, it } from 'vitest';
import { linkLocal, sourceClaims } from '../../src/apps/port-security.js';
import { makePort } from './snapshot-builder.js';

describe('port security claims', () => {
  it('derives the EUI-64 link-local address of a MAC (RFC 4291)', () => {
    expect(linkLocal('52:54:00:12:34:56')).toBe('fe80::5054:ff:fe12:3456');
    expect(linkLocal('fa:16:3e:aa:0:1')).toBe('fe80::f816:3eff:feaa:1');
  });

  it('lets a port use its own MAC and addresses, its pairs (CIDRs, other MACs) and their link-local addresses', () => {
    const port = {
      ...makePort('p', 'n', 'h1', 1),
      mac: 'FA:16:3E:00:00:01',
      fixedIps: ['10.0.0.5', '2001:db8::5'],
      allowedAddressPairs: [{ ipAddress: '10.0.0.0/28' }, { ipAddress: '10.9.9.9', macAddress: 'fa:16:3e:99:99:99' }, { ipAddress: '10.0.0.5' }],
    };
    const c = sourceClaims(port);
    expect(c.macs).toEqual(['fa:16:3e:00:00:01', 'fa:16:3e:99:99:99']);
    expect(c.v4).toEqual([
      { mac: 'fa:16:3e:00:00:01', cidr: '10.0.0.5' },
      { mac: 'fa:16:3e:00:00:01', cidr: '10.0.0.0/28' },
      { mac: 'fa:16:3e:99:99:99', cidr: '10.9.9.9' },
    ]);
    expect(c.v6).toEqual([
      { mac: 'fa:16:3e:00:00:01', cidr: '2001:db8::5' },
      { mac: 'fa:16:3e:00:00:01', cidr: 'fe80::f816:3eff:fe00:1' },
      { mac: 'fa:16:3e:99:99:99', cidr: 'fe80::f816:3eff:fe99:9999' },
    ]);
  });
});
