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
source "$(dirname "$0")/../lib/processes.sh"
dll=${1:-src/Backprop.Cli/bin/Release/net10.0/backprop.dll}
[ -f "$dll" ] || { echo "build first: dotnet build src/Backprop.Cli -c Release" >&2; exit 1; }
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))   # below the ephemeral range: the coordinator comes back on it
cleanup() { kill -9 "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

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
