#!/usr/bin/env bash
# Cold start: time from launching a function's process to its first 200 for a POST of image
# bytes, polling every 10 ms, repeated N times. Prints each run, the median, and last a JSON
# line for scripts. Everything is on 127.0.0.1, every wait is bounded, and each launched
# process group is stopped before the next run.
#
#   bench/coldstart.sh [-n RUNS] [-p PORT] [-i IMAGE] [-t CONTENT_TYPE] [-l LIMIT_S] -- COMMAND [ARGS...]
#
#   bench/coldstart.sh -n 5 -- bash -c "cd /tmp/ic-publish && exec ./ImageClassifier"
#   bench/coldstart.sh -n 5 -- node bench/node/server.js
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runs=5
port=18080
image="$here/images/coffee-768x576.jpg"
content_type=image/jpeg
limit_s=60

usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while getopts 'n:p:i:t:l:h' flag; do
  case "$flag" in
    n) runs="$OPTARG" ;;
    p) port="$OPTARG" ;;
    i) image="$OPTARG" ;;
    t) content_type="$OPTARG" ;;
    l) limit_s="$OPTARG" ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[[ "${1:-}" == -- ]] && shift
(($# > 0)) || usage
[[ -f "$image" ]] || { echo "coldstart: no image at $image" >&2; exit 2; }

url="http://127.0.0.1:$port/"
pgid=""

status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }

stop_started() {
  [[ -n "$pgid" ]] || return 0
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
  wait "$pgid" 2>/dev/null || true
  pgid=""
}
trap stop_started EXIT
trap 'exit 130' INT TERM

if [[ "$(status_of "$url")" != 000 ]]; then
  echo "coldstart: something already answers on $url; pick another port with -p" >&2
  exit 2
fi

now_us() { local t="${EPOCHREALTIME/./}"; echo "$((10#$t))"; }

times=()
for run in $(seq "$runs"); do
  log="$(mktemp)"
  start="$(now_us)"
  PORT="$port" setsid "$@" >"$log" 2>&1 &
  pgid=$!
  deadline=$((start + limit_s * 1000000))
  elapsed=""
  while (($(now_us) < deadline)); do
    status="$(status_of --data-binary "@$image" -H "Content-Type: $content_type" "$url")"
    if [[ "$status" == 200 ]]; then
      elapsed=$((($(now_us) - start) / 1000))
      break
    fi
    # Not listening yet (000) or not ready (503, 429) is worth waiting for; anything else is not.
    [[ "$status" == 000 || "$status" == 503 || "$status" == 429 ]] || { echo "run $run: POST / answered $status" >&2; break; }
    kill -0 "$pgid" 2>/dev/null || break
    sleep 0.01
  done
  stop_started
  if [[ -z "$elapsed" ]]; then
    echo "run $run: no 200 (waited at most ${limit_s} s); its last output:" >&2
    tail -n 20 "$log" >&2
    rm -f "$log"
    echo '{"runsMs":[],"medianMs":null}'
    exit 1
  fi
  rm -f "$log"
  times+=("$elapsed")
  echo "run $run: ${elapsed} ms"
done

median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}')"
echo "median: ${median} ms over ${runs} runs"
printf '{"runsMs":[%s],"medianMs":%s}\n' "$(IFS=,; echo "${times[*]}")" "$median"
