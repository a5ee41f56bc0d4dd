import type { Reader, Writer } from '../bytes.js';
import { decodeBands, decodeBuckets, encodeBands, encodeBuckets } from './bucket-band.js';
import { expectEnd } from './header.js';
import type { GroupMod, Header, MeterMod, PortMod, TableMod } from './types.js';

/** GROUP_MOD, PORT_MOD, TABLE_MOD and METER_MOD bodies (OF1.3 layouts). */

export function encodeGroupModBody(w: Writer, m: GroupMod): void {
  w.u16(m.command);
  w.u8(m.groupType);
  w.u8(0);
  w.u32(m.groupId);
  encodeBuckets(w, m.buckets);
}

export function decodeGroupModBody(r: Reader, h: Header): GroupMod {
  const command = r.u16();
  const groupType = r.u8();
  r.skip(1);
  const groupId = r.u32();
  return { type: 'group_mod', version: h.version, xid: h.xid, command, groupType, groupId, buckets: decodeBuckets(r) };
}

export function encodePortModBody(w: Writer, m: PortMod): void {
  w.u32(m.portNo);
  w.zeros(4);
  w.u48(m.hwAddr);
  w.zeros(2);
  w.u32(m.config);
  w.u32(m.mask);
  w.u32(m.advertise);
  w.zeros(4);
}

export function decodePortModBody(r: Reader, h: Header): PortMod {
  const portNo = r.u32();
  r.skip(4);
  const hwAddr = r.u48();
  r.skip(2);
  const config = r.u32();
  const mask = r.u32();
  const advertise = r.u32();
  r.skip(4);
  expectEnd(r, 'PORT_MOD');
  return { type: 'port_mod', version: h.version, xid: h.xid, portNo, hwAddr, config, mask, advertise };
}

export function encodeTableModBody(w: Writer, m: TableMod): void {
  w.u8(m.tableId);
  w.zeros(3);
  w.u32(m.config);
}

export function decodeTableModBody(r: Reader, h: Header): TableMod {
  const tableId = r.u8();
  r.skip(3);
  const config = r.u32();
  expectEnd(r, 'TABLE_MOD');
  return { type: 'table_mod', version: h.version, xid: h.xid, tableId, config };
}

export function encodeMeterModBody(w: Writer, m: MeterMod): void {
  w.u16(m.command);
  w.u16(m.flags);
  w.u32(m.meterId);
  encodeBands(w, m.bands);
}

export function decodeMeterModBody(r: Reader, h: Header): MeterMod {
  const command = r.u16();
  const flags = r.u16();
  const meterId = r.u32();
  return { type: 'meter_mod', version: h.version, xid: h.xid, command, flags, meterId, bands: decodeBands(r) };
}
