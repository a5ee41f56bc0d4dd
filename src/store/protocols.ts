/** IP protocol names Neutron accepts in security group rules, with their numbers. */
export const IP_PROTOCOLS: Readonly<Record<string, number>> = {
  ah: 51,
  dccp: 33,
  egp: 8,
  esp: 50,
  gre: 47,
  hopopt: 0,
  icmp: 1,
  icmpv6: 58,
  igmp: 2,
  ipip: 4,
  'ipv6-encap': 41,
  'ipv6-frag': 44,
  'ipv6-icmp': 58,
  'ipv6-nonxt': 59,
  'ipv6-opts': 60,
  'ipv6-route': 43,
  ospf: 89,
  pgm: 113,
  rsvp: 46,
  sctp: 132,
  tcp: 6,
  udp: 17,
  udplite: 136,
  vrrp: 112,
};

/** Protocols whose rules may carry a destination port range. */
export const PORT_PROTOCOLS = new Set([6, 17, 33, 132, 136]);
export const ICMP_PROTOCOLS = new Set([1, 58]);

/**
 * The protocol number a rule's `protocol` stands for: null/"any" → undefined (all protocols), a name or a
 * number 0–255 → the number, anything else → null (invalid).
 */
export function protocolNumber(protocol: string | number | null | undefined): number | undefined | null {
  if (protocol === null || protocol === undefined || protocol === 'any') return undefined;
  if (typeof protocol === 'number' || /^\d+$/.test(protocol)) {
    const n = Number(protocol);
    return Number.isInteger(n) && n >= 0 && n <= 255 ? n : null;
  }
  return IP_PROTOCOLS[protocol.toLowerCase()] ?? null;
}
