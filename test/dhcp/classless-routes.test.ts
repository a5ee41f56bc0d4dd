import { describe, expect, it } from 'vitest';
import { decodeClasslessRoutes, encodeClasslessRoutes } from '../../src/dhcp/classless-routes.js';
import { PacketError } from '../../src/packets/errors.js';

describe('option 121 classless static routes (RFC 3442)', () => {
  it('encodes only the significant destination octets (RFC 3442 §3 table)', () => {
    const routes = [
      { destination: '0.0.0.0/0', nexthop: '10.0.0.1' },
      { destination: '10.0.0.0/8', nexthop: '10.0.0.1' },
      { destination: '10.17.0.0/16', nexthop: '10.0.0.1' },
      { destination: '10.27.129.0/24', nexthop: '10.0.0.1' },
      { destination: '10.229.0.128/25', nexthop: '10.0.0.1' },
      { destination: '10.198.122.47/32', nexthop: '10.0.0.1' },
    ];
    expect(encodeClasslessRoutes(routes).toString('hex')).toBe(
      ['00', '080a', '100a11', '180a1b81', '190ae50080', '200ac67a2f'].map((d) => d + '0a000001').join(''),
    );
    expect(decodeClasslessRoutes(encodeClasslessRoutes(routes))).toEqual(routes);
  });

  it('clears host bits beyond the prefix', () => {
    expect(encodeClasslessRoutes([{ destination: '10.1.2.3/12', nexthop: '0.0.0.0' }]).toString('hex')).toBe('0c0a0000000000');
  });

  it('rejects bad input with a PacketError or the address parser error', () => {
    expect(() => encodeClasslessRoutes([{ destination: '10.0.0.0', nexthop: '10.0.0.1' }])).toThrow(/not an IPv4 CIDR/);
    expect(() => encodeClasslessRoutes([{ destination: '10.0.0.0/33', nexthop: '10.0.0.1' }])).toThrow(PacketError);
    expect(() => encodeClasslessRoutes([{ destination: '10.0.0.0/8', nexthop: 'x' }])).toThrow(/invalid IP address/);
    expect(() => decodeClasslessRoutes(Uint8Array.of(33, 1, 2, 3, 4, 5, 6, 7, 8))).toThrow(/above 32/);
    expect(() => decodeClasslessRoutes(Uint8Array.of(8, 10, 1, 2, 3))).toThrow(/truncated classless route/);
  });
});
