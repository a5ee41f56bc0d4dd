import { objectIdOf } from '../apps/cookies.js';
import { App, cookieApp, cookieObject } from '../config/pipeline.js';

/** `neutrino flows --owner ID --app NAME`: keep the flow lines of one port/network and/or one app. */
export interface FlowFilter {
  /** A port or network id (the object the flow's cookie names), or `host` for per-host defaults. */
  owner?: string;
  /** An app name as in config/pipeline.ts `App`, case-insensitive, e.g. dhcp, arp_responder. */
  app?: string;
}

const COOKIE = /cookie=0x([0-9a-f]+)/i;

/** App name -> id; undefined for a name that is not an app (the CLI reports it). */
export function appId(name: string): number | undefined {
  const entry = Object.entries(App).find(([k]) => k.toLowerCase() === name.toLowerCase().replace(/-/g, '_'));
  return entry?.[1];
}

export const APP_NAMES = Object.keys(App).filter((k) => k !== 'FOREIGN' && k !== 'RECONCILER_TEST').map((k) => k.toLowerCase());

/**
 * The lines of `text` whose cookie matches; lines without a cookie (ovs-ofctl prints none for cookie 0)
 * are flows of nobody we know and only kept by an empty filter.
 */
export function filterFlowLines(text: string, f: FlowFilter): string {
  if (f.owner === undefined && f.app === undefined) return text;
  const object = f.owner === undefined ? undefined : f.owner === 'host' ? 0n : objectIdOf(f.owner);
  const app = f.app === undefined ? undefined : appId(f.app);
  return text.split('\n').filter((line) => {
    const m = COOKIE.exec(line);
    if (!m) return false;
    const cookie = BigInt(`0x${m[1]}`);
    return (object === undefined || cookieObject(cookie) === object) && (app === undefined || cookieApp(cookie) === app);
  }).map((l) => `${l}\n`).join('');
}
