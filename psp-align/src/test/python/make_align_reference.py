#!/usr/bin/env python3
"""Makes the reference aligned faces in ../resources/faces/aligned with the OFFICIAL align_face.

Run with Debian 12's python3 (python3-numpy 1.24, python3-scipy 1.10, python3-pil 9.4):

    /usr/bin/python3 psp-align/src/test/python/make_align_reference.py --psp-repo /path/to/pixel2style2pixel

The official scripts/align_all_parallel.py is executed from the given checkout with a stub `dlib` module
(the alignment itself never calls dlib) and with its get_landmark replaced by a function returning fixed
landmarks, so every reference image is the official function's own output for those landmarks. Its
hard-coded `output_size = 256` / `transform_size = 256` are substituted in the source text for the cases
that need other sizes; nothing else is changed.

Cases (written to cases.json with their landmarks, sizes and the expected branches of the algorithm):
  * every face of ../resources/faces/dlib_reference.json (dlib's own landmarks on the photos next to it:
    examples/faces of the dlib repository, Boost Software License 1.0), output 256 / transform 256;
  * the Tom_Cruise photo's face at transform 1024 / output 1024 and at transform 1024 / output 256
    (the final Lanczos resize);
  * synthetic photos given by an integer formula the Java test regenerates exactly
    (r = (7x + 3y) mod 256, g = (x*x + y) mod 251, b = 5 (x xor y) mod 256) with landmarks made from the
    Tom_Cruise face as a template (moved, scaled, rotated, rounded to integers), covering the shrink
    branch (2 and 3, with a rint tie), padding near a corner and after a shrink, a face larger than the
    photo and odd sizes; output 256 / transform 256.
Images are saved as 8-bit RGB PNG, as the official extract_on_paths does after convert('RGB').
"""
import argparse
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import types
import warnings

import numpy as np
import PIL
import PIL.Image
import scipy

HERE = os.path.dirname(os.path.abspath(__file__))
FACES = os.path.normpath(os.path.join(HERE, '..', 'resources', 'faces'))
OUT = os.path.join(FACES, 'aligned')

# name, width, height, centre x, centre y, eye distance, angle (radians), expected shrink, expected pad
SYNTHETIC = [
    ('synthetic_pad_corner', 640, 480, 60, 70, 60, -0.2, 1, True),
    ('synthetic_face_bigger_than_photo', 120, 100, 60, 45, 110, 0.1, 1, True),
    ('synthetic_odd_edge', 531, 377, 470, 330, 64, 0.7, 1, True),
    ('synthetic_centred_no_pad', 901, 703, 450, 330, 70, 0.05, 1, False),
    ('synthetic_shrink2_rint_tie', 2601, 2003, 1250, 1000, 290, 0.5, 2, False),
    ('synthetic_shrink2_pad', 2600, 2000, 330, 1700, 300, 0.15, 2, True),
    ('synthetic_shrink3_pad', 2999, 2201, 1400, 1100, 420, -0.3, 3, True),
]


def synthetic_photo(width, height):
    """The textured test photo; FfhqAlignmentTest regenerates it with the same integer formula."""
    x = np.arange(width, dtype=np.int64)[None, :]
    y = np.arange(height, dtype=np.int64)[:, None]
    r = (x * 7 + y * 3) % 256
    g = (x * x + y) % 251
    b = ((x ^ y) * 5) % 256
    return np.stack(np.broadcast_arrays(r, g, b), axis=-1).astype(np.uint8)


def load_official(psp_repo, output_size, transform_size):
    """The official module, its two size constants set; dlib stubbed (never called by align_face)."""
    path = os.path.join(psp_repo, 'scripts', 'align_all_parallel.py')
    with open(path) as f:
        src = f.read()
    for name, value in (('output_size', output_size), ('transform_size', transform_size)):
        src, n = re.subn(r'^(\s*)%s = 256\s*$' % name, r'\g<1>%s = %d' % (name, value), src, flags=re.M)
        if n != 1:
            sys.exit('%s: expected one "%s = 256" line, found %d' % (path, name, n))
    sys.modules.setdefault('dlib', types.ModuleType('dlib'))
    if psp_repo not in sys.path:
        sys.path.insert(0, psp_repo)  # for "from configs.paths_config import model_paths"
    module = types.ModuleType('align_all_parallel_%d_%d' % (output_size, transform_size))
    module.__file__ = path
    exec(compile(src, path, 'exec'), module.__dict__)
    return module


def official_align(modules, psp_repo, photo_path, landmarks, output_size, transform_size):
    key = (output_size, transform_size)
    if key not in modules:
        modules[key] = load_official(psp_repo, output_size, transform_size)
    module = modules[key]
    lm = np.array(landmarks, dtype=np.int64)
    module.get_landmark = lambda filepath, predictor: lm
    return module.align_face(photo_path, None).convert('RGB')


def template(dlib_ref):
    """Tom_Cruise's 68 points relative to the eye centre, in units of the eye distance."""
    tom = next(p for p in dlib_ref if p['file'].startswith('Tom_Cruise'))
    lm = np.array(tom['detections'][0]['landmarks'], dtype=np.float64)
    left, right = lm[36:42].mean(0), lm[42:48].mean(0)
    centre = (left + right) / 2
    d = right - left
    angle = math.atan2(d[1], d[0])
    rot = np.array([[math.cos(-angle), -math.sin(-angle)], [math.sin(-angle), math.cos(-angle)]])
    return (lm - centre) @ rot.T / np.hypot(*d)


def place(tpl, cx, cy, eye_distance, angle):
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    pts = tpl @ rot.T * eye_distance + np.array([cx, cy])
    return np.rint(pts).astype(np.int64).tolist()


def provenance(psp_repo):
    try:
        commit = subprocess.run(['git', '-C', psp_repo, 'rev-parse', 'HEAD'], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = 'unknown'
    with open(os.path.join(psp_repo, 'scripts', 'align_all_parallel.py'), 'rb') as f:
        script_sha256 = hashlib.sha256(f.read()).hexdigest()
    return {'script': 'psp-align/src/test/python/make_align_reference.py',
            'official': 'pixel2style2pixel scripts/align_all_parallel.py align_face', 'psp_commit': commit,
            'align_all_parallel_sha256': script_sha256,
            'python': sys.version.split()[0], 'pillow': PIL.__version__, 'numpy': np.__version__,
            'scipy': scipy.__version__}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--psp-repo', required=True, help='checkout of eladrich/pixel2style2pixel')
    args = parser.parse_args()
    warnings.simplefilter('ignore')  # Pillow 9.4 deprecates ANTIALIAS, the official script uses it
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):  # the directory holds only this script's output
        if old.endswith('.png') or old == 'cases.json':
            os.remove(os.path.join(OUT, old))
    with open(os.path.join(FACES, 'dlib_reference.json')) as f:
        dlib_ref = json.load(f)
    modules = {}
    cases = []

    def add(name, photo, photo_path, landmarks, output_size, transform_size, expect=None):
        img = official_align(modules, args.psp_repo, photo_path, landmarks, output_size, transform_size)
        assert img.size == (output_size, output_size), img.size
        png = name + '.png'
        img.save(os.path.join(OUT, png), optimize=True)
        case = {'name': name, 'photo': photo, 'output_size': output_size, 'transform_size': transform_size,
                'png': png, 'landmarks': landmarks}
        if expect:
            case['expect'] = expect
        cases.append(case)
        print('%-40s %s' % (name, os.path.getsize(os.path.join(OUT, png))))

    for p in dlib_ref:
        stem = os.path.splitext(p['file'])[0]
        path = os.path.join(FACES, p['file'])
        for k, d in enumerate(p['detections']):
            add('%s_%d' % (stem, k), {'file': p['file']}, path, d['landmarks'], 256, 256)
        if stem.startswith('Tom_Cruise'):
            lm = p['detections'][0]['landmarks']
            add(stem + '_0_t1024_o1024', {'file': p['file']}, path, lm, 1024, 1024)
            add(stem + '_0_t1024_o256', {'file': p['file']}, path, lm, 256, 1024)

    tpl = template(dlib_ref)
    with tempfile.TemporaryDirectory() as tmp:
        for name, w, h, cx, cy, ed, angle, shrink, pad in SYNTHETIC:
            path = os.path.join(tmp, name + '.png')
            PIL.Image.fromarray(synthetic_photo(w, h), 'RGB').save(path)
            add(name, {'synthetic': True, 'width': w, 'height': h}, path, place(tpl, cx, cy, ed, angle), 256, 256,
                {'shrink': shrink, 'pad': pad})

    with open(os.path.join(OUT, 'cases.json'), 'w') as f:  # one case per line
        f.write('{"provenance": %s,\n "cases": [\n' % json.dumps(provenance(args.psp_repo)))
        f.write(',\n'.join('  ' + json.dumps(c, separators=(',', ':')) for c in cases))
        f.write('\n]}\n')


if __name__ == '__main__':
    main()
