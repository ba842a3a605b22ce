#!/usr/bin/env bash
# Encode, decode and translation timings of the pytorch engine, the onnx engine and the official code
# (python3-torch), in one run: same checkpoint, same protocol (warm-up, then the median), 2 threads,
# each side with the native allocator settings under which it runs fastest (dev.psp.internal.NativeAllocator;
# the psp command sets them itself, the official code gets them from this script).
#
#   scripts/benchmark.sh [warmup] [iterations] [size:batch ...]     e.g. scripts/benchmark.sh 1 3 1024:1 256:4
#
# Needs psp-examples/target/psp.jar (mvn -B -ntp -q package -DskipTests), full-size references made by
# psp-api/src/test/python/fixtures/make_reference.py in /tmp/psp-ref/s<size>_nc3 (PSP_REF to change),
# /usr/bin/python3 with torch and the official code in /tmp/psp-official (PSP_ROOT).
set -euo pipefail
cd "$(dirname "$0")/.."
warmup=${1:-2}
iterations=${2:-5}
shift $(( $# > 2 ? 2 : $# ))
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(1024:1 1024:4 256:1 256:4)
jar=psp-examples/target/psp.jar
tuned=(MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184)
echo "== $(date -u +%FT%TZ) $(nproc) cores:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "== avx512 flags: $(grep -o 'avx512[a-z_0-9]*' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "== main at $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
for c in "${cases[@]}"; do
  size=${c%:*}
  batch=${c#*:}
  ref=${PSP_REF:-/tmp/psp-ref}/s${size}_nc3
  ckpt=$(ls "$ref"/psp_random_*.pt | grep -v _legacy | head -n 1)
  echo "== ${size} px, batch ${batch}"
  PSP_ONNX_THREADS=2 java -jar "$jar" bench --model "$ckpt" --engine all --batch-size "$batch" \
    --warmup "$warmup" --iterations "$iterations" 2>/dev/null | grep -v '^cpu:'
  env "${tuned[@]}" /usr/bin/python3 scripts/bench_official.py "$ref" --psp-root "${PSP_ROOT:-/tmp/psp-official}" \
    --threads 2 --batch "$batch" --warmup "$warmup" --iterations "$iterations" 2>/dev/null | grep -v '^Loading'
done
