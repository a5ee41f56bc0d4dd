/**
 * Decoding of OVSDB values as `ovs-vsctl --format=json --data=json` prints them: a set with one
 * element is the bare atom, other sets are ["set", [...]], maps ["map", [[k, v], ...]], refs ["uuid", id].
 */
export type Datum = unknown;

export function setElements(d: Datum): unknown[] {
  if (Array.isArray(d) && d[0] === 'set') return d[1] as unknown[];
  return [d];
}

export function stringSet(d: Datum): string[] {
  return setElements(d).map(String);
}

/** An optional string column (e.g. fail_mode): undefined when empty. */
export function optionalString(d: Datum): string | undefined {
  const elements = setElements(d);
  return elements.length === 0 ? undefined : String(elements[0]);
}

/** An optional integer column (e.g. controller_rate_limit): undefined when empty. */
export function optionalNumber(d: Datum): number | undefined {
  const elements = setElements(d);
  return elements.length === 0 ? undefined : Number(elements[0]);
}

export function stringMap(d: Datum): Record<string, string> {
  if (!Array.isArray(d) || d[0] !== 'map') throw new Error(`not an OVSDB map: ${JSON.stringify(d)}`);
  return Object.fromEntries((d[1] as Array<[unknown, unknown]>).map(([k, v]) => [String(k), String(v)]));
}

export function uuidOf(d: Datum): string {
  if (!Array.isArray(d) || d[0] !== 'uuid') throw new Error(`not an OVSDB uuid: ${JSON.stringify(d)}`);
  return String(d[1]);
}

export function uuidSet(d: Datum): string[] {
  return setElements(d).map(uuidOf);
}

/** One `list` result: rows as objects keyed by column name. */
export function tableRows(json: string): Array<Record<string, Datum>> {
  const parsed = JSON.parse(json) as { headings: string[]; data: Datum[][] };
  return parsed.data.map((row) => Object.fromEntries(parsed.headings.map((h, i) => [h, row[i]])));
}
