#!/usr/bin/env bash
# Regenerates the pictures of docs/alignment.md: a dlib example photo, its landmarks, the aligned
# face, the bundled demo model's translation of it, and that translation pasted back into the photo.
# Needs psp-examples/target/psp.jar, libdlib-data, and python3 with PIL (for drawing the landmarks).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/alignment
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
photo=psp-align/src/test/resources/faces/2008_001009.png
psp() { java -jar psp-examples/target/psp.jar "$@"; }
psp align --input "$photo" --output "$work/aligned" --face all --landmarks "$work/faces.json"
psp translate --model encode --align --face all --input "$photo" --output "$work/translated"
psp translate --model encode --align --face all --paste-back --input "$photo" --output "$work/pasted.png"
py=/usr/bin/python3; [[ -x "$py" ]] || py=python3
"$py" - "$photo" "$work" "$out" <<'PY'
import json, sys
from PIL import Image, ImageDraw
photo, work, out = sys.argv[1:]
im = Image.open(photo).convert("RGB")
im.save(f"{out}/photo.png")
marked = im.copy()
d = ImageDraw.Draw(marked)
for face in json.load(open(f"{work}/faces.json"))[0]["aligned"]:
    l, t, r, b = face["box"]
    d.rectangle([l, t, r, b], outline=(255, 200, 0), width=2)
    for x, y in face["landmarks"]:
        d.ellipse([x - 1.5, y - 1.5, x + 1.5, y + 1.5], fill=(0, 255, 0))
    q = face["quad"]
    d.polygon([(q[i] - 0.5, q[i + 1] - 0.5) for i in range(0, 8, 2)], outline=(0, 160, 255), width=2)
marked.save(f"{out}/landmarks.png")
for j in range(2):
    Image.open(f"{work}/aligned/2008_001009_face{j}.png").save(f"{out}/aligned_face{j}.png")
    Image.open(f"{work}/translated/2008_001009_face{j}.png").resize((256, 256), Image.NEAREST).save(f"{out}/result_face{j}.png")
Image.open(f"{work}/pasted.png").save(f"{out}/pasted.png")
PY
ls -la "$out"
