/**
 * The flows and groups of the test corpus, in ovs-ofctl syntax: Neutron OVS-agent style flows (ARP
 * responder, learn, conjunction, conntrack, tunnels), most OF1.3 actions and instructions, masked
 * and Nicira fields, and groups of every type. OVS turns them into bytes at test time.
 */
export const CORPUS_FLOWS: readonly string[] = [
  'table=0,priority=0,actions=NORMAL',
  'table=0,priority=10,in_port=1,dl_vlan=100,actions=mod_vlan_vid:5,resubmit(,60)',
  'table=60,priority=3,actions=NORMAL',
  'table=71,priority=95,arp,reg5=0x3,in_port=3,dl_src=fa:16:3e:aa:bb:cc,arp_spa=10.0.0.5,actions=resubmit(,94)',
  'table=24,priority=2,arp,in_port=5,arp_spa=10.0.0.0/24,actions=goto_table:25',
  'table=21,priority=1,arp,dl_vlan=3,arp_tpa=10.0.0.1,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:fa:16:3e:00:00:01,load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0xfa163e000001->NXM_NX_ARP_SHA[],load:0xa000001->NXM_OF_ARP_SPA[],IN_PORT',
  'table=22,priority=1,dl_vlan=3,actions=strip_vlan,load:0x64->NXM_NX_TUN_ID[],output:2,output:4',
  'table=10,priority=1,actions=learn(table=20,hard_timeout=300,priority=1,cookie=0x1234,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1',
  'table=82,priority=70,conj_id=10,ct_state=+est-rel-rpl,ip,reg5=0x4,actions=resubmit(,91)',
  'table=82,priority=73,ct_state=+new-est,ip,reg6=0x2,nw_src=10.0.0.0/8,actions=conjunction(10,1/2)',
  'table=72,priority=77,ct_state=+new-est,tcp,reg5=0x4,tp_dst=0x1000/0xf000,actions=conjunction(11,2/2)',
  'table=73,priority=90,ct_state=-trk,ip,reg5=0x4,actions=ct(table=72,zone=NXM_NX_REG6[0..15])',
  'table=73,priority=90,ct_state=+new-est,ip,reg5=0x4,actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[])),resubmit(,91)',
  'table=0,priority=200,ipv6,ipv6_src=fe80::1/64,ipv6_dst=2001:db8::5,icmp6,icmp_type=135,nd_target=fe80::2,actions=drop',
  'table=0,priority=5,tcp,tcp_flags=+syn-ack,nw_dst=192.168.0.0/16,tp_src=22,actions=controller:65535',
  'table=0,priority=5,udp,udp_dst=4789,actions=push_vlan:0x8100,set_field:4196->vlan_vid,dec_ttl,output:3',
  'table=0,cookie=0xdeadbeefcafe,priority=6,metadata=0x5/0xff,actions=clear_actions,write_metadata:0x10/0xff,goto_table:5',
  'table=0,priority=6,tun_id=0x64,actions=set_field:172.16.0.1->tun_dst,set_tunnel:0x1234,output:9',
  'table=0,priority=7,ip,actions=meter:3,write_actions(output:4,group:5),goto_table:9',
  'table=0,priority=8,actions=group:7',
  'table=0,idle_timeout=30,hard_timeout=60,priority=9,send_flow_rem,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=drop',
  'table=0,priority=11,ip,nw_tos=16,nw_ecn=2,nw_ttl=5,actions=mod_nw_tos:32,mod_nw_src:1.2.3.4',
  'table=0,priority=12,mpls,mpls_label=5,actions=pop_mpls:0x0800,output:2',
  'table=0,priority=12,ip,actions=push_mpls:0x8847,set_field:10->mpls_label,output:2',
  'table=0,priority=13,reg0=0x5/0xffff,xreg1=0x12345678/0xffffffff,actions=multipath(symmetric_l4,1024,hrw,2,0,NXM_NX_REG0[0..1]),bundle(eth_src,0,active_backup,ofport,members:1,2)',
  'table=0,priority=14,actions=note:de.ad.be.ef,output(port=2,max_len=100),enqueue:1:2,set_queue:3,pop_queue',
  'table=0,priority=15,ip,actions=ct(commit,nat(src=10.0.0.1-10.0.0.20:1000-2000)),sample(probability=100,collector_set_id=1,obs_domain_id=2,obs_point_id=3)',
  'table=0,priority=16,tcp,actions=fin_timeout(idle_timeout=5,hard_timeout=10),controller(reason=no_match,max_len=128,id=3,userdata=01.02),exit',
  'table=0,priority=17,ct_mark=0x1/0x1,ct_label=0x1,ct_zone=5,actions=output:NXM_NX_REG1[]',
  'table=0,priority=18,vlan_tci=0x1000/0x1000,actions=pop_vlan,clone(set_field:1->reg0,resubmit(,3)),check_pkt_larger(1500)->NXM_NX_REG0[0]',
  'table=0,priority=19,dl_type=0x88cc,actions=CONTROLLER:128',
  'table=0,priority=20,icmp,icmp_type=8,icmp_code=0,actions=set_field:0->icmp_code,mod_dl_dst:00:11:22:33:44:55,LOCAL',
  'table=0,priority=21,sctp,sctp_src=9,actions=set_field:10->sctp_dst,FLOOD',
  'table=0,priority=22,ip,nw_frag=later,actions=ALL',
  'table=0,priority=23,pkt_mark=0x5,actions=set_field:0x7->pkt_mark,set_field:0x12->reg15,move:NXM_NX_REG15[0..7]->NXM_NX_REG14[8..15]',
  'table=0,priority=24,tun_src=1.1.1.1,tun_dst=2.2.2.2,tun_flags=+oam,actions=set_field:0x0->tun_flags,output:1',
  'table=0,priority=25,ipv6,ipv6_label=0x12345,actions=set_field:2001:db8::9->ipv6_dst,output:1',
  'table=0,priority=26,mpls,actions=dec_mpls_ttl,set_mpls_ttl(5)',
  'table=0,priority=100,ip,in_port=5,nw_src=10.1.2.3,nw_dst=172.16.3.4,actions=set_field:fa:16:3e:11:22:33->eth_dst,push_vlan:0x8100,output:7',
];

/** OF1.4/1.5 FLOW_MODs: other layouts (importance, OF1.5 fields) the decoder must handle or reject cleanly. */
export const NEWER_VERSION_FLOWS: readonly string[] = [
  'priority=5,importance=3,ip,actions=output:1',
  'table=3,priority=7,tcp,tp_dst=443,actions=ct(commit,zone=5),output:2',
];

export const CORPUS_GROUPS: readonly string[] = [
  'group_id=1,type=select,bucket=weight:100,actions=output:1,bucket=weight:50,actions=output:2',
  'group_id=2,type=all,bucket=actions=set_field:1->reg0,output:1,bucket=actions=output:2',
  'group_id=3,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2',
  'group_id=4,type=indirect,bucket=actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:3',
];

export const CORPUS_GROUPS_OF15: readonly string[] = [
  'group_id=1,type=select,selection_method=hash,fields(ip_src),bucket=bucket_id:1,weight:100,watch_port:3,actions=output:1',
  'group_id=9,type=select,bucket=bucket_id:5,weight:10,actions=output:1,bucket=bucket_id:6,weight:20,watch_group:2,actions=output:2',
];

/** A FLOW_MOD close to the 64 KiB message limit (4000 outputs), so slow paths on big inputs show up. */
export const BIG_FLOW = `table=0,priority=1,actions=${Array.from({ length: 4000 }, (_, i) => `output:${i + 1}`).join(',')}`;
