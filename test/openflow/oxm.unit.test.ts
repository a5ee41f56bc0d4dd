/** Behaviour that OVS cannot produce bytes for: malformed input, unknown fields, API contracts. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../../src/openflow/bytes.js';
import { DecodeError, EncodeError, ParseError } from '../../src/openflow/errors.js';
import {
  checkPrerequisites,
  decodeFieldHeader,
  decodeMatch,
  decodeOxmEntry,
  encodeMatch,
  encodeOxmEntry,
  FIELDS,
  fieldByHeader,
  fieldByName,
  formatMatch,
  formatSubfield,
  ipv4,
  ipv6,
  mac,
  MatchBuilder,
  parseSubfield,
  parseValue,
  type Match,
} from '../../src/openflow/oxm/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The ofp_match OVS encodes for `flow` (OF1.3 FLOW_MOD, match at byte 48). */
function ovsMatch(flow: string): Uint8Array {
  const r = spawnSync('ovs-ofctl', ['-O', 'OpenFlow13', '-mmmmm', 'parse-flow', `table=0,${flow},actions=drop`], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`ovs-ofctl is required and must accept "${flow}": ${r.error?.message ?? r.stderr}`);
  const bytes: number[] = [];
  for (const l of r.stdout.split('\n')) {
    const m = /^[0-9a-f]{8} {2}(.*?) \|/.exec(l);
    if (m) for (const b of m[1].replace('-', ' ').trim().split(/\s+/)) bytes.push(parseInt(b, 16));
  }
  const len = (bytes[50] << 8) | bytes[51];
  return Uint8Array.from(bytes.slice(48, 48 + ((len + 7) & ~7)));
}

function encode(m: Match): Uint8Array {
  const w = new Writer(16);
  encodeMatch(w, m);
  return w.copyFrom();
}

/** An OVS match with extra TLVs spliced in before its padding, length fixed up. */
function withTlvs(match: Uint8Array, tlvs: Uint8Array): Uint8Array {
  const len = (match[2] << 8) | match[3];
  const total = len + tlvs.length;
  const out = new Uint8Array((total + 7) & ~7);
  out.set(match.subarray(0, len));
  out.set(tlvs, len);
  out[2] = total >> 8;
  out[3] = total & 0xff;
  return out;
}

describe('unknown TLVs', () => {
  // An OXM basic field OpenFlow has not assigned (127) and an experimenter field of an unknown experimenter.
  const unknown = Uint8Array.from([0x80, 0x00, 0xfe, 0x02, 0xab, 0xcd, 0xff, 0xff, 0x02, 0x05, 0x00, 0x00, 0x12, 0x34, 0x07]);

  it('decode to raw entries carrying their exact bytes and re-encode identically', () => {
    const bytes = withTlvs(ovsMatch('tcp,tp_dst=80'), unknown);
    const m = decodeMatch(new Reader(bytes));
    const raw = m.filter((e) => e.field === null);
    expect(raw.map((e) => hex((e as { raw: Uint8Array }).raw))).toEqual(['8000fe02abcd', 'ffff020500001234' + '07']);
    expect(hex(encode(m))).toBe(hex(bytes));
    expect(formatMatch(m)).toBe('tcp,tp_dst=80,unknown_oxm=0x8000fe02abcd,unknown_oxm=0xffff02050000123407');
  });

  it('a known field with a wrong length is malformed, not unknown', () => {
    const bad = Uint8Array.from([0x80, 0x00, 0x00, 0x02, 0x00, 0x01]); // in_port with 2 bytes instead of 4
    expect(() => decodeOxmEntry(new Reader(bad))).toThrow(DecodeError);
  });
});

describe('malformed matches throw DecodeError only', () => {
  const good = ovsMatch('ct_state=+new+trk,tcp,in_port=1,nw_src=10.0.0.0/8,tp_dst=80,tcp_flags=+syn');

  it('truncated buffers', () => {
    for (let n = 0; n < good.length; n++) {
      expect(() => decodeMatch(new Reader(good.subarray(0, n))), `cut at ${n}`).toThrow(DecodeError);
    }
  });

  it('a TLV overrunning the match length', () => {
    const bad = Uint8Array.from(good);
    bad[7] += 8; // in_port's length byte now reaches past ofp_match.length
    expect(() => decodeMatch(new Reader(bad))).toThrow(DecodeError);
  });

  it('bad ofp_match type and length', () => {
    const wrongType = Uint8Array.from(good);
    wrongType[1] = 0; // OFPMT_STANDARD
    expect(() => decodeMatch(new Reader(wrongType))).toThrow(/OFPMT_OXM/);
    expect(() => decodeMatch(new Reader(Uint8Array.from([0, 1, 0, 3, 0, 0, 0, 0])))).toThrow(DecodeError);
  });

  it('experimenter TLV shorter than its experimenter id', () => {
    expect(() => decodeOxmEntry(new Reader(Uint8Array.from([0xff, 0xff, 0x54, 0x02, 0x4f, 0x4e])))).toThrow(DecodeError);
  });

  it('random corruption never escapes as another error type', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 0x1000000;
    for (let i = 0; i < 3000; i++) {
      const b = Uint8Array.from(good);
      for (let k = 0; k < 3; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      try {
        const m = decodeMatch(new Reader(b));
        formatMatch(m);
        // Whatever decodes re-encodes to the same TLVs (padding aside).
        const len = (b[2] << 8) | b[3];
        expect(hex(encode(m).subarray(0, len))).toBe(hex(b.subarray(0, len)));
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(DecodeError);
      }
    }
  });

  it('decodeMatch consumes the padding and leaves the reader after it', () => {
    const two = new Uint8Array(good.length * 2);
    two.set(good);
    two.set(good, good.length);
    const r = new Reader(two);
    decodeMatch(r);
    expect(r.pos).toBe(good.length);
    decodeMatch(r);
    expect(r.remaining).toBe(0);
  });
});

describe('field registry', () => {
  it('finds a field by every spelling OVS accepts', () => {
    for (const n of ['dl_dst', 'eth_dst', 'NXM_OF_ETH_DST', 'OXM_OF_ETH_DST']) expect(fieldByName(n)?.name).toBe('eth_dst');
    expect(fieldByName('NXM_NX_REG0')).toBe(fieldByName('reg0'));
    expect(fieldByName('tunnel_id')?.name).toBe('tun_id');
    expect(fieldByName('ip_proto')?.name).toBe('nw_proto');
    expect(fieldByName('no_such_field')).toBeUndefined();
  });

  it('has unique names and OF1.3 headers', () => {
    const names = new Set(FIELDS.map((f) => f.name));
    expect(names.size).toBe(FIELDS.length);
    const headers = new Set(FIELDS.map((f) => `${f.oxmClass}/${f.oxmField}/${f.experimenter ?? ''}`));
    expect(headers.size).toBe(FIELDS.length);
    for (const f of FIELDS) expect(fieldByHeader(f.oxmClass, f.oxmField, f.experimenter)).toBe(f);
  });

  it('maps NXM and other-version headers to the field, keeping the header for re-encoding', () => {
    const nxm = fieldByHeader(0x0000, 1)!; // NXM_OF_ETH_DST
    expect(nxm.name).toBe('eth_dst');
    expect(nxm.oxmClass).toBe(0);
    expect(fieldByHeader(0x0000, 0)?.name).toBe('in_port'); // 16-bit NXM_OF_IN_PORT
    expect(fieldByHeader(0x8000, 42)?.name).toBe('tcp_flags'); // OXM_OF_TCP_FLAGS from OF1.5
    expect(fieldByHeader(0xffff, 42, 0x4f4e4600)?.name).toBe('tcp_flags');
    expect(fieldByHeader(0x8000, 127)).toBeUndefined();
  });

  it('decodeFieldHeader reports unknown headers with their bytes', () => {
    const h = decodeFieldHeader(new Reader(Uint8Array.from([0x00, 0x01, 0xff, 0x04])));
    expect(h.field).toBeNull();
    expect(hex(h.header)).toBe('0001ff04');
    expect(h.hasMask).toBe(true);
    expect(h.length).toBe(4);
  });

  it('decodeFieldHeader keeps experimenter headers whole, even once the buffer is reused', () => {
    const buf = Uint8Array.from([0xff, 0xff, 0x19, 0x06, 0x00, 0x00, 0x23, 0x20, 0xaa]);
    const r = new Reader(buf);
    const h = decodeFieldHeader(r);
    expect(r.pos).toBe(8);
    buf.fill(0);
    expect(h.field?.name).toBe('tun_erspan_ver');
    expect(h.hasMask).toBe(true);
    expect(h.length).toBe(2);
    expect(hex(h.header)).toBe('ffff190600002320');
  });
});

describe('encode errors', () => {
  it('refuses values that do not fit the field', () => {
    const w = new Writer(16);
    expect(() => encodeOxmEntry(w, { field: fieldByName('metadata')!, value: 5 })).toThrow(EncodeError);
    expect(() => encodeOxmEntry(w, { field: fieldByName('tun_metadata0')!, value: 5 })).toThrow(EncodeError);
  });

  it('checkPrerequisites names the field and what it needs', () => {
    const f = (n: string) => fieldByName(n)!;
    expect(() => checkPrerequisites([{ field: f('tcp_dst'), value: 80 }])).toThrow(/^tcp_dst requires eth_type=ip or ipv6/);
    const ip: Match = [{ field: f('eth_type'), value: 0x0800 }, { field: f('nw_proto'), value: 17 }, { field: f('tcp_dst'), value: 80 }];
    expect(() => checkPrerequisites(ip)).toThrow('tcp_dst requires ip_proto=6 (tcp)');
    expect(() => checkPrerequisites([{ field: f('vlan_pcp'), value: 1 }])).toThrow(/^vlan_pcp requires a VLAN tag/);
    expect(() => checkPrerequisites([{ field: f('vlan_vid'), value: 0x1001 }, { field: f('vlan_pcp'), value: 1 }])).not.toThrow();
  });
});

describe('text parsing errors', () => {
  const bad: Array<[string, string]> = [
    ['nw_src', '1.2.3'],
    ['dl_dst', 'zz:00:00:00:00:00'],
    ['in_port', 'NOWHERE'],
    ['reg0', '0x100000000'],
    ['ct_state', '+bogus'],
    ['tcp_flags', '+syn+nope'],
    ['ip_frag', 'maybe'],
    ['ipv6_src', '1::2::3'],
    ['nw_dst', '10.0.0.0/33'],
    ['ct_zone', '1/1'],
  ];
  it.each(bad)('%s=%s', (k, v) => {
    expect(() => new MatchBuilder().add(k, v)).toThrow(ParseError);
  });

  it('a field without a value', () => {
    expect(() => new MatchBuilder().add('reg0', undefined)).toThrow('field reg0 missing value');
  });

  it('returns false for keys that are not match fields', () => {
    const b = new MatchBuilder();
    for (const k of ['actions', 'priority', 'cookie', 'table', 'idle_timeout']) expect(b.add(k, '1')).toBe(false);
    expect(b.build()).toEqual([]);
  });

  it('parseValue handles CIDR, netmasks and MAC masks', () => {
    expect(parseValue(fieldByName('nw_src')!, '10.1.2.3/8')).toEqual({ value: 0x0a000000, mask: 0xff000000 });
    expect(parseValue(fieldByName('dl_dst')!, '01:00:00:00:00:00/01:00:00:00:00:00')).toEqual({ value: 0x010000000000, mask: 0x010000000000 });
    expect(parseValue(fieldByName('ipv6_src')!, 'fe80::1/10')).toEqual({ value: 0xfe80n << 112n, mask: 0xffc0n << 112n });
  });
});

describe('subfields', () => {
  it('parses every spelling and prints the NXM name', () => {
    expect(formatSubfield(parseSubfield('reg0[0..15]'))).toBe('NXM_NX_REG0[0..15]');
    expect(formatSubfield(parseSubfield('eth_dst[]'))).toBe('NXM_OF_ETH_DST[]');
    expect(formatSubfield(parseSubfield('NXM_NX_REG1[3]'))).toBe('NXM_NX_REG1[3]');
    expect(formatSubfield(parseSubfield('reg2'))).toBe('NXM_NX_REG2[]');
  });

  it('rejects ranges outside the field and unknown fields', () => {
    expect(() => parseSubfield('reg0[0..32]')).toThrow(ParseError);
    expect(() => parseSubfield('reg0[5..4]')).toThrow(ParseError);
    expect(() => parseSubfield('nope[]')).toThrow(ParseError);
    expect(() => parseSubfield('reg0[0..')).toThrow(ParseError);
  });
});

describe('value helpers', () => {
  it('convert addresses to the codec representation', () => {
    expect(mac('fa:16:3e:00:00:01')).toBe(0xfa163e000001);
    expect(ipv4('10.0.0.1')).toBe(0x0a000001);
    expect(ipv4('255.255.255.255')).toBe(0xffffffff);
    expect(ipv6('fe80::1')).toBe((0xfe80n << 112n) | 1n);
    expect(ipv6('::ffff:1.2.3.4')).toBe((0xffffn << 32n) | 0x01020304n);
    expect(() => ipv4('256.0.0.1')).toThrow(ParseError);
  });
});

describe('encodeOxmEntry range checks', () => {
  it('refuses numbers wider than the field instead of truncating them', () => {
    const w = new Writer(16);
    expect(() => encodeOxmEntry(w, { field: fieldByName('tcp_dst')!, value: 0x10000 })).toThrow(EncodeError);
    expect(() => encodeOxmEntry(w, { field: fieldByName('reg0')!, value: -1 })).toThrow(EncodeError);
    expect(() => encodeOxmEntry(w, { field: fieldByName('eth_dst')!, value: 2 ** 48 })).toThrow(EncodeError);
  });
});

describe('MatchBuilder.addField and hex addresses', () => {
  it('merged subfield values reach address fields as 0x integers, typed values directly', () => {
    const text = new MatchBuilder();
    text.add('dl_dst', '0x5/0xff');
    const typed = new MatchBuilder();
    typed.addField(fieldByName('eth_dst')!, 5, 0xff);
    const expected = new MatchBuilder();
    expected.add('dl_dst', '00:00:00:00:00:05/00:00:00:00:00:ff');
    expect(hex(encode(text.build()))).toBe(hex(encode(expected.build())));
    expect(hex(encode(typed.build()))).toBe(hex(encode(expected.build())));
    expect(() => typed.addField(fieldByName('ct_zone')!, 1, 1)).toThrow(ParseError);
  });
});

describe('unknown TLVs in text', () => {
  it('formatMatch prints them so MatchBuilder can read them back', () => {
    const bytes = withTlvs(ovsMatch('tcp,tp_dst=80'), Uint8Array.from([0x80, 0x00, 0xfe, 0x02, 0xab, 0xcd]));
    const m = decodeMatch(new Reader(bytes));
    const b = new MatchBuilder();
    for (const kv of formatMatch(m).split(',')) {
      const eq = kv.indexOf('=');
      b.add(eq < 0 ? kv : kv.slice(0, eq), eq < 0 ? undefined : kv.slice(eq + 1));
    }
    expect(hex(encode(b.build()))).toBe(hex(bytes));
    expect(() => new MatchBuilder().add('unknown_oxm', '0x8000fe02ab')).toThrow(ParseError);
  });
});
