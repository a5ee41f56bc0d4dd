import type { OxmFieldDef, OxmValue, Subfield } from '../oxm/types.js';

/** An NSH metadata type 2 TLV given to encap(nsh(...)). */
export interface NshTlv {
  tlvClass: number;
  tlvType: number;
  value: Uint8Array;
}

/** NAT inside ct(): `nat(src=10.0.0.1-10.0.0.5:1000-2000,persistent,hash)`. */
export interface NatAction {
  type: 'nat';
  /** NX_NAT_F_* bits: SRC 1, DST 2, PERSISTENT 4, PROTO_HASH 8, PROTO_RANDOM 16. */
  flags: number;
  /** IPv4 addresses are numbers, IPv6 addresses bigints; absent when not given. */
  addrMin?: number | bigint;
  addrMax?: number | bigint;
  portMin?: number;
  portMax?: number;
}

export interface CtAction {
  type: 'ct';
  /** NX_CT_F_COMMIT 1, NX_CT_F_FORCE 2. */
  flags: number;
  /** Immediate zone, used when zoneSrc is absent. */
  zoneImm: number;
  zoneSrc?: Subfield;
  /** 255 = no recirculation. */
  table: number;
  alg: number;
  /** nat first (printed outside exec), then the exec(...) actions. */
  actions: Action[];
}

/** One flow_mod_spec of learn: `NXM_OF_VLAN_TCI[0..11]`, `reg0=5`, `load:..->..`, `output:..`. */
export type LearnSpec =
  | { kind: 'match' | 'load'; dst: Subfield; src: Subfield }
  /** Immediate value as on the wire: right-aligned in whole 16-bit units. */
  | { kind: 'match' | 'load'; dst: Subfield; imm: Uint8Array }
  | { kind: 'output'; src: Subfield };

export interface LearnAction {
  type: 'learn';
  idleTimeout: number;
  hardTimeout: number;
  priority: number;
  cookie: bigint;
  /** NX_LEARN_F_* bits: SEND_FLOW_REM 1, DELETE_LEARNED 2, WRITE_RESULT 4. */
  flags: number;
  table: number;
  finIdleTimeout: number;
  finHardTimeout: number;
  specs: LearnSpec[];
  /** learn2 only (limit/result_dst); absent means the plain NXAST_LEARN form. */
  limit?: number;
  resultDst?: Subfield;
}

export interface ControllerAction {
  type: 'controller';
  maxLen: number;
  controllerId: number;
  /** OFPR_*: 0 no_match, 1 action, 2 invalid_ttl, ... */
  reason: number;
  userdata?: Uint8Array;
  pause: boolean;
  meterId?: number;
  /** Wire form it came in (or must go out) as; chosen like OVS when absent. */
  wire?: 'nx' | 'nx2';
}

export type Action =
  // --- OpenFlow 1.3 standard actions ---
  | { type: 'output'; port: number; maxLen: number }
  | { type: 'copy_ttl_out' }
  | { type: 'copy_ttl_in' }
  | { type: 'set_mpls_ttl'; ttl: number }
  | { type: 'dec_mpls_ttl' }
  | { type: 'push_vlan'; ethertype: number }
  | { type: 'pop_vlan' }
  | { type: 'push_mpls'; ethertype: number }
  | { type: 'pop_mpls'; ethertype: number }
  | { type: 'set_queue'; queueId: number }
  | { type: 'group'; groupId: number }
  | { type: 'set_nw_ttl'; ttl: number }
  | { type: 'dec_nw_ttl' }
  /** A mask makes OVS send NXAST_REG_LOAD (one per contiguous run) in OF1.3; wire 'reg_load2' keeps that form. */
  | { type: 'set_field'; field: OxmFieldDef; value: OxmValue; mask?: OxmValue; wire?: 'reg_load2' }
  | { type: 'push_pbb'; ethertype: number }
  | { type: 'pop_pbb' }
  // --- Nicira extensions ---
  /** port is an OF1.3 port (IN_PORT when not given), table 255 when not given. */
  | { type: 'resubmit'; port: number; table: number; ct: boolean; wire?: 'resubmit' | 'resubmit_table' }
  | { type: 'reg_load'; dst: Subfield; value: bigint }
  | { type: 'move'; src: Subfield; dst: Subfield }
  | { type: 'pop_queue' }
  | { type: 'exit' }
  | { type: 'ct_clear' }
  | { type: 'dec_ttl_cnt_ids'; ids: number[] }
  /** Decoded NXAST_SET_TUNNEL(64); OVS itself sends set_field:..->tun_id for set_tunnel text in OF1.3. */
  | { type: 'set_tunnel'; tunId: bigint; wide: boolean }
  /** Payload exactly as on the wire, padding zeros included (OVS prints them). */
  | { type: 'note'; data: Uint8Array }
  /** clause is 1-based like the text (`conjunction(id,clause/nClauses)`). */
  | { type: 'conjunction'; id: number; clause: number; nClauses: number }
  | { type: 'output_reg'; src: Subfield; maxLen: number; wire?: 'output_reg2' }
  | { type: 'output_trunc'; port: number; maxLen: number }
  | { type: 'fin_timeout'; idleTimeout: number; hardTimeout: number }
  | { type: 'stack_push'; sf: Subfield }
  | { type: 'stack_pop'; sf: Subfield }
  | { type: 'multipath'; fields: number; basis: number; algorithm: number; maxLink: number; arg: number; dst: Subfield }
  /** bundle_load when dst is set; members are OF1.3 ports. */
  | { type: 'bundle'; algorithm: number; fields: number; basis: number; members: number[]; dst?: Subfield }
  /** samplingPort is an OF1.3 port (ANY when none); direction 0 default, 1 ingress, 2 egress. */
  | {
      type: 'sample';
      probability: number;
      collectorSetId: number;
      obsDomainId: number;
      obsPointId: number;
      samplingPort: number;
      direction: number;
      wire?: 'sample' | 'sample2' | 'sample3';
    }
  | { type: 'clone'; actions: Action[] }
  | { type: 'check_pkt_larger'; pktLen: number; dst: Subfield }
  /** packetType is namespace << 16 | type (0 ethernet, 0x1894f nsh, 0x18847 mpls); md_type/tlvs are NSH properties. */
  | { type: 'encap'; hdrSize: number; packetType: number; mdType?: number; tlvs: NshTlv[] }
  /** 0xfffe: use the next protocol (`decap()`). */
  | { type: 'decap'; packetType: number }
  | { type: 'delete_field'; field: OxmFieldDef }
  | ControllerAction
  | CtAction
  | NatAction
  | LearnAction
  /** Unknown but well-formed action: exact bytes, header included. */
  | { type: 'raw'; bytes: Uint8Array };

export type Instruction =
  | { type: 'apply_actions'; actions: Action[] }
  | { type: 'write_actions'; actions: Action[] }
  | { type: 'clear_actions' }
  | { type: 'goto_table'; tableId: number }
  | { type: 'write_metadata'; metadata: bigint; mask: bigint }
  | { type: 'meter'; meterId: number }
  | { type: 'raw'; bytes: Uint8Array };

