#!/bin/bash
# bench-deps.sh - prerequisites of the benchmarks' same-run baselines.
#
#   scripts/bench-deps.sh ovn   OVN (ovn-nbctl, ovn-sbctl, ovn-northd, ovn-controller) for the OVN
#                               baseline of `npm run bench:l2`: Debian's ovn-central + ovn-host
#                               (bookworm: OVN 23.03.1 on Open vSwitch 3.1).
#
# Does nothing when the tools are already there. Otherwise, as root:
# `apt-get update && apt-get install -y ovn-central ovn-host`. The packaged services are not wanted
# (the bench starts its own private daemons): installation runs with a policy-rc.d that forbids starting
# them if the machine has none, and any OVN/OVS daemon that appeared during the install is stopped
# again, by pid (processes that were running before are left alone).
set -euo pipefail

what=${1:-ovn}
[ "$what" = ovn ] || { echo "usage: $0 ovn" >&2; exit 2; }

tools=(ovn-nbctl ovn-sbctl ovn-northd ovn-controller ovsdb-server ovsdb-tool ovs-vswitchd ovs-vsctl ovs-ofctl)
missing=()
for t in "${tools[@]}"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bench-deps: missing ${missing[*]}: installing ovn-central ovn-host (apt-get)" >&2
if [ "$(id -u)" != 0 ]; then
    echo "bench-deps: not root; run: sudo apt-get update && sudo apt-get install -y ovn-central ovn-host" >&2
    exit 1
fi

daemons() { pgrep -x 'ovn-northd|ovn-controller|ovsdb-server|ovs-vswitchd|ovn-ic|ovn-nbctl' 2>/dev/null | sort || true; }
before=$(daemons)

# No packaged service may start during the install: a temporary policy-rc.d if there is none.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; own_policy=1
fi
cleanup() { [ "$own_policy" = 1 ] && rm -f "$policy"; return 0; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends ovn-central ovn-host

# Whatever daemon the install started anyway is stopped (only those new since before the install).
new=$(comm -13 <(echo "$before") <(daemons) | grep . || true)
if [ -n "$new" ]; then
    echo "bench-deps: stopping daemons started by the install: $(echo $new)" >&2
    for pid in $new; do kill "$pid" 2>/dev/null || true; done
    sleep 1
    for pid in $new; do kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true; done
fi

for t in "${tools[@]}"; do
    command -v "$t" >/dev/null 2>&1 || { echo "bench-deps: $t still missing after the install" >&2; exit 1; }
done
echo "bench-deps: $(ovn-nbctl --version | head -1) installed" >&2
