#!/usr/bin/env bash
# Measures how long the cluster takes to notice and recover from each fault, with real processes on
# loopback: a worker killed (SIGKILL), a worker paused (SIGSTOP) and resumed, the coordinator killed
# and restarted with --resume. Prints one line per figure; the figures go in docs/reliability.md.
#
#   tests/recovery/measure.sh [path/to/backprop.dll]
#
# Every line of every process is stamped with the time it arrived, so the figures are differences of
# arrival times, not of polling moments.
set -euo pipefail
dll=${1:-src/Backprop.Cli/bin/Release/net10.0/backprop.dll}
[ -f "$dll" ] || { echo "build first: dotnet build src/Backprop.Cli -c Release" >&2; exit 1; }
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))   # below the ephemeral range: the coordinator comes back on it
pids=()
cleanup() { kill -9 "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

stamp() { while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }
started=
start() {   # start NAME ARGS...: runs backprop with every output line stamped into $work/NAME.log; its pid in $started
  local name=$1; shift
  dotnet "$dll" "$@" > >(stamp >>"$work/$name.log") 2>&1 </dev/null &
  started=$!; pids+=("$started")
  disown "$started"   # killing it is the point; bash need not report it
}
# first LOG PATTERN AFTER: the stamp of the first line matching PATTERN stamped after AFTER (waits up to 120 s)
first() {
  local deadline=$((SECONDS + 120)) t
  while [ $SECONDS -lt $deadline ]; do
    t=$(awk -v after="$3" -v pattern="$2" '$1 > after && $0 ~ pattern { print $1; exit }' "$work/$1.log" 2>/dev/null || true)
    [ -n "$t" ] && { echo "$t"; return; }
    sleep 0.05
  done
  echo "timed out waiting for /$2/ in $1.log" >&2; tail -20 "$work/$1.log" >&2; exit 1
}
since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f s", b - a }'; }

job=(--host 127.0.0.1 --port "$port" --min-workers 2 --data builtin:fashion-mnist-small --epochs 500 --batch 32
     --threads 1 --checkpoint-every 50 --json --no-progress --run-dir "$work/run")
worker=(worker --join "127.0.0.1:$port" --host 127.0.0.1 --threads 1)
start coordinator coordinator "${job[@]}"; coordinator=$started
start w1 "${worker[@]}"; w1=$started
start w2 "${worker[@]}"; w2=$started
first coordinator 'epoch 2/500' 0 >/dev/null

# 1. A worker killed outright.
t0=$EPOCHREALTIME; kill -9 "$w2"
echo "worker SIGKILL -> left the steps (lane lost):        $(since "$t0" "$(first coordinator 'tensor lane lost' "$t0")")"
echo "worker SIGKILL -> first short-handed step closed:     $(since "$t0" "$(first coordinator 'short-handed' "$t0")")"
echo "worker SIGKILL -> removed from the cluster:           $(since "$t0" "$(first coordinator 'removed from the cluster' "$t0")")"
t0=$EPOCHREALTIME; start w3 "${worker[@]}"
echo "new worker started -> its first step:                 $(since "$t0" "$(first w3 'first step' "$t0")")"

# 2. A worker paused (alive, silent), then resumed.
t0=$EPOCHREALTIME; kill -STOP "$w1"
echo "worker SIGSTOP -> unreachable, out of the steps:      $(since "$t0" "$(first coordinator 'unreachable' "$t0")")"
removed=$(first coordinator 'removed from the cluster' "$t0")
echo "worker SIGSTOP -> removed from the cluster:           $(since "$t0" "$removed")"
t0=$EPOCHREALTIME; kill -CONT "$w1"
echo "SIGCONT -> rejoined as a new member, first step:      $(since "$t0" "$(first w1 'first step' "$t0")")"

# 3. The coordinator killed and restarted on the same run folder; the workers come back by themselves.
t0=$EPOCHREALTIME; kill -9 "$coordinator"; sleep 1
t1=$EPOCHREALTIME; start coordinator2 coordinator "${job[@]}" --resume; coordinator=$started
echo "coordinator restarted -> training with both workers:  $(since "$t1" "$(first coordinator2 'starting with 2 worker' "$t1")") (killed 1 s before)"
grep -o 'resumed from .*' "$work/coordinator2.log" | head -1
kill -TERM "$coordinator"; while kill -0 "$coordinator" 2>/dev/null; do sleep 0.1; done
