#!/usr/bin/env bash
# Side by side: the C# function and the Node.js measuring stick (bench/node), one at a time on
# 127.0.0.1, with the same image bytes and the same load. For each: cold-start runs
# (bench/coldstart.sh), then one server, a sanity POST, and bench/LoadGenerator; then a table
# with ratios. Every wait is bounded, after --limit seconds a watchdog stops the script at the
# end of the step in progress, and every process it started is stopped on the way out.
#
#   bench/compare.sh [--publish DIR] [--runs N] [--concurrency C] [--duration S] [--warmup S]
#                    [--with-url] [--limit S]
#
# Without --publish it publishes function/ to /tmp/ic-publish first (MODEL_SOURCE_DIR defaults to
# ../shared/models). --with-url adds a second load run in which each request is {"url": ...}
# naming the same JPEG, served on 127.0.0.1 by the load generator.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
publish=""
runs=5
concurrency=8
duration=20
warmup=5
with_url=0
limit_s=1200
cs_port=18080
node_port=18081
serve_port=18082
image="$here/images/coffee-768x576.jpg"

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($# > 0)); do
  case "$1" in
    --publish) publish="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --with-url) with_url=1; shift ;;
    --limit) limit_s="$2"; shift 2 ;;
    *) usage ;;
  esac
done

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
[[ -f "$publish/ImageClassifier.dll" ]] || { echo "compare: no ImageClassifier.dll in $publish" >&2; exit 2; }
[[ -d "$here/node/node_modules" ]] || (cd "$here/node" && npm ci --no-audit --no-fund)
dotnet build "$here/LoadGenerator" -c Release --nologo -v q
loadgen=(dotnet "$here/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll")

for port in "$cs_port" "$node_port" "$serve_port"; do
  if [[ "$(status_of "http://127.0.0.1:$port/")" != 000 ]]; then
    echo "compare: something already answers on 127.0.0.1:$port" >&2
    exit 2
  fi
done

# Loopback image URLs are private addresses: let the C# function fetch them (local testing only).
export FETCH_ALLOW_PRIVATE_NETWORKS=true

# measure NAME PORT DIR COMMAND...: cold starts, then load, results in $work/NAME-*.json.
measure() {
  local name="$1" port="$2" dir="$3"
  shift 3
  echo "== $name: cold start, $runs runs"
  (cd "$dir" && "$here/coldstart.sh" -n "$runs" -p "$port" -i "$image" -- "$@") | tee "$work/$name-cold.out" || true
  tail -n 1 "$work/$name-cold.out" >"$work/$name-cold.json"

  echo "== $name: load"
  pushd "$dir" >/dev/null
  PORT="$port" setsid "$@" >"$work/$name-server.log" 2>&1 &
  server=$!
  popd >/dev/null
  local ready=""
  for _ in $(seq 600); do
    [[ "$(status_of "http://127.0.0.1:$port/readyz")" == 200 ]] && { ready=1; break; }
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  local sanity
  sanity="$(status_of --data-binary "@$image" -H 'Content-Type: image/jpeg' "http://127.0.0.1:$port/")"
  if [[ -z "$ready" || "$sanity" != 200 ]]; then
    echo "$name is not measurable: ready=${ready:-no}, POST / answered $sanity; its log:" >&2
    tail -n 20 "$work/$name-server.log" >&2
    stop_server
    return 0
  fi
  "${loadgen[@]}" --url "http://127.0.0.1:$port/" --body "$image" --content-type image/jpeg \
    --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" | tee "$work/$name-load.out" || true
  tail -n 1 "$work/$name-load.out" >"$work/$name-load.json"
  if ((with_url)); then
    "${loadgen[@]}" --url "http://127.0.0.1:$port/" --json-url "http://127.0.0.1:$serve_port/$(basename "$image")" \
      --serve "$(dirname "$image")" --serve-port "$serve_port" \
      --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" | tee "$work/$name-url.out" || true
    tail -n 1 "$work/$name-url.out" >"$work/$name-url.json"
  fi
  stop_server
}

measure csharp "$cs_port" "$publish" dotnet ImageClassifier.dll
measure node "$node_port" "$repo" node "$here/node/server.js"

echo
echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg); $concurrency connections, ${warmup} s warm-up, ${duration} s measured"
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
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   '));
console.log('ratios: req/s above 1x means C# serves more; latency and cold start below 1x mean C# is faster.');
EOF
