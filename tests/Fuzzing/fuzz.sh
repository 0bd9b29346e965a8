#!/usr/bin/env bash
# Coverage-guided fuzzing of the two places that read hostile bytes: the edge's request reading
# (CloudEvents binding, JSON, URL policy) and the image loader (identify + decode).
#
#   tests/Fuzzing/fuzz.sh [seconds-per-target [target...]]     (default 60, events images)
#
# Needs AFL++ (Debian: apt-get install -y afl++) and the .NET SDK; the SharpFuzz tool comes from
# the repository's tool manifest (.config/dotnet-tools.json). Builds the harness in Release,
# instruments the assemblies that parse input, writes seeds from the test images and sample
# requests, runs afl-fuzz on each target for the time given, and prints each target's
# executions, crashes and hangs. Every input runs under the memory oracle (Targets/MemoryOracle.cs):
# one whose run grows the resident set by more than twice what it was charged from the memory
# budget, plus 8 MiB, is a crash. Each crash is replayed and printed (an oracle failure says so),
# and so is the input that came closest to the oracle's limit. Findings stay in
# tests/Fuzzing/out/<target>/default/, the closest input in tests/Fuzzing/out/<target>/oracle/;
# replay any input with:
#   dotnet tests/Fuzzing/out/bin/ImageClassifier.Fuzzing.dll replay <target> <file>... < /dev/null
# Exits 1 if any target found a crash (an oracle failure included) or a hang.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
targets=("${@:2}")
[ ${#targets[@]} -gt 0 ] || targets=(events images)
out=tests/Fuzzing/out
export MODEL_SOURCE_DIR=${MODEL_SOURCE_DIR:-../shared/models}

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 2; }

rm -rf "$out"
mkdir -p "$out"
dotnet tool restore
# The harness is a JIT program (SharpFuzz rewrites its IL), so the function it references is too.
dotnet publish tests/Fuzzing/ImageClassifier.Fuzzing.csproj -c Release -p:PublishAot=false -o "$out/bin" -v quiet -nologo

# Seeds are written by the harness before it is instrumented.
dotnet "$out/bin/ImageClassifier.Fuzzing.dll" seeds tests/ImageClassifier.Tests/TestImages "$out/seeds/events" "$out/seeds/images"

# Only the code that parses untrusted bytes is instrumented, so coverage measures it alone: the
# function's header readers and edge, the CloudEvents SDK, and SkiaSharp's managed side (its
# codecs are native code, which AFL does not see: what it sees is the header readers' paths).
for assembly in ImageClassifier SkiaSharp CloudNative.CloudEvents CloudNative.CloudEvents.SystemTextJson; do
  dotnet tool run sharpfuzz "$out/bin/$assembly.dll"
done

# The harness is a .NET program, not a binary afl-cc built: skip the instrumentation check,
# give the runtime time to start, and do not require a core_pattern change on the host.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_FORKSRV_INIT_TMOUT=60000 AFL_NO_AFFINITY=1

# The harness is its own fork server, so an input that times out ends the whole run rather than
# being saved as a hang: the timeout is long enough for the instrumented preprocessing of a
# megapixel image, which took over the 5 s used before.
status=0
for target in "${targets[@]}"; do
  echo "Fuzzing $target for ${seconds}s"
  afl-fuzz -i "$out/seeds/$target" -o "$out/$target" -V "$seconds" -t 20000 -m none \
    -- dotnet "$out/bin/ImageClassifier.Fuzzing.dll" "$target" "$PWD/$out/$target/oracle" > "$out/$target.log" 2>&1 || {
      echo "afl-fuzz failed on $target; see $out/$target.log" >&2
      tail -20 "$out/$target.log" >&2
      echo "The input running when it died (a native crash or a timeout), replayed:" >&2
      timeout 60 dotnet "$out/bin/ImageClassifier.Fuzzing.dll" replay "$target" "$out/$target/oracle/current.input" < /dev/null >&2 \
        || echo "(exit $?: 124 is a hang) $out/$target/oracle/current.input" >&2
      exit 2
    }
  stats="$out/$target/default/fuzzer_stats"
  value() { sed -nE "s/^$1 +: (.*)/\1/p" "$stats"; }
  crashes=$(value saved_crashes)
  hangs=$(value saved_hangs)
  echo "$target: $(value execs_done) executions in $(value run_time) s, corpus $(value corpus_count), $crashes crashes, $hangs hangs, edges found $(value edges_found)"
  echo "$target: memory oracle's closest input: $(cat "$out/$target/oracle/oracle-closest.txt" 2>/dev/null || echo none)"
  if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
    ls "$out/$target/default/crashes" "$out/$target/default/hangs"
    find "$out/$target/default/crashes" -type f -name 'id:*' -print0 \
      | xargs -0 -r dotnet "$out/bin/ImageClassifier.Fuzzing.dll" replay "$target" < /dev/null || true
    status=1
  fi
done
exit "$status"
