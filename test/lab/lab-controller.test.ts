import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../src/lab/index.js';
import { freePort } from '../support/processes.js';

/** What one switch connection showed a bare-bones controller. */
interface SwitchSession {
  hello: Buffer;
  datapathId: string;
  socket: net.Socket;
}

/**
 * A plain TCP listener standing in for the controller: records the switch's first 16 bytes (its HELLO),
 * answers with an OF1.3 HELLO + FEATURES_REQUEST and reads the datapath id from the FEATURES_REPLY.
 */
function fakeController(onSession: (s: SwitchSession) => void): net.Server {
  return net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    let hello: Buffer | undefined;
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 8 && buf.length >= buf.readUInt16BE(2)) {
        const msg = buf.subarray(0, buf.readUInt16BE(2));
        buf = buf.subarray(msg.length);
        if (!hello) {
          hello = Buffer.from(msg);
          socket.write(Buffer.from('0400000800000001' + '0405000800000002', 'hex'));
        } else if (msg[1] === 6) {
          onSession({ hello, datapathId: msg.subarray(8, 16).toString('hex'), socket });
        }
      }
    });
    socket.on('error', () => undefined);
  });
}

describe('controller in the root netns', () => {
  let lab: Lab;
  let server: net.Server;
  let port: number;
  const sessions: SwitchSession[] = [];
  async function waitForSessions(n: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (sessions.length < n) {
      if (Date.now() > deadline) throw new Error(`only ${sessions.length}/${n} switches connected`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    port = await freePort();
    // The switches are configured first and find the controller once it is up (OVS retries).
    lab = await Lab.start({ name: 'ctl', hosts: ['h1', 'h2'], controller: { port } });
    server = fakeController((session) => sessions.push(session));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  });
  afterAll(async () => {
    await lab?.stop();
    server?.close();
  });

  it('receives an OpenFlow 1.5 HELLO with the 1.0/1.3/1.5 bitmap from every secure bridge of every host', async () => {
    await waitForSessions(6);
    for (const s of sessions) {
      expect(s.hello.subarray(0, 4).toString('hex')).toBe('06000010'); // OF1.5, HELLO, length 16
      expect(s.hello.subarray(8).toString('hex')).toBe('0001000800000052'); // VERSIONBITMAP 1.0+1.3+1.5
    }
    const expected = lab.hosts.flatMap((h) => h.bridges.filter((b) => b.failMode === 'secure').map((b) => b.datapathId));
    expect(sessions.map((s) => s.datapathId).sort()).toEqual(expected.sort());
  });

  it('re-points a detached bridge, and the switches reconnect after a dropped connection', async () => {
    await lab.detachController('h1', 'br-ex');
    expect((await lab.host('h1').vsctl('get-controller', 'br-ex')).trim()).toBe('');
    await lab.pointAtController('h1', 'br-ex', `tcp:127.0.0.1:${port}`);
    await waitForSessions(7);
    expect(sessions[6].datapathId).toBe(lab.host('h1').bridge('br-ex').datapathId);
    lab.dropControllerConnections('h2');
    await waitForSessions(10); // h2's br-int, br-tun and br-ex come back
    const again = sessions.slice(7).map((s) => s.datapathId).sort();
    expect(again).toEqual(lab.host('h2').bridges.filter((b) => b.failMode === 'secure').map((b) => b.datapathId).sort());
  });

  it('gets the switches back after a vswitchd restart (the controller config lives in ovsdb)', async () => {
    await lab.restartVswitchd('h1');
    await waitForSessions(13);
    const back = sessions.slice(10).map((s) => s.datapathId).sort();
    expect(back).toEqual(lab.host('h1').bridges.filter((b) => b.failMode === 'secure').map((b) => b.datapathId).sort());
  });
});
