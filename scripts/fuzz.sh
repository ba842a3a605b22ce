#!/usr/bin/env bash
# Fuzzes one of the SDK's readers with Jazzer (coverage-guided, libFuzzer's engine) for a given time,
# starting from the seeds the regression tests run (psp-api/src/test/resources/dev/psp/io/ReaderFuzzTestInputs).
# Usage: scripts/fuzz.sh <checkpoint|pickle|npy|image> [seconds, default 600] [corpus folder]
# Findings (inputs that made the target throw anything but a typed refusal, overflow the stack, run the
# 1 GB heap out or hang) are written as crash-* files in the current folder; libFuzzer prints the stats.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh <checkpoint|pickle|npy|image> [seconds] [corpus]}
secs=${2:-600}
case $target in
  checkpoint) cls=Checkpoint ;;
  pickle) cls=Pickle ;;
  npy) cls=NpyFile ;;
  image) cls=Image ;;
  *) echo "unknown target '$target': checkpoint, pickle, npy or image" >&2; exit 2 ;;
esac
corpus=${3:-/tmp/psp-fuzz/$target}
mkdir -p "$corpus"
cp_file=psp-api/target/fuzz-classpath.txt
mvn -B -ntp -q -o -pl psp-api test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=test
java -Xmx1g -Xss1m -cp "psp-api/target/test-classes:psp-api/target/classes:$(cat "$cp_file")" \
  com.code_intelligence.jazzer.Jazzer --target_class="dev.psp.io.ReaderFuzzTest\$$cls" \
  --instrumentation_includes='dev.psp.**' -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
  "$corpus" "psp-api/src/test/resources/dev/psp/io/ReaderFuzzTestInputs/$target"
