import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A classic pcap file (little-endian, microsecond stamps) of Ethernet frames, for tcpdump to decode. */
export function pcapFile(frames: readonly Uint8Array[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4); // version 2.4
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(0xffff, 16); // snaplen
  header.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const parts: Buffer[] = [header];
  frames.forEach((f, i) => {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(i, 0); // one frame per second keeps tcpdump's lines in order
    rec.writeUInt32LE(f.length, 8);
    rec.writeUInt32LE(f.length, 12);
    parts.push(rec, Buffer.from(f));
  });
  return Buffer.concat(parts);
}

/** `tcpdump -r FILE -vvv -n` over the frames; returns its text, one block per frame (split on the timestamp lines). */
export function tcpdumpDecode(frames: readonly Uint8Array[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'neutrino-pcap-'));
  try {
    const file = join(dir, 'frames.pcap');
    writeFileSync(file, pcapFile(frames));
    const out = execFileSync('tcpdump', ['-r', file, '-vvv', '-n'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.split(/^(?=\d\d:\d\d:\d\d\.\d{6} )/m).filter((b) => b.trim() !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
