import { ovsErrorReply, ovsFlowMods, ovsGroupMod, ovsHello, type Sample } from './ovs-samples.js';
import { ovsSwitchMessages } from './ovs-switch.js';
import { BIG_FLOW, CORPUS_FLOWS, CORPUS_GROUPS, CORPUS_GROUPS_OF15, NEWER_VERSION_FLOWS } from './corpus-text.js';

/**
 * A varied corpus of OVS-made messages: Neutron OVS-agent style flows (ARP responder, learn,
 * conjunction, conntrack, tunnels), most OF1.3 actions and instructions, masked and Nicira
 * fields, groups of every type (OF1.3, and OF1.5 with bucket properties), HELLOs and ERRORs made
 * by ovs-ofctl; then what a real OVS switch sends back (see ovs-switch.ts).
 */
let cached: Sample[] | undefined;

/** Every corpus message: ovs-ofctl's and a sandboxed switch's, generated once per process (~1.5 s). */
export function ovsCorpus(): Sample[] {
  if (cached) return cached;
  const flows = ovsFlowMods(CORPUS_FLOWS);
  const samples: Sample[] = [
    ovsHello(0x52),
    ovsHello(0x10),
    ovsHello(0x7e),
    ...flows,
    ...ovsFlowMods([BIG_FLOW]),
    ...ovsFlowMods(NEWER_VERSION_FLOWS, 'OpenFlow14'),
    ...ovsFlowMods(NEWER_VERSION_FLOWS, 'OpenFlow15'),
    ...CORPUS_GROUPS.map((g) => ovsGroupMod(g)),
    ...CORPUS_GROUPS_OF15.map((g) => ovsGroupMod(g, 'OpenFlow15')),
    ovsErrorReply('OFPBRC_BAD_TYPE', flows[0].bytes),
    ovsErrorReply('OFPBAC_BAD_OUT_PORT', flows[1].bytes),
    ovsErrorReply('OFPFMFC_TABLE_FULL', flows[flows.length - 1].bytes),
    ...ovsSwitchMessages(),
  ];
  cached = samples;
  return samples;
}
