# Helpers for the scripts that run backprop as real processes on loopback (tests/recovery/measure.sh,
# tests/endurance/run.sh); sourced, not run. The caller sets `dll` (backprop.dll) and `work` (a
# folder for the logs); every process started is added to `pids`.
#
# Every output line of every process is stamped with the time it arrived, so that figures are
# differences of arrival times, not of polling moments.

pids=()
started=

stamp() { while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }

# start NAME ARGS...: runs backprop with every output line stamped into $work/NAME.log; its pid in $started
start() {
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

# free_port FROM: a port in [FROM, FROM + 6000) that nothing on loopback listens on. Keep FROM + 6000
# below 32768, Linux's ephemeral range, for a coordinator (see LoopbackPort.FreeBelowEphemeral).
free_port() {
  local port _
  for _ in $(seq 100); do
    port=$(($1 + RANDOM % 6000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "no free port from $1" >&2; exit 1
}
