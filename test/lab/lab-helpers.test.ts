import { describe, expect, it } from 'vitest';
import { LabPrerequisiteError, assertLabPrerequisites, datapathId, parseDpDesc, parseTcpdumpLine } from '../../src/lab/index.js';
import { parseTcpTarget } from '../../src/lab/controller-forwarder.js';
import { labIdOfNetns, labOwnerPid, makeLabId } from '../../src/lab/naming.js';
import { processStartTime } from '../../src/lab/processes.js';

describe('lab helpers', () => {
  it('finds every prerequisite on this machine, and names a missing tool with its package', () => {
    expect(() => assertLabPrerequisites(['ping', 'tcpdump'])).not.toThrow();
    let err: unknown;
    try {
      assertLabPrerequisites(['no-such-tool-xyz']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LabPrerequisiteError);
    expect((err as Error).message).toMatch(/missing no-such-tool-xyz .*apt-get install -y .*openvswitch-switch/);
  });

  it('builds lab ids that carry the owner pid and map namespaces back to their lab', () => {
    const id = makeLabId('l2');
    expect(id).toMatch(new RegExp(`^nlab-l2-${process.pid}-[0-9a-f]{4}$`));
    expect(labOwnerPid(id)).toBe(process.pid);
    expect(labIdOfNetns(`${id}-h1`)).toBe(id);
    expect(labIdOfNetns(`${id}-vm-vm1`)).toBe(id);
    expect(labIdOfNetns('labh1')).toBeUndefined();
    expect(() => makeLabId('Bad-Name')).toThrow(/lab name/);
  });

  it('encodes host index and bridge code in the datapath id, and host and bridge in dp-desc', () => {
    expect(datapathId(1, 0x01)).toBe('0000000000000101');
    expect(datapathId(12, 0x0f)).toBe('0000000000000c0f');
    expect(() => datapathId(0, 1)).toThrow();
    expect(parseDpDesc('h1 br-int\0\0\0')).toEqual({ host: 'h1', bridge: 'br-int' }); // DESC pads with NULs
    expect(parseDpDesc('None')).toBeUndefined();
  });

  it('parses controller targets and tcpdump -e -n -tt lines', () => {
    expect(parseTcpTarget('tcp:127.0.0.1:6653')).toEqual({ host: '127.0.0.1', port: 6653 });
    expect(() => parseTcpTarget('unix:/x.sock')).toThrow(/tcp:127.0.0.1:6653/);
    const p = parseTcpdumpLine(
      '1763805000.123456 fa:16:3e:00:00:11 > fa:16:3e:00:00:12, ethertype IPv4 (0x0800), length 98: 10.0.0.11 > 10.0.0.12: ICMP echo request, id 7, seq 1, length 64',
    );
    expect(p).toMatchObject({ time: 1763805000.123456, ethSrc: 'fa:16:3e:00:00:11', ethDst: 'fa:16:3e:00:00:12', ethertype: 'IPv4', length: 98 });
    expect(p?.summary).toBe('10.0.0.11 > 10.0.0.12: ICMP echo request, id 7, seq 1, length 64');
    expect(parseTcpdumpLine('2 packets captured')).toBeUndefined();
  });

  it('reads a stable process start time', () => {
    const t = processStartTime(process.pid);
    expect(t).toMatch(/^\d+$/);
    expect(processStartTime(process.pid)).toBe(t);
    expect(processStartTime(1)).not.toBe(t);
  });
});
