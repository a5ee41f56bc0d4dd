#!/usr/bin/env bash
# The project's test command (README: `npm test`). On a fresh Debian 12 machine it installs what is missing
# (Debian tools the real-OVS tests drive, npm packages), then type-checks, lints, builds and runs every test.
# Under CI=true a test that cannot find a prerequisite fails; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: real Open vSwitch (userspace datapath), namespaces/veth, captures, a DHCP client.
apt_pkgs=(openvswitch-switch iproute2 ethtool tcpdump netcat-openbsd iputils-ping arping procps openssl python3-openstackclient isc-dhcp-client)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ "${CI:-}" == "true" || ! -d node_modules ]]; then
  npm ci --no-audit --no-fund
fi

npm run typecheck
npm run lint
npm run build
npx vitest run "$@"
