#!/usr/bin/env bash
# Cold start of several builds in one interleaved sequence (round 1: A, B, C, ...; round 2: A, B,
# C, ...), so a drift of the machine's speed touches every build alike; then, per build, the
# resident memory (VmRSS) once it is ready and after its first classification.
#
#   bench/startup-matrix.sh [-n ROUNDS] [-p PORT] NAME=DIR=COMMAND ...
#
# Each build is NAME=DIR=COMMAND: COMMAND is run by bash in DIR (environment assignments may
# lead it, e.g. 'DOTNET_gcServer=0 exec dotnet ImageClassifier.dll'). Cold start is
# bench/coldstart.sh -n 1 per round (launch to the first 200 for the image bytes). Prints one
# line per build: the runs, the median, the ratio to the first build, and the RSS figures; the last
# line is JSON. Traffic goes to 127.0.0.1 only; every wait is bounded.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rounds=5
port=18095
image="$here/images/coffee-768x576.jpg"
while getopts "n:p:" opt; do
  case "$opt" in
    n) rounds="$OPTARG" ;;
    p) port="$OPTARG" ;;
    *) sed -n '2,11p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
(($# > 0)) || { sed -n '2,11p' "${BASH_SOURCE[0]}" >&2; exit 2; }

names=() dirs=() commands=()
for spec in "$@"; do
  names+=("${spec%%=*}")
  rest="${spec#*=}"
  dirs+=("${rest%%=*}")
  commands+=("${rest#*=}")
done

declare -A runs
for round in $(seq "$rounds"); do
  for i in "${!names[@]}"; do
    out="$(cd "${dirs[$i]}" && "$here/coldstart.sh" -n 1 -p "$port" -i "$image" -- bash -c "${commands[$i]}" | tail -n 1)"
    ms="$(sed -E 's/.*"medianMs":([0-9.]+).*/\1/' <<<"$out")"
    runs[${names[$i]}]+="$ms "
    echo "round $round ${names[$i]}: $ms ms" >&2
  done
done

status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$@" || true; }
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# rss DIR COMMAND: "ready_kb classified_kb" of a fresh process (the exec'd command keeps the shell's pid).
rss() {
  local pid ready_kb classified_kb
  # Started from DIR itself, so that setsid and bash's exec leave the server with this pid.
  pushd "$1" >/dev/null
  PORT="$port" setsid bash -c "$2" >/dev/null 2>&1 &
  pid=$!
  popd >/dev/null
  for _ in $(seq 600); do
    [[ "$(status_of "http://127.0.0.1:$port/readyz")" == 200 ]] && break
    sleep 0.05
  done
  ready_kb="$(rss_kb "$pid")"
  status_of --data-binary "@$image" -H 'Content-Type: image/jpeg' "http://127.0.0.1:$port/" >/dev/null
  classified_kb="$(rss_kb "$pid")"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$ready_kb $classified_kb"
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds, interleaved"
first=""
json="["
for i in "${!names[@]}"; do
  name="${names[$i]}"
  m="$(median <<<"${runs[$name]}")"
  [[ -n "$first" ]] || first="$m"
  read -r ready_kb classified_kb < <(rss "${dirs[$i]}" "${commands[$i]}")
  printf '%-14s runs %-32s median %6s ms  %5.2fx the first  RSS ready %6.1f MB, after 1st classification %6.1f MB\n' \
    "$name" "${runs[$name]}" "$m" "$(awk -v a="$m" -v b="$first" 'BEGIN { print a / b }')" \
    "$(awk -v k="$ready_kb" 'BEGIN { print k / 1024 }')" "$(awk -v k="$classified_kb" 'BEGIN { print k / 1024 }')"
  json+="{\"name\":\"$name\",\"runsMs\":[$(tr ' ' ',' <<<"${runs[$name]% }")],\"medianMs\":$m,\"rssReadyKb\":$ready_kb,\"rssClassifiedKb\":$classified_kb},"
done
echo "${json%,}]"
