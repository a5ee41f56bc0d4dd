import type { AsyncConfig, OfPort, PortMod } from './types.js';

/** ovs-ofctl text of port numbers, ofp_port (PORT_STATUS, PORT_DESC), PORT_MOD and the async masks. */

const CONFIG_BITS: Array<[number, string]> = [
  [1 << 0, 'PORT_DOWN'],
  [1 << 2, 'NO_RECV'],
  [1 << 5, 'NO_FWD'],
  [1 << 6, 'NO_PACKET_IN'],
];
const STATE_BITS: Array<[number, string]> = [
  [1 << 0, 'LINK_DOWN'],
  [1 << 1, 'BLOCKED'],
  [1 << 2, 'LIVE'],
];
const FEATURE_BITS: Array<[number, string]> = [
  '10MB-HD',
  '10MB-FD',
  '100MB-HD',
  '100MB-FD',
  '1GB-HD',
  '1GB-FD',
  '10GB-FD',
  '40GB-FD',
  '100GB-FD',
  '1TB-FD',
  'OTHER',
  'COPPER',
  'FIBER',
  'AUTO_NEG',
  'AUTO_PAUSE',
  'AUTO_PAUSE_ASYM',
].map((n, i) => [1 << i, n]);

export function bitNames(v: number, names: Array<[number, string]>, none = '0'): string {
  const parts: string[] = [];
  let rest = v >>> 0;
  for (const [bit, name] of names) {
    if (v & bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest) parts.push(`0x${(rest >>> 0).toString(16)}`);
  return parts.length ? parts.join(' ') : none;
}

export function formatMac(mac: number): string {
  const hex = mac.toString(16).padStart(12, '0');
  return hex.match(/../g)!.join(':');
}

export function formatOfPort(p: OfPort, portName: string): string {
  let s = ` ${portName}(${p.name}): addr:${formatMac(p.hwAddr)}\n`;
  s += `     config:     ${bitNames(p.config, CONFIG_BITS)}\n`;
  s += `     state:      ${bitNames(p.state, STATE_BITS)}\n`;
  if (p.curr) s += `     current:    ${bitNames(p.curr, FEATURE_BITS)}\n`;
  if (p.advertised) s += `     advertised: ${bitNames(p.advertised, FEATURE_BITS)}\n`;
  if (p.supported) s += `     supported:  ${bitNames(p.supported, FEATURE_BITS)}\n`;
  if (p.peer) s += `     peer:       ${bitNames(p.peer, FEATURE_BITS)}\n`;
  s += `     speed: ${Math.floor(p.currSpeed / 1000)} Mbps now, ${Math.floor(p.maxSpeed / 1000)} Mbps max`;
  return s;
}

export function formatPortMod(m: PortMod, portName: string): string {
  return (
    ` port: ${portName}: addr:${formatMac(m.hwAddr)}\n` +
    `     config: ${bitNames(m.config, CONFIG_BITS)}\n` +
    `     mask:   ${bitNames(m.mask, CONFIG_BITS)}\n` +
    `     advertise: ${m.advertise ? bitNames(m.advertise, FEATURE_BITS) : 'UNCHANGED'}`
  );
}

const ASYNC_ROWS: Array<[string, keyof AsyncConfig | null, string[]]> = [
  ['       PACKET_IN', 'packetInMask', ['no_match', 'action', 'invalid_ttl', 'action_set', 'group', 'packet_out']],
  ['     PORT_STATUS', 'portStatusMask', ['add', 'delete', 'modify']],
  ['    FLOW_REMOVED', 'flowRemovedMask', ['idle', 'hard', 'delete', 'group_delete', 'meter_delete', 'eviction']],
  ['     ROLE_STATUS', null, []],
  ['    TABLE_STATUS', null, []],
  ['  REQUESTFORWARD', null, []],
];

export function formatAsync(c: AsyncConfig): string {
  let s = '';
  for (const [i, role] of [
    [0, 'primary'],
    [1, 'secondary'],
  ] as const) {
    s += `${i ? '\n' : ''}\n ${role}:`;
    for (const [label, key, names] of ASYNC_ROWS) {
      const mask = key ? c[key][i] : 0;
      const set = names.filter((_, bit) => mask & (1 << bit));
      s += `\n${label}: ${set.length ? set.join(' ') : '(off)'}`;
    }
  }
  return s;
}

const PORT_NAMES: Record<number, string> = {
  0xfffffff8: 'IN_PORT',
  0xfffffff9: 'TABLE',
  0xfffffffa: 'NORMAL',
  0xfffffffb: 'FLOOD',
  0xfffffffc: 'ALL',
  0xfffffffd: 'CONTROLLER',
  0xfffffffe: 'LOCAL',
  0xffffffff: 'ANY',
};
export function formatPort(p: number): string {
  return PORT_NAMES[p] ?? String(p);
}
