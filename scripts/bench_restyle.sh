#!/usr/bin/env bash
# ReStyle's iterative refinement, this SDK against the official restyle-encoder code, in one run:
# the same official-format checkpoint (make_family_reference.py), 5 steps, batch 1, 2 threads, one
# warm-up then the median of 3. The SDK side is `psp bench` on the ReStyle checkpoint, whose encode
# and translate run the model's 5 refinement steps.
#
#   scripts/bench_restyle.sh [checkpoint] [restyle-repo]
#       defaults: /tmp/psp-family-ref/restyle_psp_s1024/checkpoint.pt, /tmp/restyle
set -euo pipefail
cd "$(dirname "$0")/.."
ckpt=${1:-/tmp/psp-family-ref/restyle_psp_s1024/checkpoint.pt}
repo=${2:-/tmp/restyle}
echo "== $(date -u +%FT%TZ) $(nproc) cores:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "== avx512 flags: $(grep -o 'avx512[a-z_0-9]*' /proc/cpuinfo | sort -u | tr '\n' ' ')"
java -jar psp-examples/target/psp.jar bench --model "$ckpt" --engine all --batch-size 1 --warmup 1 --iterations 3 \
  2>/dev/null | grep -v '^cpu:'
MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184 \
  /usr/bin/python3 scripts/bench_official_restyle.py --repo "$repo" --checkpoint "$ckpt" --batch 1 --n-iters 5 \
  --warmup 1 --iterations 3 2>/dev/null | grep -v '^Loading'
