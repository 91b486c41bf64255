#!/usr/bin/env bash
# Data-parallel scaling of real backprop processes: for each worker count, one coordinator process and
# N worker processes train the same job; the figures of each run (samples/s, step time and where it
# went, accuracy) become one line of DIR/results.jsonl and one row of a markdown table, for fitting a
# cost model later. What is measured, and the assumptions: README.md beside this file.
#
#   tests/Backprop.Benchmarks/Scaling/scaling.sh [options]
#
#   --backprop PATH        the CLI to run: backprop.dll (run with dotnet) or an executable; default: build
#                          src/Backprop.Cli in Release and run src/Backprop.Cli/bin/Release/net10.0/backprop.dll
#   --no-build             with no --backprop: run that dll as it is, without building
#   --workers LIST         worker counts, comma-separated [1,2,3,4]
#   --threads N            matrix-product threads of each worker [1]
#   --coordinator-threads N  threads of the coordinator (evaluation, the optimiser step) [1]
#   --servers K            shard the parameter server K ways: K - 1 `backprop server` processes beside
#                          the coordinator (sets cluster.exchange.servers = K); with tbf each has a
#                          link of its own like the coordinator's [1]
#   --config FILE          the job's configuration [configs/large.conf: 784-2048-1024-10, 3.7M parameters]
#   --epochs N             epochs per point, the first being warm-up [6]
#   --batch N              the global batch (default: the configuration's)
#   --data PATH            the training data (default: the configuration's)
#   --warmup-epochs N      epochs left out of the figures [1]
#   --net LIST             comma-separated: loopback, tbf:RATE or tbf:RATE:BURST (tc's units: 1gbit,
#                          10gbit; 256kb) [loopback]
#   --topology star|switch tbf only. star: every worker has its own limited link to the coordinator,
#                          whose side is not limited; switch: the coordinator's link is limited too, so
#                          all workers share RATE to and from it [star]
#   --set KEY=VALUE        a configuration key for the coordinator (the job), repeatable; KEY may omit
#                          "backprop."; VALUE is HOCON as written (quote text with ':' in it)
#   --worker-set KEY=VALUE a key of the workers' backprop.cluster/akka sections, repeatable
#   --label TEXT           the rows' label [the --set keys, or "base"]
#   --out DIR              results: results.jsonl (appended: several invocations with different labels
#                          build one table), results.csv, table.md, and every point's logs and run
#                          folder [runs/scaling/<time>]
#   --pytorch-ddp FILE     also run this pytorch_ddp.py for each worker count (loopback points only)
#                          with the same layers and global batch; its samples/s go in the same rows
#   --ddp-python PATH      the Python that has torch [/usr/bin/python3]
#   --ddp-epochs N         its epochs (of its own dataset, full Fashion-MNIST); median of 2..N [2]
#   --point-timeout S      a point still running after S seconds is killed and counts as failed [900]
#   --keep-runs            keep each run's model and checkpoint files (deleted by default: ~60 MB a point)
#
# Exit status: 0 when every point completed, 1 when one failed (the others still run), 2 for a usage error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
helper=$here/scaling.py
python=${PYTHON:-python3}

backprop='' build=1 workers_list=1,2,3,4 threads=1 coordinator_threads=1 servers=1 config=$root/configs/large.conf
epochs=6 batch='' data='' warmup_epochs=1 nets=loopback topology=star label='' out='' ddp='' ddp_python=/usr/bin/python3
ddp_epochs=2 point_timeout=900 keep_runs=0
sets=() worker_sets=()

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die() { echo "scaling.sh: $*" >&2; exit 2; }
need() { if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value (--help for the options)"; fi; }

while [ $# -gt 0 ]; do
  case $1 in
    --backprop) need "$@"; backprop=$2; shift ;;
    --no-build) build=0 ;;
    --workers) need "$@"; workers_list=$2; shift ;;
    --threads) need "$@"; threads=$2; shift ;;
    --coordinator-threads) need "$@"; coordinator_threads=$2; shift ;;
    --servers) need "$@"; servers=$2; shift ;;
    --config) need "$@"; config=$2; shift ;;
    --epochs) need "$@"; epochs=$2; shift ;;
    --batch) need "$@"; batch=$2; shift ;;
    --data) need "$@"; data=$2; shift ;;
    --warmup-epochs) need "$@"; warmup_epochs=$2; shift ;;
    --net) need "$@"; nets=$2; shift ;;
    --topology) need "$@"; topology=$2; shift ;;
    --set) need "$@"; sets+=("$2"); shift ;;
    --worker-set) need "$@"; worker_sets+=("$2"); shift ;;
    --label) need "$@"; label=$2; shift ;;
    --out) need "$@"; out=$2; shift ;;
    --pytorch-ddp) need "$@"; ddp=$2; shift ;;
    --ddp-python) need "$@"; ddp_python=$2; shift ;;
    --ddp-epochs) need "$@"; ddp_epochs=$2; shift ;;
    --point-timeout) need "$@"; point_timeout=$2; shift ;;
    --keep-runs) keep_runs=1 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option $1 (--help for the options)" ;;
  esac
  shift
done

# --- Checking the arguments ------------------------------------------------------------------------
is_count() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
IFS=, read -r -a worker_counts <<<"$workers_list"
[ ${#worker_counts[@]} -gt 0 ] || die "--workers is empty"
max_workers=0
for n in "${worker_counts[@]}"; do
  is_count "$n" || die "--workers: '$n' is not a worker count"
  [ "$n" -gt "$max_workers" ] && max_workers=$n
done
[ "$max_workers" -le 50 ] || die "--workers: at most 50 (the addresses are 10.77.0.11-60)"
for v in "$threads" "$coordinator_threads"; do [[ $v =~ ^[0-9]+$ ]] || die "threads: '$v' is not a number (0: every core)"; done
is_count "$epochs" || die "--epochs: '$epochs' is not a count"
is_count "$servers" && [ "$servers" -le 9 ] || die "--servers: '$servers' is not a count from 1 to 9 (the addresses are 10.77.0.2-10)"
[[ $warmup_epochs =~ ^[0-9]+$ ]] || die "--warmup-epochs: '$warmup_epochs' is not a number"
[ -z "$batch" ] || is_count "$batch" || die "--batch: '$batch' is not a count"
is_count "$point_timeout" || die "--point-timeout: '$point_timeout' is not a number of seconds"
is_count "$ddp_epochs" || die "--ddp-epochs: '$ddp_epochs' is not a count"
case $topology in star|switch) ;; *) die "--topology is star or switch, not '$topology'" ;; esac
[ -f "$config" ] || die "--config: no file $config"
config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
IFS=, read -r -a net_list <<<"$nets"
needs_root=0
for net in "${net_list[@]}"; do
  case $net in
    loopback) ;;
    tbf:*) [[ $net =~ ^tbf:[0-9]+(\.[0-9]+)?[kmg]?(bit|bps)(:[0-9]+[kmg]?b?)?$ ]] || die "--net: '$net' is not tbf:RATE[:BURST] (e.g. tbf:1gbit, tbf:10gbit:2mb)"; needs_root=1 ;;
    *) die "--net: '$net' is neither loopback nor tbf:RATE" ;;
  esac
done
for kv in "${sets[@]}" "${worker_sets[@]}"; do
  [[ $kv =~ ^[a-z0-9.-]+=.+$ ]] || die "--set/--worker-set: '$kv' is not KEY=VALUE (e.g. cluster.transport=akka)"
done
command -v "$python" >/dev/null 2>&1 || die "$python is needed to read the results (set PYTHON to another Python 3)"
if [ "$needs_root" -eq 1 ]; then
  [ "$(id -u)" -eq 0 ] || die "--net tbf:… builds network namespaces and veth links and shapes them with tc: run as root (sudo), or use --net loopback"
  for tool in ip tc; do command -v "$tool" >/dev/null 2>&1 || die "$tool is needed for --net tbf:… (Debian: apt-get install iproute2)"; done
fi
if [ -n "$ddp" ]; then
  [ -f "$ddp" ] || die "--pytorch-ddp: no file $ddp"
  "$ddp_python" -c 'import torch, numpy' 2>/dev/null || die "--pytorch-ddp: $ddp_python cannot import torch and numpy (Debian: apt-get install python3-torch python3-numpy libopenblas0-openmp dataset-fashion-mnist)"
  [[ ",$nets," == *,loopback,* ]] || echo "scaling.sh: --pytorch-ddp runs on loopback only; with no loopback in --net it is not run" >&2
fi

# A key without its section's root means backprop.*; akka.* keys pass as they are.
full_key() { case $1 in backprop.*|akka.*) echo "$1" ;; *) echo "backprop.$1" ;; esac; }
if [ "$servers" -gt 1 ]; then
  sets+=("cluster.exchange.servers=$servers")
fi
if [ -z "$label" ]; then
  if [ ${#sets[@]} -eq 0 ]; then label=base; else label=$(IFS=' '; echo "${sets[*]}"); fi
fi
label_slug=$(tr -c 'A-Za-z0-9._=-' '_' <<<"$label" | sed 's/_*$//')

out=${out:-$root/runs/scaling/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# --- The CLI -----------------------------------------------------------------------------------------
if [ -z "$backprop" ]; then
  backprop=$root/src/Backprop.Cli/bin/Release/net10.0/backprop.dll
  if [ "$build" -eq 1 ]; then
    # Only the CLI and what it references: the same backprop.dll as building the whole solution.
    echo "building src/Backprop.Cli (Release)…" >&2
    dotnet build "$root/src/Backprop.Cli/Backprop.Cli.csproj" -c Release -nologo -v q >"$out/build.log" 2>&1 \
      || { tail -30 "$out/build.log" >&2; die "the build failed (log: $out/build.log)"; }
  fi
fi
[ -e "$backprop" ] || die "no $backprop: build it (dotnet build Backprop.Cluster.sln -c Release) or give --backprop"
backprop=$(cd "$(dirname "$backprop")" && pwd)/$(basename "$backprop")
if [[ $backprop == *.dll ]]; then bp=(dotnet "$backprop"); else bp=("$backprop"); fi
version=$("${bp[@]}" --version 2>/dev/null | head -1 || true)

# --- The configuration files of this label ----------------------------------------------------------
mkdir -p "$out/configs"
coordinator_conf=$out/configs/$label_slug.conf
{
  echo "# Written by scaling.sh for the label '$label': the base configuration, then the --set keys."
  printf 'include "%s"\n' "$config"
  for kv in "${sets[@]}"; do printf '%s = %s\n' "$(full_key "${kv%%=*}")" "${kv#*=}"; done
} >"$coordinator_conf"
worker_args=()
if [ ${#worker_sets[@]} -gt 0 ]; then
  worker_conf=$out/configs/$label_slug.worker.conf
  {
    echo "# Written by scaling.sh for the label '$label': the --worker-set keys."
    for kv in "${worker_sets[@]}"; do printf '%s = %s\n' "$(full_key "${kv%%=*}")" "${kv#*=}"; done
  } >"$worker_conf"
  worker_args=(--config "$worker_conf")
fi

# --- Processes and namespaces, and cleaning them up on every exit ------------------------------------
pids=() spaces=() started=
prefix=bpsc$(($$ % 100000))   # interface names: at most 15 characters, e.g. bpsc12345v12
cleanup() {
  local pid space
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for space in "${spaces[@]}"; do ip netns del "$space" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start LOG NAMESPACE COMMAND...: runs COMMAND in the background (in NAMESPACE unless it is empty), its
# output into LOG; its pid in $started. ip netns exec execs the command: the pid is the program's own.
start() {
  local log=$1 space=$2; shift 2
  if [ -n "$space" ]; then
    ip netns exec "$space" "$@" >"$log" 2>&1 </dev/null &
  else
    "$@" >"$log" 2>&1 </dev/null &
  fi
  started=$!
  pids+=("$started")
}

# stop PID: ends a process this script started (SIGTERM, then SIGKILL after 10 s).
stop() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# wait_exit PID SECONDS: waits for a process this script started; its exit status, or 124 after SECONDS.
wait_exit() {
  local pid=$1 deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt "$deadline" ] || { stop "$pid"; wait "$pid" 2>/dev/null || true; return 124; }
    sleep 0.2
  done
  local code=0
  wait "$pid" || code=$?
  return "$code"
}

# free_port: a TCP port below Linux's ephemeral range that nothing on loopback listens on.
free_port() {
  local port _
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 10000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  die "no free port found on loopback"
}

# The namespace network of one tbf net: a switch (a bridge in a namespace of its own), the coordinator
# in namespace $prefix-c at 10.77.0.1 and worker i in $prefix-w<i> at 10.77.0.(10+i), each plugged into
# the switch by a veth pair created directly in the two namespaces (the host's own namespace and
# addresses are never touched). A limited link has tbf on both of its ends: egress of the node's end
# (what the node sends) and of the switch's end (what it receives).
coordinator_address=10.77.0.1
worker_address() { echo "10.77.0.$((10 + $1))"; }
server_address() { echo "10.77.0.$((1 + $1))"; }   # server node i (1 to K - 1) of a sharded parameter server
add_space() { ip netns del "$1" 2>/dev/null || true; ip netns add "$1"; spaces+=("$1"); ip -n "$1" link set lo up; }
plug() {   # plug SPACE INDEX ADDRESS LIMITED RATE BURST
  local space=$1 outer=${prefix}v$2 inner=${prefix}e$2
  ip -n "$prefix-sw" link add "$outer" type veth peer name "$inner" netns "$space"
  ip -n "$prefix-sw" link set "$outer" master br0 up
  ip -n "$space" addr add "$3/24" dev "$inner"
  ip -n "$space" link set "$inner" up
  if [ "$4" -eq 1 ]; then
    tc -n "$space" qdisc add dev "$inner" root tbf rate "$5" burst "$6" latency 50ms
    tc -n "$prefix-sw" qdisc add dev "$outer" root tbf rate "$5" burst "$6" latency 50ms
  fi
}
net_down() {
  local space
  for space in "${spaces[@]}"; do ip netns del "$space" 2>/dev/null || true; done
  spaces=()
}
net_up() {   # net_up RATE BURST WORKERS
  local i coordinator_limited=0
  [ "$topology" = switch ] && coordinator_limited=1
  add_space "$prefix-sw"
  ip -n "$prefix-sw" link add br0 type bridge
  ip -n "$prefix-sw" link set br0 up
  add_space "$prefix-c"
  plug "$prefix-c" 0 "$coordinator_address" "$coordinator_limited" "$1" "$2"
  for i in $(seq $((servers - 1))); do
    add_space "$prefix-s$i"
    plug "$prefix-s$i" "s$i" "$(server_address "$i")" "$coordinator_limited" "$1" "$2"
  done
  for i in $(seq "$3"); do
    add_space "$prefix-w$i"
    plug "$prefix-w$i" "$i" "$(worker_address "$i")" 1 "$1" "$2"
  done
}

# tc's rate in bit/s: 1gbit -> 1000000000 (tc's k/m/g are powers of 10; bps is bytes per second).
rate_bits() {
  local n unit
  [[ $1 =~ ^([0-9.]+)([kmg]?)(bit|bps)$ ]] || die "cannot read the rate $1"
  n=${BASH_REMATCH[1]}; unit=${BASH_REMATCH[2]}
  awk -v n="$n" -v u="$unit" -v b="${BASH_REMATCH[3]}" 'BEGIN { m = (u == "k") ? 1e3 : (u == "m") ? 1e6 : (u == "g") ? 1e9 : 1; printf "%.0f", n * m * (b == "bps" ? 8 : 1) }'
}

# The bucket when none is given: 2 ms of the rate, at least 256 KB (a few 64 KB GSO packets, so that
# tbf need not split them): 256kb at 1gbit, 2.5 MB at 10gbit. tbf's timer is a high-resolution one.
default_burst() { awk -v r="$(rate_bits "$1")" 'BEGIN { b = r / 8 * 0.002; if (b < 262144) b = 262144; printf "%.0f", b }'; }

# --- Measuring a net: round trip (ping) and bandwidth (iperf3), on idle links ------------------------
# in_space SPACE COMMAND...: COMMAND in the namespace SPACE, or here when SPACE is empty.
in_space() { local space=$1; shift; if [ -n "$space" ]; then ip netns exec "$space" "$@"; else "$@"; fi; }

# measure_net SERVER_SPACE CLIENT_SPACE ADDRESS DIR: ping and iperf3 from the client's namespace to
# ADDRESS in the server's; the figures as one JSON object in DIR/figures.json.
measure_net() {
  local server=$1 client=$2 address=$3 dir=$4 interval=0.2 port pid direction reverse
  if command -v ping >/dev/null 2>&1; then
    [ "$(id -u)" -ne 0 ] || interval=0.01   # below 0.2 s needs root
    in_space "$client" ping -c 50 -i "$interval" -q "$address" >"$dir/ping.txt" 2>&1 || true
  else
    echo "  no ping (Debian: apt-get install iputils-ping): round trip not measured" >&2
  fi
  if command -v iperf3 >/dev/null 2>&1; then
    port=$(free_port)
    for direction in up down; do   # up: worker to coordinator (gradients); down: -R (weights)
      start "$dir/iperf3-server-$direction.txt" "$server" iperf3 -s -1 -p "$port" -B "$address"; pid=$started
      sleep 1
      reverse=(); [ "$direction" = up ] || reverse=(-R)
      in_space "$client" iperf3 -c "$address" -p "$port" -t 3 -J "${reverse[@]}" >"$dir/iperf3-$direction.json" 2>&1 || true
      stop "$pid"; wait "$pid" 2>/dev/null || true
    done
  else
    echo "  no iperf3 (Debian: apt-get install iperf3): bandwidth not measured" >&2
  fi
  "$python" "$helper" net --ping "$dir/ping.txt" --up "$dir/iperf3-up.json" --down "$dir/iperf3-down.json" >"$dir/figures.json"
  echo "  $(cat "$dir/figures.json")" >&2
}

# --- One point: a coordinator and N workers ---------------------------------------------------------
failures=0
run_point() {   # run_point NET WORKERS TOPOLOGY_TEXT NETFILE
  local net=$1 n=$2 topo=$3 netfile=$4 dir host port cspace i wspace whost wpids=() code=0 t0 load0 load1
  dir=$out/points/$label_slug/${net//:/-}/w$n
  rm -rf "$dir"; mkdir -p "$dir"
  if [ "$net" = loopback ]; then
    host=127.0.0.1; port=$(free_port); cspace=
  else
    host=$coordinator_address; port=4053; cspace=$prefix-c
  fi
  local job=(coordinator --config "$coordinator_conf" --host "$host" --port "$port" --min-workers "$n"
             --threads "$coordinator_threads" --epochs "$epochs" --json --no-progress --metrics-every 1 --run-dir "$dir/run")
  [ -z "$batch" ] || job+=(--batch "$batch")
  [ -z "$data" ] || job+=(--data "$data")
  read -r load0 _ </proc/loadavg
  t0=$SECONDS
  echo "[$label] $net, $n worker(s): running (load $load0)…" >&2
  start "$dir/coordinator.log" "$cspace" "${bp[@]}" "${job[@]}"; local cpid=$started
  local spids=() sspace shost
  for i in $(seq $((servers - 1))); do
    if [ "$net" = loopback ]; then sspace=; shost=127.0.0.1; else sspace=$prefix-s$i; shost=$(server_address "$i"); fi
    start "$dir/server-$i.log" "$sspace" "${bp[@]}" server --join "$host:$port" --host "$shost" "${worker_args[@]}"
    spids+=("$started")
  done
  for i in $(seq "$n"); do
    if [ "$net" = loopback ]; then wspace=; whost=127.0.0.1; else wspace=$prefix-w$i; whost=$(worker_address "$i"); fi
    start "$dir/worker-$i.log" "$wspace" "${bp[@]}" worker --join "$host:$port" --host "$whost" --threads "$threads" "${worker_args[@]}"
    wpids+=("$started")
  done
  wait_exit "$cpid" "$point_timeout" || code=$?
  read -r load1 _ </proc/loadavg
  if [ "$code" -ne 0 ] || [ ! -f "$dir/run/summary.json" ]; then
    for i in "${wpids[@]}" "${spids[@]}"; do stop "$i"; wait "$i" 2>/dev/null || true; done
    if [ "$code" -eq 124 ]; then echo "  timed out after ${point_timeout}s" >&2; else echo "  the coordinator exited $code" >&2; fi
    tail -15 "$dir/coordinator.log" | sed 's/^/    /' >&2
    # 2 is a usage or configuration error (an unknown --set key, say): every point would fail alike.
    [ "$code" -ne 2 ] || { echo "scaling.sh: a configuration error; see $dir/coordinator.log and $coordinator_conf" >&2; exit 1; }
    failures=$((failures + 1))
    return
  fi
  # The workers leave once the job has ended.
  for i in "${wpids[@]}"; do wait_exit "$i" 60 || echo "  worker $i exited $? (log in $dir)" >&2; done
  for i in "${spids[@]}"; do wait_exit "$i" 60 || echo "  server $i exited $? (log in $dir)" >&2; done
  [ "$keep_runs" -eq 1 ] || rm -f "$dir/run/model.bpm" "$dir/run/checkpoint.bpk" "$dir/run"/*.tmp
  local ddp_fields=()
  if [ -n "$ddp" ] && [ "$net" = loopback ]; then
    run_ddp "$n" "$dir" && ddp_fields=(--merge "$dir/ddp.json")
  fi
  local settings_json worker_settings_json
  settings_json=$("$python" "$helper" json-list "${sets[@]}")
  worker_settings_json=$("$python" "$helper" json-list "${worker_sets[@]}")
  "$python" "$helper" point --run-dir "$dir/run" --warmup-epochs "$warmup_epochs" --merge "$netfile" "${ddp_fields[@]}" \
    --text label="$label" --text net="$net" --text topology="$topo" --field workers="$n" \
    --field threads_per_worker="$threads" --field coordinator_threads="$coordinator_threads" --field servers="$servers" \
    --text config="${config#"$root"/}" --field settings="$settings_json" --field worker_settings="$worker_settings_json" \
    --field cores="$(nproc)" --field load_before="$load0" --field load_after="$load1" \
    --field point_seconds=$((SECONDS - t0)) --text time="$(date -u +%FT%TZ)" --text version="$version" \
    --text point_dir="${dir#"$out"/}" >>"$out/results.jsonl"
  echo "  $(tail -1 "$out/results.jsonl" | "$python" "$helper" brief)" >&2
}

# run_ddp N DIR: the PyTorch DDP reference with N processes, the same layers and global batch.
run_ddp() {
  local n=$1 dir=$2 global lr momentum optimizer hidden per_process
  read -r global lr momentum optimizer hidden < <("$python" "$helper" ddp-args "$dir/run")
  per_process=$((global / n))
  [ $((per_process * n)) -eq "$global" ] || echo "  DDP: a global batch of $global does not split into $n; $per_process per process" >&2
  echo "  PyTorch DDP: $n process(es) x $threads thread(s), batch $per_process each, hidden $hidden, $ddp_epochs epochs…" >&2
  if (cd "$(dirname "$ddp")" && "$ddp_python" "$ddp" --procs "$n" --threads "$threads" --batch "$per_process" --hidden "$hidden" \
        --epochs "$ddp_epochs" --lr "$lr" --momentum "$momentum" --optimizer "$optimizer" --port "$(free_port)") >"$dir/ddp.log" 2>&1; then
    "$python" "$helper" ddp "$dir/ddp.log" >"$dir/ddp.json"
    echo "  DDP: $(cat "$dir/ddp.json")" >&2
  else
    echo "  DDP failed (log: $dir/ddp.log)" >&2; tail -5 "$dir/ddp.log" | sed 's/^/    /' >&2
    return 1
  fi
}

# --- The points -------------------------------------------------------------------------------------
echo "scaling.sh: $label; workers $workers_list; net $nets; $(basename "$config"), $epochs epochs (first $warmup_epochs warm-up); $version; results in $out" >&2
for net in "${net_list[@]}"; do
  netdir=$out/net/$label_slug/${net//:/-}
  mkdir -p "$netdir"
  echo "$net: measuring the round trip and the bandwidth…" >&2
  if [ "$net" = loopback ]; then
    topo=loopback
    measure_net "" "" 127.0.0.1 "$netdir"
  else
    rest=${net#tbf:}; rate=${rest%%:*}; burst=${rest#"$rate"}; burst=${burst#:}
    [ -n "$burst" ] || burst=$(default_burst "$rate")
    topo="$topology, tbf rate $rate burst $burst latency 50ms"
    net_up "$rate" "$burst" "$max_workers"
    measure_net "$prefix-c" "$prefix-w1" "$coordinator_address" "$netdir"
  fi
  for n in "${worker_counts[@]}"; do run_point "$net" "$n" "$topo" "$netdir/figures.json"; done
  [ "$net" = loopback ] || net_down
done

if [ -s "$out/results.jsonl" ]; then
  "$python" "$helper" table --out "$out" | tee "$out/table.md"
  echo "scaling.sh: rows in $out/results.jsonl and results.csv, the table in table.md" >&2
fi
[ "$failures" -eq 0 ] || { echo "scaling.sh: $failures point(s) failed" >&2; exit 1; }
