import { filter, firstValueFrom, ReplaySubject } from 'rxjs';
import { parseFlow } from '../../src/openflow/text/flow.js';
import { desiredFromFlowMod, Reconciler, type DesiredFlow, type ReconcileResult } from '../../src/reconciler/index.js';
import type { OpenFlowServer, SessionOptions, SwitchDown, SwitchSession } from '../../src/switch/index.js';
import { capturingLogger, startServer } from '../switch/harness.js';

export interface Attached {
  session: SwitchSession;
  result: ReconcileResult;
}

/**
 * Our controller as the lab's switches meet it: an OpenFlowServer on a free root-netns port whose
 * every ready switch is attached to a Reconciler. Attach results and disconnects are replayed, so
 * a test can wait for one that happened a moment before it started waiting.
 */
export class LabController {
  readonly attached$ = new ReplaySubject<Attached>();
  readonly downs: SwitchDown[] = [];

  private constructor(
    readonly server: OpenFlowServer,
    readonly rec: Reconciler,
    readonly logLines: () => Array<Record<string, unknown>>,
  ) {
    server.up$.subscribe((session) => {
      rec.attach(session).then(
        (result) => this.attached$.next({ session, result }),
        () => undefined, // a session dropped mid-attach; the test that caused it checks the outcome
      );
    });
    server.down$.subscribe((d) => this.downs.push(d));
  }

  static async start(session: Partial<SessionOptions>): Promise<LabController> {
    const { server, lines } = await startServer({ session });
    return new LabController(server, new Reconciler(capturingLogger().log), lines);
  }

  /** The next attach of `key` that satisfies `accept` (replayed ones included). */
  attachOf(key: string, accept: (a: Attached) => boolean = () => true, timeoutMs = 20_000): Promise<Attached> {
    const found = firstValueFrom(this.attached$.pipe(filter((a) => a.session.identity?.key === key && accept(a))));
    return withTimeout(found, timeoutMs, `no attach of ${key} within ${timeoutMs} ms`);
  }

  session(key: string): SwitchSession {
    const s = this.server.switches.get(key);
    if (!s) throw new Error(`${key} is not connected (connected: ${[...this.server.switches.keys()].join(', ')})`);
    return s;
  }

  async close(): Promise<void> {
    await this.server.close();
    this.attached$.complete();
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** n distinct flows as an app would build them (OVS's own encoding, via parseFlow), in one table. */
export function labFlows(n: number, table: number, cookie = 0x1n): DesiredFlow[] {
  return Array.from({ length: n }, (_, i) => {
    const [a, b, c] = [(i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff];
    const mac = `fa:16:3e:00:${hex2(b)}:${hex2(c)}`;
    const text = `table=${table},priority=100,ip,nw_src=10.${a}.${b}.${c},nw_dst=172.16.${b}.${c},actions=set_field:${mac}->eth_dst,output:${(i % 8) + 1}`;
    return { ...desiredFromFlowMod(parseFlow(text)), cookie };
  });
}

/** `flow_count` of `ovs-ofctl dump-aggregate`. */
export function flowCount(aggregateOutput: string): number {
  const m = /flow_count=(\d+)/.exec(aggregateOutput);
  if (!m) throw new Error(`no flow_count in: ${aggregateOutput}`);
  return Number(m[1]);
}
