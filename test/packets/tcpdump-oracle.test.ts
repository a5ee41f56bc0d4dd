import { describe, expect, it } from 'vitest';
import { Prng } from '../support/prng.js';
import { ipv4, mac } from '../../src/packets/index.js';
import { buildUdpFrame } from '../../src/packets/udp-frame.js';
import { tcpdumpDecode } from './support/pcap.js';

/** tcpdump as an independent judge of our IPv4 and UDP checksums, on odd and even payload lengths. */
describe('UDP frames decoded by tcpdump', () => {
  it('has correct IPv4 header and UDP checksums', () => {
    const rng = new Prng(20261122);
    const frames = Array.from({ length: 40 }, (_, i) => {
      const payload = new Uint8Array(i * 7 + (i % 2));
      rng.fill(payload);
      return buildUdpFrame({
        ethSrc: mac('fa:16:3e:00:00:02'),
        ethDst: mac('fa:16:3e:12:34:56'),
        ipSrc: rng.u32(),
        ipDst: i % 3 ? rng.u32() : ipv4('255.255.255.255'),
        srcPort: 10000 + i,
        dstPort: 20000 + i,
        payload,
      });
    });
    const blocks = tcpdumpDecode(frames);
    expect(blocks).toHaveLength(frames.length);
    for (const [i, b] of blocks.entries()) {
      expect(b, `frame ${i}`).toContain('[udp sum ok]');
      expect(b, `frame ${i}`).not.toMatch(/bad (udp )?cksum/);
      expect(b, `frame ${i}`).toContain(`.${10000 + i} > `);
    }
  });

  it('would notice a wrong checksum (control: the oracle is not blind)', () => {
    const good = buildUdpFrame({ ethSrc: 2, ethDst: 4, ipSrc: ipv4('10.0.0.1'), ipDst: ipv4('10.0.0.2'), srcPort: 1000, dstPort: 2000, payload: Buffer.from('abc') });
    const badUdp = Buffer.from(good);
    badUdp[badUdp.length - 1] ^= 1;
    const badIp = Buffer.from(good);
    badIp[14 + 10] ^= 1;
    const [u, ip] = tcpdumpDecode([badUdp, badIp]);
    expect(u).toMatch(/bad udp cksum/);
    expect(ip).toMatch(/bad cksum/);
  });
});
