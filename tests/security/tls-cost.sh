#!/usr/bin/env bash
# What mutual TLS costs per step: `backprop train --workers 2` (a coordinator and two workers as
# separate actor systems over loopback TCP) with TLS off and on, on both transports, alternating the
# runs so that a change in the machine's load falls on both sides alike. Prints the median step time
# and samples/s of each, and the ratio.
#
#   tests/security/tls-cost.sh [path/to/backprop.dll] [rounds]
set -euo pipefail
dll=${1:-src/Backprop.Cli/bin/Release/net10.0/backprop.dll}
rounds=${2:-3}
[ -f "$dll" ] || { echo "build first: dotnet build src/Backprop.Cli -c Release" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet "$dll" certs create --out "$work/certs" --nodes node >/dev/null
cat >"$work/tls.conf" <<CONF
backprop.cluster.tls { enabled = on, ca = "$work/certs/ca.crt", certificate = "$work/certs/node.crt", key = "$work/certs/node.key" }
CONF
: >"$work/plain.conf"

# One run: prints "step_us samples_per_sec".
run() {
  local transport=$1 security=$2
  dotnet "$dll" train --data builtin:fashion-mnist-small --workers 2 --threads 1 --batch 128 --epochs 6 \
    --config "$work/$security.conf" --json --no-progress --run-dir "$work/run-$transport-$security-$RANDOM" \
    2>/dev/null </dev/null | tail -1 |
    python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["step_breakdown_us"]["step"], s["train_samples_per_sec"])'
}

for transport in lane akka; do
  sed -i "/^backprop.cluster.transport/d" "$work/plain.conf" "$work/tls.conf"
  echo "backprop.cluster.transport = $transport" | tee -a "$work/plain.conf" >>"$work/tls.conf"
  : >"$work/plain.txt"; : >"$work/tls.txt"
  for _ in $(seq "$rounds"); do
    run "$transport" plain >>"$work/plain.txt"
    run "$transport" tls >>"$work/tls.txt"
  done
  python3 - "$transport" "$work/plain.txt" "$work/tls.txt" <<'PY'
import statistics, sys
transport, plain, tls = sys.argv[1], [l.split() for l in open(sys.argv[2])], [l.split() for l in open(sys.argv[3])]
step = lambda runs: statistics.median(float(r[0]) for r in runs)
rate = lambda runs: statistics.median(float(r[1]) for r in runs)
print(f"{transport}: step {step(plain)/1000:.2f} ms plain, {step(tls)/1000:.2f} ms with TLS ({step(tls)/step(plain):.2f}x); "
      f"{rate(plain):.0f} vs {rate(tls):.0f} samples/s ({rate(tls)/rate(plain):.2f}x); {len(plain)} runs each")
PY
done
