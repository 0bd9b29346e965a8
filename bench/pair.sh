#!/usr/bin/env bash
# Two publishes of the C# function side by side, to measure a change: both servers run at once on
# 127.0.0.1 (ports 18501 and 18502, swapped every run), each under its own bench/LoadGenerator at
# the same concurrency, so that whatever else the machine does falls on both alike. Per run and
# per server: req/s, p50 and p99 latency, CPU time a request (utime + stime of the server over
# the measured run, divided by its 2xx answers) and peak RSS; then B's CPU a request as a share of
# A's, and the mean of those shares.
#
#   bench/pair.sh [--runs N] [--duration S] [--concurrency C] [--client http|socket] [--alone]
#                 [--env-a NAME=VALUE]... [--env-b NAME=VALUE]... IMAGE PUBLISH_A PUBLISH_B
#
# --alone: each server alone instead, A then B (B first in even runs), each with the whole machine
# and its own load: steadier for a change of a few per cent on a small image, where two servers at
# once share the cores unevenly.
#
# Each publish is started as the Procfile's web command in its folder, with its --env-a or --env-b
# settings (the same publish twice then measures a setting); MODEL_SOURCE_DIR, if set, is passed
# on. A 3 s load before each measured run is not counted.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
runs=6
duration=15
concurrency=2
client=socket
alone=0
env_a=() env_b=()
usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($# > 0)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --client) client="$2"; shift 2 ;;
    --alone) alone=1; shift ;;
    --env-a) env_a+=("$2"); shift 2 ;;
    --env-b) env_b+=("$2"); shift 2 ;;
    --*) usage ;;
    *) break ;;
  esac
done
(($# == 3)) || usage
image="$1" publish_a="$2" publish_b="$3"
web_command="$(sed -n 's/^web:[[:space:]]*//p' "$repo/Procfile")"
dotnet build "$here/LoadGenerator" -c Release --nologo -v q >/dev/null
# The load generator as compare.sh runs it: socket completions inline on its epoll thread.
loadgen=(env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$here/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll" --client "$client"
  --body "$image" --content-type image/jpeg --concurrency "$concurrency" --warmup 0)
work="$(mktemp -d)"
servers=()

stop_all() {
  for pid in "${servers[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do
    for _ in $(seq 100); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  servers=()
}
trap 'stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# start DIR PORT [NAME=VALUE...]: a server in a process group of its own; prints its pid once
# /readyz answers 200.
start() {
  local dir="$1" port="$2" pid
  shift 2
  pushd "$dir" >/dev/null
  env "$@" PORT="$port" setsid bash -c "$web_command" >"$work/server-$port.log" 2>&1 &
  pid=$!
  popd >/dev/null
  for _ in $(seq 600); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/readyz" || true)" == 200 ]]; then
      echo "$pid"
      return 0
    fi
    sleep 0.1
  done
  echo "pair: the server in $dir did not get ready on port $port; its log:" >&2
  tail -n 20 "$work/server-$port.log" >&2
  return 1
}

# The server's process: bash exec's the web command, so the group's leader is the server itself.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
peak_kb() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$1/status"; }

shares=()
for run in $(seq "$runs"); do
  if ((run % 2)); then port_a=18501 port_b=18502; else port_a=18502 port_b=18501; fi
  if ((alone)); then
    # measure_alone PUBLISH PORT OUT ENV...: one server alone, warmed, measured, stopped; its CPU
    # ticks and peak RSS in $ticks_NAME and $peak_NAME.
    measure_alone() {
      local dir="$1" port="$2" out="$3" pid t0
      shift 3
      pid="$(start "$dir" "$port" "$@")"; servers+=("$pid")
      "${loadgen[@]}" --url "http://127.0.0.1:$port/" --duration 3 >/dev/null
      t0="$(cpu_ticks "$pid")"
      "${loadgen[@]}" --url "http://127.0.0.1:$port/" --duration "$duration" | tail -n 1 >"$work/$out.json"
      printf '%s %s\n' "$(($(cpu_ticks "$pid") - t0))" "$(peak_kb "$pid")" >"$work/$out.cpu"
      stop_all
    }
    if ((run % 2)); then
      measure_alone "$publish_a" "$port_a" a "${env_a[@]}"; measure_alone "$publish_b" "$port_b" b "${env_b[@]}"
    else
      measure_alone "$publish_b" "$port_b" b "${env_b[@]}"; measure_alone "$publish_a" "$port_a" a "${env_a[@]}"
    fi
    read -r ticks_a peak_a <"$work/a.cpu"
    read -r ticks_b peak_b <"$work/b.cpu"
  else
    pid_a="$(start "$publish_a" "$port_a" "${env_a[@]}")"; servers+=("$pid_a")
    pid_b="$(start "$publish_b" "$port_b" "${env_b[@]}")"; servers+=("$pid_b")
    "${loadgen[@]}" --url "http://127.0.0.1:$port_a/" --duration 3 >/dev/null &
    "${loadgen[@]}" --url "http://127.0.0.1:$port_b/" --duration 3 >/dev/null &
    wait
    a0="$(cpu_ticks "$pid_a")" b0="$(cpu_ticks "$pid_b")"
    "${loadgen[@]}" --url "http://127.0.0.1:$port_a/" --duration "$duration" | tail -n 1 >"$work/a.json" &
    "${loadgen[@]}" --url "http://127.0.0.1:$port_b/" --duration "$duration" | tail -n 1 >"$work/b.json" &
    wait
    ticks_a="$(($(cpu_ticks "$pid_a") - a0))" ticks_b="$(($(cpu_ticks "$pid_b") - b0))"
    peak_a="$(peak_kb "$pid_a")" peak_b="$(peak_kb "$pid_b")"
  fi
  line="$(node - "$work" "$ticks_a" "$ticks_b" "$peak_a" "$peak_b" "$(getconf CLK_TCK)" <<'EOF'
const fs = require('node:fs');
const [work, ticksA, ticksB, peakA, peakB, hz] = process.argv.slice(2);
const a = JSON.parse(fs.readFileSync(`${work}/a.json`, 'utf8')), b = JSON.parse(fs.readFileSync(`${work}/b.json`, 'utf8'));
const cpu = (ticks, r) => (1000 * ticks) / hz / r.ok;
const side = (r, ticks, peak) => `${r.requestsPerSecond.toFixed(2)} req/s, p50 ${r.p50Ms.toFixed(0)} p99 ${r.p99Ms.toFixed(0)} ms, ${cpu(ticks, r).toFixed(2)} CPU ms/req, peak RSS ${(peak / 1024).toFixed(0)} MB`;
console.log(`${(cpu(ticksB, b) / cpu(ticksA, a)).toFixed(3)} A: ${side(a, ticksA, peakA)} | B: ${side(b, ticksB, peakB)}`);
EOF
)"
  shares+=("${line%% *}")
  echo "run $run  ${line#* }  | B / A CPU ${line%% *}"
  stop_all
done
echo "B / A CPU a request, mean of $runs runs: $(printf '%s\n' "${shares[@]}" | awk '{ s += $1 } END { printf "%.3f", s / NR }')" \
  "(each: ${shares[*]}); $(basename "$image"), $concurrency connections each, ${duration} s a run$( ((alone)) && echo ', each server alone')"
