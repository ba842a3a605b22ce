#!/usr/bin/env bash
# Regenerates psp-align's dlib reference data with dlib itself (Debian's libdlib-dev, dlib 19.24):
#   src/test/resources/faces/dlib_reference.json       detections and 68 landmarks of every test photo
#   src/main/resources/dev/psp/align/dlib/frontal_face_detector.dat   dlib's frontal face detector, serialized
# Needs: apt-get install g++ libdlib-dev libdlib-data libpng-dev libjpeg-dev liblapack-dev libblas-dev
# Usage: bash psp-align/src/test/cpp/make_dlib_reference.sh [--bench photo.png]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(cd "$here/../../.." && pwd)"
model="${PSP_DLIB_LANDMARKS:-/usr/share/dlib/shape_predictor_68_face_landmarks.dat}"
bin="${TMPDIR:-/tmp}/dlib_reference"
g++ -O3 -mavx -std=c++14 -o "$bin" "$here/dlib_reference.cpp" -ldlib -lpng -ljpeg -llapack -lblas
if [[ "${1:-}" == "--bench" ]]; then
  exec "$bin" time "$model" "$2" "${3:-5}"
fi
faces="$module/src/test/resources/faces"
(cd "$faces" && "$bin" detect "$model" *.png) > "$faces/dlib_reference.json"
"$bin" dump-detector "$module/src/main/resources/dev/psp/align/dlib/frontal_face_detector.dat"
echo "wrote $faces/dlib_reference.json and frontal_face_detector.dat"
