/** Value of a match field or set_field: see DESIGN.md "Value representation". */
export type OxmValue = number | bigint | Uint8Array;

/** How a field's value is printed and parsed in ovs-ofctl text. */
export type OxmFormat =
  | 'decimal'
  | 'hex'
  | 'mac'
  | 'ipv4'
  | 'ipv6'
  | 'port' // OpenFlow port numbers: LOCAL, CONTROLLER, IN_PORT...
  | 'ct_state' // +trk+new...
  | 'tcp_flags' // +syn-ack...
  | 'frag' // ip_frag: no/yes/first/later/not_later
  | 'tun_flags'
  | 'ethertype'
  | 'vlan_tci'
  | 'other';

export interface OxmFieldDef {
  /**
   * Canonical OVS (meta-flow) name, as ovs-ofctl 3.1 prints it in set_field and learn (e.g. 'eth_dst', 'ip_src',
   * 'tcp_dst', 'reg0', 'ct_state', 'tun_id'). Match text uses OVS's match spellings (dl_dst, nw_src, tp_dst):
   * see formatMatch.
   */
  readonly name: string;
  /** Every other accepted spelling: 'eth_dst', 'NXM_OF_ETH_DST', 'OXM_OF_ETH_DST', ... */
  readonly aliases: readonly string[];
  /** Name used in subfield syntax (`NXM_NX_REG0[0..15]`), as OVS prints it. */
  readonly nxmName: string;
  /** OXM class of the header OVS emits in OpenFlow 1.3 (0x8000 OFPXMC_OPENFLOW_BASIC, 0x0000/0x0001 NXM, 0x8001 packet regs, 0xffff experimenter). */
  readonly oxmClass: number;
  readonly oxmField: number;
  /** Experimenter id when oxmClass is 0xffff (ONF 0x4f4e4600, Nicira 0x00002320). */
  readonly experimenter?: number;
  /** Bytes of the value on the wire (mask has the same width). 0 for variable-width fields. */
  readonly width: number;
  /**
   * Meaningful bits as OVS counts them (vlan_vid 12, ip_dscp 6, tun_flags 1, ...); subfield and load ranges are
   * checked against it. A vlan_vid set_field value may still carry OFPVID_PRESENT (0x1000): check values by width.
   */
  readonly bits: number;
  readonly maskable: boolean;
  /** Prerequisite, checked before encoding (e.g. tcp_dst needs eth_type=ip/ipv6 and ip_proto=6). */
  readonly prereq: Prerequisite;
  readonly format: OxmFormat;
  /** Whether set_field / load may write it. */
  readonly writable: boolean;
  /**
   * Header that Nicira actions (reg_move, reg_load, learn, output_reg, multipath, bundle) embed for this
   * field: OVS prefers the NXM header there, falling back to the OXM one (named by `nxmName`).
   */
  readonly nxmClass: number;
  readonly nxmField: number;
  readonly nxmExperimenter?: number;
}

/** A prerequisite as OVS defines it (meta-flow.h `enum mf_prereqs`). */
export type Prerequisite =
  | 'none'
  | 'ethernet'
  | 'arp'
  | 'ipv4'
  | 'ipv6'
  | 'ip_any'
  | 'mpls'
  | 'vlan_vid'
  | 'tcp'
  | 'udp'
  | 'sctp'
  | 'icmpv4'
  | 'icmpv6'
  | 'nd'
  | 'nd_sll'
  | 'nd_tll'
  | 'pbb'
  | 'ct';

export interface MatchEntry {
  readonly field: OxmFieldDef;
  readonly value: OxmValue;
  /** Present when the entry was (or must be) encoded with the HM bit; an all-ones mask is kept as given. */
  readonly mask?: OxmValue;
}

/** An OXM TLV we do not know, kept whole (header included) so it re-encodes byte-identically. */
export interface RawMatchEntry {
  readonly field: null;
  readonly raw: Uint8Array;
}

/** Entries in wire order. */
export type Match = Array<MatchEntry | RawMatchEntry>;

/** `NXM_NX_REG0[0..15]`: bit range of a field, used by move/load/learn/multipath/bundle/output_reg. */
export interface Subfield {
  readonly field: OxmFieldDef;
  readonly ofs: number;
  readonly nBits: number;
}
