#!/usr/bin/env bash
# Side by side: the C# function and the Node.js measuring stick (bench/node), one at a time on
# 127.0.0.1, with the same image bytes and the same load. For each: cold-start runs
# (bench/coldstart.sh), then one server, a sanity POST, and bench/LoadGenerator; then a table
# with ratios. Every wait is bounded, after --limit seconds a watchdog stops the script at the
# end of the step in progress, and every process it started is stopped on the way out.
#
#   bench/compare.sh [--publish DIR] [--runs N] [--concurrency C] [--duration S] [--warmup S]
#                    [--with-url] [--overload C] [--memory-requests N] [--limit S] [--command CMD]
#                    [--client http|socket]
#   bench/compare.sh --photos [--floor-runs N] [--rounds N] [--publish DIR] [--concurrency C] [--duration S] [--warmup S] ...
#
# The C# function is started as the Procfile's web command in the publish folder, or as --command
# CMD (run by bash there, e.g. --command 'exec dotnet ImageClassifier.dll' for an older publish).
# Without --publish it publishes function/ to /tmp/ic-publish first (MODEL_SOURCE_DIR defaults to
# ../shared/models). --with-url adds a second load run in which each request is {"url": ...}
# naming the same JPEG, served on 127.0.0.1 by the load generator. Then an overload run at
# --overload connections (default 4 x C): p99 of the 2xx answers against the normal run's p99,
# the share refused with 503/429 and Retry-After, and timeouts. Last, for the C# function only,
# memory on a fresh server: RSS (VmRSS) after about 1,000 requests and after about
# --memory-requests (default 20000), and the peak (VmHWM); 0 skips it.
#
# --photos: the photo set of bench/photos.sh instead (a 13.5 MP progressive JPEG, a 12 MP and a
# 1080p baseline JPEG, the 768x576 image), image by image: first the image's decode floor
# (bench/DecodeFloor, --floor-runs runs, default 20, with nothing else of this script running, its
# C heap given huge pages as the Procfile gives the function's), then the C# function and the
# Node.js one, each a fresh server: a sanity POST,
# --warmup seconds of load, then --duration seconds with its CPU time and peak RSS read. No cold
# starts, overload or memory runs. One table: req/s and p99 of both and their ratio, CPU per
# request, the C# throughput as a share of the floor's (nproc / floor ms), and the floor's CPU
# time as a share of the C# CPU time a request. The Node.js function's MODEL_PATH is set from
# MODEL_SOURCE_DIR (default ../shared/models). --rounds N (default 1) measures every image N times,
# the two servers taking turns to go first, so that a busy spell falls on both alike, and the floor
# measured again each time; the table then gives each figure's median over the rounds (each ratio
# taken within its round) and each round's C# / Node req/s ratio.
#
# --client: the load generator's client for every run, http (default: one HttpClient, as a .NET
# caller sends) or socket (a raw keep-alive socket, far cheaper an answer). On 2 cores the client
# shares the servers' cores; socket leaves them more of their own, alike for both servers.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
publish=""
runs=5
concurrency=8
duration=20
warmup=5
with_url=0
overload=""
memory_requests=20000
limit_s=1800
cs_port=18080
node_port=18081
serve_port=18082
image="$here/images/coffee-768x576.jpg"
web_command=""
photos=0
client=http
floor_runs=20
rounds=1

usage() { sed -n '2,37p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($# > 0)); do
  case "$1" in
    --publish) publish="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --with-url) with_url=1; shift ;;
    --overload) overload="$2"; shift 2 ;;
    --memory-requests) memory_requests="$2"; shift 2 ;;
    --limit) limit_s="$2"; shift 2 ;;
    --command) web_command="$2"; shift 2 ;;
    --photos) photos=1; shift ;;
    --floor-runs) floor_runs="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --client) client="$2"; shift 2 ;;
    *) usage ;;
  esac
done

overload="${overload:-$((4 * concurrency))}"
work="$(mktemp -d)"
server=""
watchdog=""

stop_server() {
  [[ -n "$server" ]] || return 0
  kill -TERM -- "-$server" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 -- "-$server" 2>/dev/null || break; sleep 0.05; done
  kill -KILL -- "-$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}
cleanup() {
  stop_server
  [[ -z "$watchdog" ]] || kill -- "-$watchdog" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The watchdog only signals this script; the EXIT trap then stops what the script started.
# shellcheck disable=SC2016 # the inner script expands its own arguments
setsid bash -c 'sleep "$1" && echo "compare: still running after $1 s, stopping" >&2 && kill -TERM "$2"' _ "$limit_s" $$ &
watchdog=$!

status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$@" || true; }

echo "== build"
if [[ -z "$publish" ]]; then
  publish=/tmp/ic-publish
  (cd "$repo" && MODEL_SOURCE_DIR="${MODEL_SOURCE_DIR:-../shared/models}" \
    dotnet publish function -c Release -o "$publish" --nologo -v q)
fi
[[ -f "$publish/ImageClassifier.dll" || -x "$publish/ImageClassifier" ]] || { echo "compare: no ImageClassifier in $publish" >&2; exit 2; }
[[ -n "$web_command" ]] || web_command="$(sed -n 's/^web:[[:space:]]*//p' "$repo/Procfile")"
[[ -d "$here/node/node_modules" ]] || (cd "$here/node" && npm ci --no-audit --no-fund)
dotnet build "$here/LoadGenerator" -c Release --nologo -v q
# Socket completions inline on the load generator's epoll thread: it shares the cores with the
# server under test, and costs them a third less CPU so (bench/README.md, "The load generator's spinning").
loadgen=(env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$here/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll" --client "$client")

for port in "$cs_port" "$node_port" "$serve_port"; do
  if [[ "$(status_of "http://127.0.0.1:$port/")" != 000 ]]; then
    echo "compare: something already answers on 127.0.0.1:$port" >&2
    exit 2
  fi
done

# Loopback image URLs are private addresses: let the C# function fetch them (local testing only).
export FETCH_ALLOW_PRIVATE_NETWORKS=true

# start_server LOG PORT DIR COMMAND...: one server in a process group of its own ($server), its
# output in $work/LOG.log; succeeds once /readyz answers 200, fails if it exits or takes a minute.
start_server() {
  local log="$1" port="$2" dir="$3"
  shift 3
  pushd "$dir" >/dev/null
  PORT="$port" setsid "$@" >"$work/$log.log" 2>&1 &
  server=$!
  popd >/dev/null
  for _ in $(seq 600); do
    [[ "$(status_of "http://127.0.0.1:$port/readyz")" == 200 ]] && return 0
    kill -0 "$server" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_measurable WHAT IMAGE LOG PORT DIR COMMAND...: start_server, then one POST of IMAGE;
# fails, with the log's tail and the server stopped, unless the server got ready and answered 200.
start_measurable() {
  local what="$1" image="$2" log="$3" port="$4"
  shift 2
  local ready="" sanity
  start_server "$@" && ready=1
  sanity="$(status_of --data-binary "@$image" -H 'Content-Type: image/jpeg' "http://127.0.0.1:$port/")"
  if [[ -z "$ready" || "$sanity" != 200 ]]; then
    echo "$what is not measurable: ready=${ready:-no}, POST / answered $sanity; its log:" >&2
    tail -n 20 "$work/$log.log" >&2
    stop_server
    return 1
  fi
}

# measure NAME PORT DIR COMMAND...: cold starts, then load, results in $work/NAME-*.json.
measure() {
  local name="$1" port="$2" dir="$3"
  shift 3
  echo "== $name: cold start, $runs runs"
  (cd "$dir" && "$here/coldstart.sh" -n "$runs" -p "$port" -i "$image" -- "$@") | tee "$work/$name-cold.out" || true
  tail -n 1 "$work/$name-cold.out" >"$work/$name-cold.json"

  echo "== $name: load"
  start_measurable "$name" "$image" "$name-server" "$port" "$dir" "$@" || return 0
  "${loadgen[@]}" --url "http://127.0.0.1:$port/" --body "$image" --content-type image/jpeg \
    --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" | tee "$work/$name-load.out" || true
  tail -n 1 "$work/$name-load.out" >"$work/$name-load.json"
  if ((with_url)); then
    "${loadgen[@]}" --url "http://127.0.0.1:$port/" --json-url "http://127.0.0.1:$serve_port/$(basename "$image")" \
      --serve "$(dirname "$image")" --serve-port "$serve_port" \
      --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" | tee "$work/$name-url.out" || true
    tail -n 1 "$work/$name-url.out" >"$work/$name-url.json"
  fi
  # CPU time per request: what a serverless platform bills, and far less sensitive than req/s
  # to other work on the machine. Counted over a run without warm-up (requests in flight at its
  # end are served but not counted, so the figure is slightly high).
  echo "== $name: CPU per request"
  local ticks_before ticks_after
  ticks_before="$(cpu_ticks "$server")"
  "${loadgen[@]}" --url "http://127.0.0.1:$port/" --body "$image" --content-type image/jpeg \
    --concurrency "$concurrency" --duration "$duration" --warmup 0 | tee "$work/$name-cpu.out" || true
  ticks_after="$(cpu_ticks "$server")"
  printf '{"cpuMs":%s,"ok":%s}\n' "$(((ticks_after - ticks_before) * 1000 / $(getconf CLK_TCK)))" \
    "$(tail -n 1 "$work/$name-cpu.out" | json_field ok)" >"$work/$name-cpu.json"
  echo "== $name: overload, $overload connections"
  "${loadgen[@]}" --url "http://127.0.0.1:$port/" --body "$image" --content-type image/jpeg \
    --concurrency "$overload" --duration "$duration" --warmup "$warmup" | tee "$work/$name-overload.out" || true
  tail -n 1 "$work/$name-overload.out" >"$work/$name-overload.json"
  stop_server
}

# utime + stime of a process, every thread included, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
json_field() { node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { try { console.log(JSON.parse(s)[process.argv[1]] ?? 0); } catch { console.log(0); } });' "$1"; }

# memory NAME PORT DIR COMMAND...: a fresh server under the same load in chunks, RSS after about
# 1,000 requests and after about $memory_requests, and the peak; results in $work/NAME-memory.json.
memory() {
  local name="$1" port="$2" dir="$3"
  shift 3
  ((memory_requests > 0)) || return 0
  echo "== $name: memory, about $memory_requests requests"
  pushd "$dir" >/dev/null
  PORT="$port" setsid "$@" >"$work/$name-memory.log" 2>&1 &
  server=$!
  popd >/dev/null
  for _ in $(seq 600); do
    [[ "$(status_of "http://127.0.0.1:$port/readyz")" == 200 ]] && break
    sleep 0.1
  done
  # Short chunks until the first 1,000 requests, then longer ones; requests in flight when a
  # chunk ends are served but not counted, so the counts are slightly low.
  local total=0 rss_first="" at_first="" seconds done_now
  local deadline=$((SECONDS + limit_s / 2))
  while ((total < memory_requests && SECONDS < deadline)); do
    seconds=10
    [[ -n "$at_first" ]] || seconds=2
    done_now="$("${loadgen[@]}" --url "http://127.0.0.1:$port/" --body "$image" --content-type image/jpeg \
      --concurrency "$concurrency" --duration "$seconds" --warmup 0 | tail -n 1 | json_field ok)"
    total=$((total + done_now))
    if [[ -z "$at_first" ]] && ((total >= 1000)); then rss_first="$(rss_kb "$server" VmRSS)"; at_first="$total"; fi
    echo "  after $total requests: VmRSS $(rss_kb "$server" VmRSS) kB, VmHWM $(rss_kb "$server" VmHWM) kB"
  done
  printf '{"firstRequests":%s,"firstRssKb":%s,"lastRequests":%s,"lastRssKb":%s,"peakKb":%s}\n' \
    "${at_first:-0}" "${rss_first:-0}" "$total" "$(rss_kb "$server" VmRSS)" "$(rss_kb "$server" VmHWM)" >"$work/$name-memory.json"
  stop_server
}

# photo_load NAME PORT DIR LABEL PHOTO COMMAND...: a fresh server, a sanity POST of PHOTO, a
# warm-up, then the measured load with the server's CPU time and peak RSS; results in
# $work/NAME-LABEL-load.json and -cpu.json.
photo_load() {
  local name="$1" port="$2" dir="$3" label="$4" photo="$5"
  shift 5
  echo "== $name: $label"
  start_measurable "$name on $label" "$photo" "$name-$label" "$port" "$dir" "$@" || return 0
  local load=("${loadgen[@]}" --url "http://127.0.0.1:$port/" --body "$photo" --content-type image/jpeg
    --concurrency "$concurrency" --warmup 0)
  ((warmup == 0)) || "${load[@]}" --duration "$warmup" >/dev/null || true
  local ticks_before ticks_after
  ticks_before="$(cpu_ticks "$server")"
  "${load[@]}" --duration "$duration" | tee "$work/$name-$label.out" || true
  ticks_after="$(cpu_ticks "$server")"
  tail -n 1 "$work/$name-$label.out" >"$work/$name-$label-load.json"
  printf '{"cpuMs":%s,"ok":%s,"peakKb":%s}\n' "$(((ticks_after - ticks_before) * 1000 / $(getconf CLK_TCK)))" \
    "$(json_field ok <"$work/$name-$label-load.json")" "$(rss_kb "$server" VmHWM)" >"$work/$name-$label-cpu.json"
  stop_server
}

if ((photos)); then
  # The Node.js function's model from the same folder, wherever the repository is checked out.
  models="$(cd "${MODEL_SOURCE_DIR:-$repo/../shared/models}" && pwd)"
  mapfile -t photo_set < <(MODEL_SOURCE_DIR="$models" "$here/photos.sh")
  labels=() paths=()
  for line in "${photo_set[@]}"; do labels+=("${line%% *}"); paths+=("${line#* }"); done
  dotnet build "$here/DecodeFloor" -c Release --nologo -v q
  # floor_load IMAGE_INDEX ROUND: the image's decode floor, just before its loads in that round, so
  # that the floor and the function are measured on the machine as it is at the time.
  floor_load() {
    echo "== decode floor: ${labels[$1]}.$2, $floor_runs runs, one thread"
    # The floor's C heap as the Procfile sets up the function's: huge pages, unless GLIBC_TUNABLES is set.
    GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.hugetlb=1}" \
      dotnet "$here/DecodeFloor/bin/Release/net10.0/DecodeFloor.dll" --runs "$floor_runs" \
      --model "$models/mobilenetv2-12-int8.onnx" "${paths[$1]}" | tail -n 1 >"$work/floor-${labels[$1]}.$2.json"
  }
  # csharp_load / node_load IMAGE_INDEX ROUND
  csharp_load() { photo_load csharp "$cs_port" "$publish" "${labels[$1]}.$2" "${paths[$1]}" bash -c "$web_command"; }
  node_load() { photo_load node "$node_port" "$repo" "${labels[$1]}.$2" "${paths[$1]}" env "MODEL_PATH=$models/mobilenetv2-12-int8.onnx" node "$here/node/server.js"; }
  for round in $(seq "$rounds"); do
    for i in "${!labels[@]}"; do
      floor_load "$i" "$round"
      if ((round % 2)); then csharp_load "$i" "$round"; node_load "$i" "$round"; else node_load "$i" "$round"; csharp_load "$i" "$round"; fi
    done
  done
  echo
  echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg); photo set, $concurrency connections, ${warmup} s warm-up, ${duration} s measured;" \
    "floor: median of $floor_runs runs before each image's loads; $rounds round(s), medians shown"
  node - "$work" "$(nproc)" "$rounds" "${labels[@]}" <<'EOF'
const fs = require('node:fs');
const [work, cores, rounds, ...labels] = process.argv.slice(2);
const read = (name) => { try { return JSON.parse(fs.readFileSync(`${work}/${name}.json`, 'utf8')); } catch { return null; } };
const x = (v) => (v === null ? 'n/a' : `${v.toFixed(2)}x`);
const median = (values) => {
  const known = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v)).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const mid = Math.floor(known.length / 2);
  return known.length % 2 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
};
const rows = [['image', 'C# req/s', 'Node req/s', 'C# / Node', 'p99 C# / Node', 'CPU ms/req C#', 'Node', 'C# peak RSS MB',
  'floor ms (scale)', 'floor req/s', 'C# / floor', 'floor CPU ms', 'floor / C# CPU', 'C# / Node each round']];
labels.forEach((label, i) => {
  const each = Array.from({ length: Number(rounds) }, (_, r) => {
    const name = `${label}.${r + 1}`;
    const cs = read(`csharp-${name}-load`), node = read(`node-${name}-load`);
    const csCpu = read(`csharp-${name}-cpu`), nodeCpu = read(`node-${name}-cpu`);
    const perRequest = (c) => (c && c.ok ? c.cpuMs / c.ok : null);
    const floor = read(`floor-${name}`)?.images?.[0] ?? null;
    const floorRate = floor ? (Number(cores) * 1000) / floor.floorMs : null;
    const okRate = cs ? cs.ok / cs.durationSeconds : null;
    const csCpuMs = perRequest(csCpu);
    return {
      cs: cs?.requestsPerSecond ?? null, node: node?.requestsPerSecond ?? null,
      ratio: cs?.requestsPerSecond && node?.requestsPerSecond ? cs.requestsPerSecond / node.requestsPerSecond : null,
      p99: cs?.p99Ms && node?.p99Ms ? cs.p99Ms / node.p99Ms : null,
      csCpu: csCpuMs, nodeCpu: perRequest(nodeCpu), peakMb: csCpu ? csCpu.peakKb / 1024 : null,
      scale: floor?.scale ?? null, floorMs: floor?.floorMs ?? null, floorRate, floorCpuMs: floor?.floorCpuMs ?? null,
      floorShare: floorRate && okRate !== null ? okRate / floorRate : null,
      floorCpuShare: floor && csCpuMs ? floor.floorCpuMs / csCpuMs : null,
    };
  });
  const m = (key) => median(each.map((e) => e[key]));
  const csCpu = m('csCpu'), peak = median(each.map((e) => e.peakMb));
  const floorMs = m('floorMs'), floorRate = m('floorRate'), floorCpuMs = m('floorCpuMs');
  const scale = each.find((e) => e.scale)?.scale;
  const percent = (v) => (v === null ? 'n/a' : `${(100 * v).toFixed(0)}%`);
  const rate = (v) => (v === null ? 'n/a' : String(Number(v.toFixed(2))));
  rows.push([label, rate(m('cs')), rate(m('node')), x(m('ratio')), x(m('p99')), csCpu === null ? 'n/a' : csCpu.toFixed(1),
    m('nodeCpu') === null ? 'n/a' : m('nodeCpu').toFixed(1), peak === null ? 'n/a' : peak.toFixed(1),
    floorMs === null ? 'n/a' : `${Number(floorMs.toFixed(2))} (${scale})`, floorRate === null ? 'n/a' : floorRate.toFixed(1),
    percent(m('floorShare')), floorCpuMs === null ? 'n/a' : String(Number(floorCpuMs.toFixed(2))), percent(m('floorCpuShare')),
    each.map((e) => (e.ratio === null ? 'n/a' : e.ratio.toFixed(2))).join(' ')]);
});
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
console.log('req/s above 1x: C# serves more; p99 below 1x: C# is faster. floor: the chosen decoder alone at its scale plus one');
console.log(`inference, one thread (bench/DecodeFloor); floor req/s = ${cores} cores / floor ms; C# / floor: its 2xx rate as a share of that;`);
console.log('floor / C# CPU: the floor\'s CPU time an image as a share of the C# function\'s CPU time a request (steadier on a busy machine).');
console.log('With more than one round, each figure is the median of the rounds\' figures (the ratios of each round\'s pair and floor, not of the medians).');
EOF
  exit 0
fi

measure csharp "$cs_port" "$publish" bash -c "$web_command"
measure node "$node_port" "$repo" node "$here/node/server.js"
memory csharp "$cs_port" "$publish" bash -c "$web_command"

echo
echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg); $concurrency connections, ${warmup} s warm-up, ${duration} s measured;" \
  "overload $overload connections"
node - "$work" "$with_url" <<'EOF'
const fs = require('node:fs');
const [work, withUrl] = process.argv.slice(2);
const read = (name) => { try { return JSON.parse(fs.readFileSync(`${work}/${name}.json`, 'utf8')); } catch { return null; } };
const fmt = (v) => (v === null || v === undefined ? 'n/a' : String(v));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : 'n/a');
const rows = [['', 'C# function', 'Node.js', 'C# / Node']];
const loadRows = (kind, title) => {
  const cs = read(`csharp-${kind}`), node = read(`node-${kind}`);
  const bad = (r) => r && r.requests - r.ok;
  rows.push([`${title} req/s`, fmt(cs?.requestsPerSecond), fmt(node?.requestsPerSecond), ratio(cs?.requestsPerSecond, node?.requestsPerSecond)]);
  for (const p of ['p50', 'p90', 'p99', 'max']) {
    rows.push([`${title} ${p} ms`, fmt(cs?.[`${p}Ms`]), fmt(node?.[`${p}Ms`]), ratio(cs?.[`${p}Ms`], node?.[`${p}Ms`])]);
  }
  rows.push([`${title} non-2xx + errors`, fmt(bad(cs)), fmt(bad(node)), '']);
};
loadRows('load', 'bytes');
if (withUrl === '1') loadRows('url', 'url');
const csCold = read('csharp-cold'), nodeCold = read('node-cold');
rows.push(['cold start median ms', fmt(csCold?.medianMs), fmt(nodeCold?.medianMs), ratio(csCold?.medianMs, nodeCold?.medianMs)]);
const cpu = { cs: read('csharp-cpu'), node: read('node-cpu') };
const perRequest = (r) => (r && r.ok ? (r.cpuMs / r.ok).toFixed(2) : null);
rows.push(['CPU ms per request', fmt(perRequest(cpu.cs)), fmt(perRequest(cpu.node)), ratio(perRequest(cpu.cs), perRequest(cpu.node))]);
const share = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a');
const over = { cs: read('csharp-overload'), node: read('node-overload') };
const base = { cs: read('csharp-load'), node: read('node-load') };
const okRate = (r) => (r ? (r.ok / r.durationSeconds).toFixed(2) : null);
rows.push(['overload req/s (every answer)', fmt(over.cs?.requestsPerSecond), fmt(over.node?.requestsPerSecond), '']);
rows.push(['overload 2xx req/s', fmt(okRate(over.cs)), fmt(okRate(over.node)), ratio(okRate(over.cs), okRate(over.node))]);
rows.push(['overload 2xx p99 ms', fmt(over.cs?.okP99Ms), fmt(over.node?.okP99Ms), ratio(over.cs?.okP99Ms, over.node?.okP99Ms)]);
rows.push(['overload 2xx p99 / bytes p99', ratio(over.cs?.okP99Ms, base.cs?.p99Ms), ratio(over.node?.okP99Ms, base.node?.p99Ms), '']);
rows.push(['overload refusal p50 / p99 ms', over.cs ? `${over.cs.refusedP50Ms} / ${over.cs.refusedP99Ms}` : 'n/a', '', '']);
rows.push(['overload refused (503/429)', share(over.cs?.refused, over.cs?.requests), share(over.node?.refused, over.node?.requests), '']);
rows.push(['  of those with Retry-After', share(over.cs?.refusedWithRetryAfter, over.cs?.refused), share(over.node?.refusedWithRetryAfter, over.node?.refused), '']);
const errs = (r) => (r ? Object.entries(r.errors).map(([k, v]) => `${k}:${v}`).join(' ') || '0' : 'n/a');
rows.push(['overload errors (timeouts...)', errs(over.cs), errs(over.node), '']);
const mem = read('csharp-memory');
if (mem) {
  const mb = (kb) => (kb / 1024).toFixed(1);
  rows.push([`RSS MB after ~${mem.firstRequests} requests`, mb(mem.firstRssKb), '', '']);
  rows.push([`RSS MB after ~${mem.lastRequests} requests`, mb(mem.lastRssKb), '', '']);
  rows.push(['RSS change between them', `${((100 * (mem.lastRssKb - mem.firstRssKb)) / mem.firstRssKb).toFixed(1)}%`, '', '']);
  rows.push(['peak RSS MB (VmHWM)', mb(mem.peakKb), '', '']);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   '));
console.log('ratios: req/s above 1x means C# serves more; latency and cold start below 1x mean C# is faster.');
console.log('overload: the C# function sheds what it cannot take (503 + Retry-After); the Node.js one queues everything.');
EOF
