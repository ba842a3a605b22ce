#!/usr/bin/env bash
# Face alignment speed, Java against dlib's C++ in one run: psp bench-align (detection + 68 landmarks +
# FFHQ crop) and dlib 19.24's own detector + shape predictor (built from Debian's libdlib-dev).
# Usage: scripts/bench_align.sh [photo.png] [iterations]
#   without a photo: the dlib test photo Tom_Cruise_avp_2014_4.png, cropped square and scaled to 1024x1024
# Needs: psp-examples/target/psp.jar (mvn -B -ntp -q package -DskipTests), g++, libdlib-dev, libdlib-data,
# libpng-dev, libjpeg-dev, liblapack-dev, libblas-dev; python3 with PIL for the default photo only.
set -euo pipefail
cd "$(dirname "$0")/.."
photo="${1:-}"
n="${2:-5}"
if [[ -z "$photo" ]]; then
  photo="${TMPDIR:-/tmp}/psp_bench_face_1024.png"
  py=/usr/bin/python3; [[ -x "$py" ]] || py=python3
  "$py" - "$photo" <<'PY'
import sys
from PIL import Image
im = Image.open("psp-align/src/test/resources/faces/Tom_Cruise_avp_2014_4.png").convert("RGB")
w, h = im.size
im.crop((0, (h - w) // 2, w, (h - w) // 2 + w)).resize((1024, 1024), Image.BILINEAR).save(sys.argv[1])
PY
fi
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs); cores: $(nproc)"
echo "AVX-512: $(grep -o 'avx512[a-z_0-9]*' /proc/cpuinfo | sort -u | tr '\n' ' ')"
dlib=$(bash psp-align/src/test/cpp/make_dlib_reference.sh --bench "$photo" "$n" | tail -1)
echo "dlib C++: $dlib"
java -jar psp-examples/target/psp.jar bench-align --input "$photo" --warmup 2 --iterations "$n" | tee /tmp/psp_bench_align.txt
java_s=$(awk '/^total:/ {print $2}' /tmp/psp_bench_align.txt)
dlib_s=$(echo "$dlib" | awk '{for (i = 1; i <= NF; i++) if ($i == "s") print $(i - 1)}' | head -1)
awk -v j="$java_s" -v d="$dlib_s" 'BEGIN { printf "Java (detect + landmarks + crop) / dlib C++ (detect + landmarks): %.2f\n", j / d }'
