#!/usr/bin/env bash
# One load run per setting, for A/B comparisons of runtime and function settings: starts the
# published function with the given environment (or the Node.js function when the label starts
# with "node", or bench/node/refuse-all.js, a server that only refuses, with "floor"), waits for
# /readyz, runs bench/LoadGenerator with the image bytes, and prints one line: req/s, latency
# percentiles (every answer and 2xx only), refusals, the server's CPU per 2xx answer and per
# answer, the load generator's CPU per answer (/usr/bin/time; the warm-up's CPU is included in
# all three, so compare them only between runs of one length), and the CPU time so far of the
# runtime's background JIT thread ("jit"; 0 once that thread has exited, which it does when idle).
# Everything is on 127.0.0.1, every wait is bounded, and the server's process group is stopped
# before it returns.
#
#   bench/settings.sh [-d PUBLISH_DIR] [-c CONNECTIONS] [-r RATE] [-k CLIENT] [-P SERVER/CLIENT]
#                     [-w WARMUP_S] [-s SECONDS] [-p PORT] [-i IMAGE] [-t CONTENT_TYPE]
#                     [-x COMMAND] LABEL [NAME=VALUE...]
#
# -r paces each connection at RATE requests a second at most (the load generator's --rate), so
# that a server that refuses faster is not sent more. -k socket sends with the load generator's
# raw socket client (--client socket), run with its socket completions inline on the epoll thread
# (its thread-pool workers never spin, whatever the client): it costs the shared cores far less than HttpClient.
# -P pins the server and the load generator to CPU lists of their own (taskset -c), e.g. -P 0/1:
# as if the client ran on another machine, at the cost of the server's other cores.
#
# The published function is started as the Procfile's web command, or as -x COMMAND (run by
# bash in the publish folder, e.g. -x 'exec dotnet ImageClassifier.dll' for an older publish).
#
#   bench/settings.sh pgo-on
#   bench/settings.sh pgo-off DOTNET_TieredPGO=0
#   bench/settings.sh -c 32 queue-2 REQUEST_QUEUE_LIMIT=2
#   bench/settings.sh node
#   bench/settings.sh -c 64 floor
#   bench/settings.sh -c 64 -r 50 paced
#   bench/settings.sh -c 64 -r 50 -k socket paced-socket
#   bench/settings.sh -c 64 -k socket -P 0/1 pinned
#   bench/settings.sh -i ../shared/images/coffee.png -t image/png png
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
publish=/tmp/ic-publish
connections=8
rate=0
client_kind=http
warmup=5
seconds=20
port=18090
image="$here/images/coffee-768x576.jpg"
content_type=image/jpeg
web_command=""
server_pin=()
client_pin=()

usage() { sed -n '2,34p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while getopts 'd:c:r:k:P:w:s:p:i:t:x:h' flag; do
  case "$flag" in
    d) publish="$OPTARG" ;;
    c) connections="$OPTARG" ;;
    r) rate="$OPTARG" ;;
    k) client_kind="$OPTARG" ;;
    P) [[ "$OPTARG" == */* ]] || usage
       server_pin=(taskset -c "${OPTARG%%/*}") client_pin=(taskset -c "${OPTARG#*/}") ;;
    w) warmup="$OPTARG" ;;
    s) seconds="$OPTARG" ;;
    p) port="$OPTARG" ;;
    i) image="$OPTARG" ;;
    t) content_type="$OPTARG" ;;
    x) web_command="$OPTARG" ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
(($# > 0)) || usage
label="$1"
shift
[[ -f "$image" ]] || { echo "settings: no image at $image" >&2; exit 2; }
image="$(cd "$(dirname "$image")" && pwd)/$(basename "$image")"

loadgen="$here/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll"
[[ -f "$loadgen" ]] || dotnet build "$here/LoadGenerator" -c Release --nologo -v q >/dev/null
if [[ "$label" == node* ]]; then
  dir="$here/node" command=(node "$here/node/server.js")
elif [[ "$label" == floor* ]]; then
  dir="$here/node" command=(node "$here/node/refuse-all.js")
else
  [[ -n "$web_command" ]] || web_command="$(sed -n 's/^web:[[:space:]]*//p' "$here/../Procfile")"
  dir="$publish" command=(bash -c "$web_command")
fi

log="$(mktemp)"
server=""
stop_server() {
  [[ -n "$server" ]] || return 0
  kill -TERM -- "-$server" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 -- "-$server" 2>/dev/null || break; sleep 0.05; done
  kill -KILL -- "-$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}
trap 'stop_server; rm -f "$log"' EXIT

status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }
[[ "$(status_of "http://127.0.0.1:$port/")" == 000 ]] || { echo "settings: something already answers on 127.0.0.1:$port" >&2; exit 2; }

(cd "$dir" && exec env PORT="$port" "$@" "${server_pin[@]}" setsid "${command[@]}") >"$log" 2>&1 &
server=$!
for _ in $(seq 600); do
  [[ "$(status_of "http://127.0.0.1:$port/readyz")" == 200 ]] && break
  kill -0 "$server" 2>/dev/null || { echo "settings: the server exited; its log:" >&2; tail -n 20 "$log" >&2; exit 1; }
  sleep 0.1
done
pid="$(pgrep -s "$server" -o || echo "$server")"

# utime + stime in clock ticks, of the process or of its thread named like $2 (comm may hold spaces).
ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0; }
jit_ticks() {
  local task
  for task in /proc/"$pid"/task/*; do
    [[ "$(cat "$task/comm" 2>/dev/null)" == ".NET Tiered Com"* ]] && { ticks "$pid/task/${task##*/}"; return; }
  done
  echo 0
}

before="$(ticks "$pid")"
client_cpu="$(mktemp)"
client_env=()
[[ "$client_kind" != socket ]] || client_env=(DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1)
result="$("${client_pin[@]}" env "${client_env[@]}" /usr/bin/time -f '%U %S' -o "$client_cpu" dotnet "$loadgen" --url "http://127.0.0.1:$port/" --body "$image" --content-type "$content_type" \
  --concurrency "$connections" --rate "$rate" --client "$client_kind" --duration "$seconds" --warmup "$warmup" | tail -n 1)" || [[ "$label" == floor* ]] # the load generator exits 1 when nothing was answered 2xx
after="$(ticks "$pid")"
jit="$(jit_ticks)"
client="$(tail -n 1 "$client_cpu")"
rm -f "$client_cpu"
node - "$label" "$((after - before))" "$jit" "$(getconf CLK_TCK)" "$result" "$client" <<'EOF'
const [label, cpuTicks, jitTicks, hz, json, client] = process.argv.slice(2);
const r = JSON.parse(json);
const cpuMs = (1000 * Number(cpuTicks)) / Number(hz);
console.log(`${label}: ${r.requestsPerSecond} req/s, p50 ${r.p50Ms} p90 ${r.p90Ms} p99 ${r.p99Ms} max ${r.maxMs} ms; ` +
  `2xx ${r.ok} (p50 ${r.okP50Ms}, p99 ${r.okP99Ms} ms), refused ${r.refused} (p50 ${r.refusedP50Ms}, p99 ${r.refusedP99Ms} ms); ` +
  `errors ${JSON.stringify(r.errors)}; ` +
  `CPU ${r.ok ? (cpuMs / r.ok).toFixed(1) : 'n/a'} ms per 2xx, ${(1000 * cpuMs / (r.ok + r.refused)).toFixed(0)} µs per answer; ` +
  `load generator CPU ${(1e6 * client.split(' ').reduce((sum, part) => sum + Number(part), 0) / (r.ok + r.refused)).toFixed(0)} µs per answer; jit ${(Number(jitTicks) / Number(hz)).toFixed(2)} s; ` +
  `load ${require('node:os').loadavg()[0].toFixed(2)}`);
EOF
