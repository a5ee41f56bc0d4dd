import { describe, expect, it } from 'vitest';
import { App, cookieApp, cookieObject, isOurCookie, makeCookie } from '../../src/config/pipeline.js';

describe('cookie layout', () => {
  it('puts the app id in the high 16 bits and the object id in the low 48', () => {
    const c = makeCookie(App.FIREWALL, 0xabcdef123456n);
    expect(c).toBe(0x0004abcdef123456n);
    expect(cookieApp(c)).toBe(App.FIREWALL);
    expect(cookieObject(c)).toBe(0xabcdef123456n);
    expect(isOurCookie(c)).toBe(true);
    expect(isOurCookie(0x1234n)).toBe(false);
  });

  it('refuses ids that do not fit', () => {
    expect(() => makeCookie(0x10000, 1)).toThrow(RangeError);
    expect(() => makeCookie(App.DVR, 1n << 48n)).toThrow(RangeError);
  });
});
