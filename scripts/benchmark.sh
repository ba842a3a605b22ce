#!/usr/bin/env bash
# Batch-1 timings at one output size, in one run: the pytorch engine, the onnx engine and the official
# code (python3-torch), each on 2 threads, same checkpoint, same protocol (warm-up, then the median).
#
#   scripts/benchmark.sh /tmp/psp-ref/s1024_nc3 [warmup] [iterations]
#
# The folder is a make_reference.py output (it holds psp_random_*.pt). Needs psp-examples/target/psp.jar
# (mvn -B -ntp -q package -DskipTests), /usr/bin/python3 with torch, and the official code in
# /tmp/psp-official (PSP_ROOT) for the official timing.
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:?usage: scripts/benchmark.sh <reference folder> [warmup] [iterations]}
warmup=${2:-2}
iterations=${3:-5}
ckpt=$(ls "$ref"/psp_random_*.pt | grep -v _legacy | head -n 1)
jar=psp-examples/target/psp.jar
echo "== $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
for engine in pytorch onnx; do
  echo "== psp bench --engine $engine"
  PSP_ONNX_THREADS=2 java -jar "$jar" bench --model "$ckpt" --engine "$engine" --warmup "$warmup" --iterations "$iterations" 2>/dev/null
done
echo "== official pSp (torch, 2 threads)"
/usr/bin/python3 scripts/bench_official.py "$ref" --psp-root "${PSP_ROOT:-/tmp/psp-official}" \
  --threads 2 --warmup "$warmup" --iterations "$iterations" 2>/dev/null \
  | grep -v '^Loading'
