#!/usr/bin/env bash
# Endurance with churn: a coordinator and three workers as real processes on loopback for many steps
# (20,000 by default) while a worker is killed (SIGKILL) and a replacement started every few hundred
# steps, and once a worker is hung (SIGSTOP) for a while and then let go (SIGCONT). Then the same job
# without churn, as the baseline. Checks, and exits 1 if any fails:
#   - the job completes every step, and every step is counted once: full + short-handed = steps;
#   - the churn is felt (steps closed short-handed) and the hung worker rejoins by itself;
#   - the resident memory (VmRSS, sampled every second) stays flat: for the coordinator and the one
#     worker never touched, the median of the last quarter of samples is within a bound of the first
#     quarter's, counting from the end of the first epoch (before it, the processes start and wait
#     for each other); no other worker grows beyond the untouched one's level by more than the bound;
#   - the final model's test accuracy is at most a couple of points below the baseline's.
#
#   tests/endurance/run.sh [--steps N] [--dll PATH] [--kill-every STEPS] [--pause SECONDS]
#                          [--pause-at STEP] [--max-growth PERCENT] [--max-accuracy-drop POINTS]
#                          [--baseline cluster|local|ACCURACY] [--out DIR] [--rss-every SECONDS]
#
# The baseline is by default the same job on a cluster without churn; "local" trains it in one process
# instead (seconds rather than a minute: the cluster computes the same thing, up to float rounding,
# as ClusterEquivalenceTests shows); a number is a churn-free run's accuracy. --out keeps every log, the RSS
# samples (rss.csv) and both summaries; without it they are kept only when a check fails.
set -euo pipefail
here=$(dirname "$0")
source "$here/../lib/processes.sh"

steps=20000 dll=src/Backprop.Cli/bin/Release/net10.0/backprop.dll kill_every=300 pause_seconds=10 pause_at=
max_growth=15 max_accuracy_drop=2 baseline=cluster out= rss_every=1 stall_limit=120
while [ $# -gt 0 ]; do
  case $1 in
    --steps) steps=$2 ;;
    --dll) dll=$2 ;;
    --kill-every) kill_every=$2 ;;
    --pause) pause_seconds=$2 ;;
    --pause-at) pause_at=$2 ;;
    --max-growth) max_growth=$2 ;;
    --max-accuracy-drop) max_accuracy_drop=$2 ;;
    --baseline) baseline=$2 ;;
    --out) out=$2 ;;
    --rss-every) rss_every=$2 ;;
    *) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
  shift 2
done
[ -f "$dll" ] || { echo "build first: dotnet build src/Backprop.Cli -c Release" >&2; exit 2; }

# builtin:fashion-mnist-small has 4,000 training samples: batch 32 makes 125 steps an epoch, and the
# job runs whole epochs.
per_epoch=125
epochs=$(( (steps + per_epoch - 1) / per_epoch ))
steps=$((epochs * per_epoch))
pause_at=${pause_at:-$((steps / 3))}

root=${out:-$(mktemp -d)}
mkdir -p "$root"
failed=0 calm= calm_wall=
sampler=
cleanup() {   # (errexit holds here too: a kill of a process that has exited must not fail the run)
  [ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true
  kill -CONT "${pids[@]}" 2>/dev/null || true; kill -9 "${pids[@]}" 2>/dev/null || true
  if [ -z "$out" ] && [ "$failed" -eq 0 ]; then rm -rf "$root"; else echo "logs, summaries and rss.csv in $root"; fi
}
trap cleanup EXIT

check() {   # check DESCRIPTION CONDITION: evaluates the condition (a bash test), prints the verdict, counts a failure
  if eval "$2"; then echo "  ok      $1"; else echo "  FAILED  $1"; failed=$((failed + 1)); fi
}

step_now() {   # the steps done, as of the coordinator's last epoch line
  local epoch
  epoch=$(grep -o 'epoch [0-9]*/' "$work/coordinator.log" 2>/dev/null | tail -1 | tr -dc 0-9)
  echo $(( ${epoch:-0} * per_epoch ))
}

summary() {   # summary LOG: the JSON summary a process ended its output with; none if it failed
  # Its lines reach the log through the stamping pipe, which may still be writing when it has exited.
  local deadline=$((SECONDS + 10))
  until grep -q '{"completed"' "$1" 2>/dev/null || [ $SECONDS -ge $deadline ]; do sleep 0.1; done
  grep -o '{"completed".*' "$1" | tail -1 || true
}
field() { grep -o "\"$2\":[^,}]*" <<<"$1" | head -1 | cut -d: -f2 || true; }   # field SUMMARY KEY: a number or true/false
reasons() { grep -o '"rejected_by_reason":{[^}]*}' <<<"$1" | cut -d: -f2- | tr -d '{}"' | sed 's/:/ /g; s/,/, /g'; }

launch() {   # launch NAME ARGS...: start, and register the process for the RSS samples
  start "$@"
  echo "$1 $started" >>"$work/processes"
}

sample_rss() {   # every $rss_every s, one row per live registered process: seconds,step,process,pid,rss_kb
  local t0=${EPOCHREALTIME/./} name pid key value at step
  echo "seconds,step,process,pid,rss_kb" >"$root/rss.csv"
  while :; do
    at=$((${EPOCHREALTIME/./} - t0)) step=$(step_now)
    while read -r name pid; do
      # Read with builtins: a process per process per sample would slow the sampling on a busy machine.
      while read -r key value _; do
        [ "$key" != VmRSS: ] || { printf '%d.%d,%s,%s,%s,%s\n' $((at / 1000000)) $((at / 100000 % 10)) "$step" "$name" "$pid" "$value"; break; }
      done 2>/dev/null <"/proc/$pid/status" || true   # gone once it has died
    done <"$work/processes" >>"$root/rss.csv"
    sleep "$rss_every"
  done
}

begin_job() {   # begin_job LABEL PORT: a coordinator waiting for 3 workers, its logs under $root/LABEL
  work=$root/$1
  mkdir -p "$work"; : >"$work/processes"
  coordinator_job=(coordinator --host 127.0.0.1 --port "$2" --min-workers 3 --config "$here/endurance.conf"
                   --data builtin:fashion-mnist-small --epochs "$epochs" --batch 32 --threads 1
                   --json --no-progress --run-dir "$work/run")
  worker_job=(worker --join "127.0.0.1:$2" --host 127.0.0.1 --threads 1)
  launch coordinator "${coordinator_job[@]}"; coordinator=$started
}

wait_for_end() {   # the coordinator's exit; then the workers in the job must exit within 10 s
  while kill -0 "$coordinator" 2>/dev/null; do sleep 0.5; done
  ended=$EPOCHREALTIME unreleased=() stragglers=0
  local deadline=$((SECONDS + 10)) name pid
  while read -r name pid; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null || continue
    kill -9 "$pid" 2>/dev/null || true
    # A worker that was in the job is told it is over and exits. One still joining (a replacement,
    # or the hung worker coming back) waits for a coordinator that is gone, until join-timeout.
    if in_job "$name"; then unreleased+=("$name"); else stragglers=$((stragglers + 1)); fi
  done <"$work/processes"
}

in_steps() {   # in_steps NAME [TIMES]: whether the worker has taken its first step (as a member for the TIMES-th time)
  local times
  times=$(grep -c 'first step' "$work/$1.log" 2>/dev/null || true)
  [ "${times:-0}" -ge "${2:-1}" ]
}

in_job() {   # in_job NAME: whether the worker was in the steps (the hung one: once it had rejoined)
  if [ "$1" = "${paused_name:-}" ]; then in_steps "$1" 2; else in_steps "$1"; fi
}

# --- The run with churn. Worker "steady" is never touched, so one worker's memory is seen over the
# whole run; the two other places are taken in turn by the workers that are killed and replaced.
port=$(free_port 20000)
begin_job churn "$port"
churn_work=$work
sample_rss & sampler=$!
launch steady "${worker_job[@]}"
rotating_name=() rotating_pid=() started_workers=0
replace() {   # replace SLOT: a new worker in that place
  started_workers=$((started_workers + 1))
  rotating_name[$1]="worker-$started_workers"
  launch "${rotating_name[$1]}" "${worker_job[@]}"; rotating_pid[$1]=$started
}
hung=-1   # the place of the hung worker, from SIGSTOP until it is back in the steps
joining() {   # whether a replacement has yet to take its first step
  local slot
  for slot in 0 1; do
    [ "$slot" -ne "$hung" ] && ! in_steps "${rotating_name[$slot]}" && return 0
  done
  return 1
}
replace 0; replace 1
t_start=$(first coordinator 'starting with 3 worker' 0)

kills=0 next_kill=$kill_every turn=0 resume_at= rejoined=no paused_name= stalled=
last_step=0 moved_at=$SECONDS
while kill -0 "$coordinator" 2>/dev/null; do
  now=$(step_now)

  # A job that stops moving would keep this loop going for ever: give up on it after $stall_limit s.
  [ "$now" -eq "$last_step" ] || { last_step=$now; moved_at=$SECONDS; }
  if [ $((SECONDS - moved_at)) -ge "$stall_limit" ]; then
    stalled="no epoch ended for $stall_limit s, at step ~$now"; echo "$stalled: stopping the job"
    kill -9 "$coordinator" || true
    break
  fi

  # Once, a worker hung: SIGSTOP, and SIGCONT $pause_seconds later. It is dropped meanwhile and must
  # rejoin as a new member by itself; it is not killed before it has.
  if [ -z "$paused_name" ] && [ "$now" -ge "$pause_at" ]; then
    for slot in "$turn" $((1 - turn)); do
      if in_steps "${rotating_name[$slot]}"; then
        hung=$slot paused_name=${rotating_name[$slot]} resume_at=$((SECONDS + pause_seconds))
        kill -STOP "${rotating_pid[$slot]}" || true
        echo "step ~$now: $paused_name hung (SIGSTOP) for $pause_seconds s"
        break
      fi
    done
  fi
  if [ -n "$resume_at" ] && [ $SECONDS -ge "$resume_at" ]; then
    kill -CONT "${rotating_pid[$hung]}" || true; resume_at=
  fi
  if [ "$hung" -ge 0 ] && [ -z "$resume_at" ] && in_steps "$paused_name" 2; then
    rejoined=yes hung=-1
    echo "step ~$now: $paused_name rejoined as a new member"
  fi

  # Every $kill_every steps, once the last replacement is in the steps, the older of the two others
  # killed outright at a random moment of the epoch (so mostly mid-step), and a replacement started.
  # Waiting for the replacement keeps three workers in the job most of the time: kills faster than
  # joins would leave "steady" alone.
  if [ "$now" -ge "$next_kill" ] && ! joining; then
    victim=$turn
    [ "$victim" -ne "$hung" ] || victim=$((1 - turn))
    sleep "0.$((RANDOM % 10))"
    kill -0 "$coordinator" 2>/dev/null || break
    kill -9 "${rotating_pid[$victim]}" || true; kills=$((kills + 1))
    echo "step ~$now: ${rotating_name[$victim]} killed (SIGKILL)"
    replace "$victim"
    next_kill=$((now + kill_every)) turn=$((1 - victim))
  fi
  sleep 0.2
done
[ -z "$resume_at" ] || kill -CONT "${rotating_pid[$hung]}" || true   # the job ended during the pause
wait_for_end
churn_wall=$(awk -v a="$t_start" -v b="$ended" 'BEGIN { printf "%.0f", b - a }')
churn_unreleased=("${unreleased[@]}") churn_stragglers=$stragglers
kill "$sampler" 2>/dev/null || true; sampler=
churn=$(summary "$churn_work/coordinator.log")
if [ -z "$churn" ]; then
  echo "the coordinator ended without a summary; its last lines:"; grep -v '^\S* \s*at ' "$churn_work/coordinator.log" | tail -15
fi

# --- The same job without churn.
if [ "$baseline" = local ]; then
  work=$root/baseline; mkdir -p "$work"
  start baseline train --config "$here/endurance.conf" --data builtin:fashion-mnist-small --epochs "$epochs" --batch 32 \
    --threads 1 --json --no-progress --run-dir "$work/run"
  while kill -0 "$started" 2>/dev/null; do sleep 0.2; done
  calm=$(summary "$work/baseline.log")
  baseline=$(field "$calm" test_accuracy)
  echo "$calm" >"$root/baseline-summary.json"
  calm= calm_kind="local training"   # not a cluster run: no steps to account for
elif [ "$baseline" = cluster ]; then
  port=$(free_port 20000)
  begin_job baseline "$port"
  for n in 1 2 3; do launch "calm-$n" "${worker_job[@]}"; done
  t_start=$(first coordinator 'starting with 3 worker' 0)
  wait_for_end
  calm_wall=$(awk -v a="$t_start" -v b="$ended" 'BEGIN { printf "%.0f", b - a }')
  calm=$(summary "$work/coordinator.log")
  baseline=$(field "$calm" test_accuracy)
  echo "$calm" >"$root/baseline-summary.json"
fi
echo "$churn" >"$root/churn-summary.json"

# --- The report.
total=$(field "$churn" steps) full=$(field "$churn" full_steps) short=$(field "$churn" short_handed_steps)
total=${total:-0} full=${full:-0} short=${short:-0}   # none without a summary (a job that was stopped)
rejected=$(field "$churn" rejected_gradients)
echo
echo "endurance: $steps steps ($epochs epochs of $per_epoch), wall $churn_wall s with churn${calm:+, $calm_wall s without}"
echo "machine:   $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min): the walls depend on it"
echo "steps:     $total = $full full + $short short-handed"
applied=$(field "$churn" applied_gradients)
echo "gradients: $applied applied ($(awk -v a="${applied:-0}" -v s="$total" 'BEGIN { printf "%.2f", s ? a / s : 0 }') a step)," \
  "$(field "$churn" missing_gradients) missing (their worker gone or hung mid-step);" \
  "$rejected rejected$([ "${rejected:-0}" -eq 0 ] || echo " ($(reasons "$churn"))")"
echo "churn:     $kills workers killed (SIGKILL) and replaced, at least $kill_every steps apart;" \
  "${paused_name:-none} hung $pause_seconds s, rejoined: $rejoined"
echo "end:       workers in the job not released when it ended: ${churn_unreleased[*]:-none};" \
  "still joining, stopped: $churn_stragglers"
echo "memory (VmRSS, MB, every $rss_every s from the first epoch's end; median of each process's first vs last quarter):"
# The coordinator and "steady" live through the whole run: each is judged on its own trend. The
# others (killed in turn, the hung one) live too briefly for a trend: none may grow beyond steady's
# level by more than the same bound.
judged=$(awk -F, -v limit="$max_growth" '
  NR > 1 && $2 > 0 { n[$3]++; kb[$3, n[$3]] = $5; if ($3 != "coordinator" && $3 != "steady") { others[$3]; if ($5 > peak) peak = $5 } }
  function median(p, from, to,   m, i, j, t, a) {
    m = 0; for (i = from; i <= to; i++) a[++m] = kb[p, i]
    for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
  }
  END {
    split("coordinator steady", whole, " ")
    for (w = 1; w <= 2; w++) {
      p = whole[w]; c = n[p]; q = int(c / 4)
      if (q < 1) { printf "  %-13s too few samples (%d)\n", p, c; bad++; continue }
      a = median(p, 1, q) / 1024; b = median(p, c - q + 1, c) / 1024; growth = (b - a) / a * 100
      printf "  %-13s %6.0f -> %6.0f  %+5.1f %%  (%d samples)%s\n", p, a, b, growth, c, growth < limit ? "" : "  over " limit " %"
      if (growth >= limit) bad++
      if (p == "steady") level = b
    }
    for (p in others) count++
    if (!level) { printf "  %d other workers (killed in turn, hung): at most %.0f MB\n", count, peak / 1024; exit 1 }
    above = (peak / 1024 - level) / level * 100
    printf "  %d other workers (killed in turn, hung): at most %.0f MB, %+.1f %% from steady'"'"'s %.0f MB%s\n", count, peak / 1024, above, level, above < limit ? "" : "  over " limit " %"
    if (above >= limit) bad++
    exit bad > 0
  }' "$root/rss.csv") && grown=0 || grown=1
echo "$judged"
acc=$(field "$churn" test_accuracy)
drop=$(awk -v a="$acc" -v b="$baseline" 'BEGIN { printf "%.1f", (b - a) * 100 }')
echo "accuracy:  $acc with churn, $baseline without ($([ -n "$calm" ] && echo "the cluster run" || echo "${calm_kind:-given}"); drop $drop points)"
echo "checks:"
check "the job kept moving${stalled:+ ($stalled)}" '[ -z "$stalled" ]'
check "the job completed all $steps steps" '[ "$(field "$churn" completed)" = true ] && [ "$total" -eq "$steps" ]'
check "every step counted once: $full full + $short short-handed = $total" '[ $((full + short)) -eq "$total" ]'
check "the churn was felt: $short steps short-handed after $kills kills" '[ "$kills" -eq 0 ] || [ "$short" -ge 1 ]'
check "the hung worker rejoined as a new member by itself" '[ "$pause_at" -ge "$steps" ] || [ "$rejoined" = yes ]'
check "every worker in the job at its end was released and exited" '[ ${#churn_unreleased[@]} -eq 0 ]'
check "memory flat: the coordinator and steady within $max_growth % growth, the other workers within $max_growth % of steady" '[ "$grown" -eq 0 ]'
check "accuracy at most $max_accuracy_drop points below the churn-free run" '[ -n "$acc" ] && [ -n "$baseline" ] && awk -v d="$drop" -v limit="$max_accuracy_drop" "BEGIN { exit !(d <= limit) }"'
if [ -n "$calm" ]; then
  check "without churn: all $steps steps full, $(field "$calm" applied_gradients) gradients applied (3 per step)" \
    '[ "$(field "$calm" full_steps)" -eq "$steps" ] && [ "$(field "$calm" applied_gradients)" -eq $((3 * steps)) ]'
fi
[ "$failed" -eq 0 ] || { echo "$failed check(s) failed"; exit 1; }
