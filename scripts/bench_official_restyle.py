#!/usr/bin/env python3
"""Times the official ReStyle inference (restyle-encoder's utils/inference_utils.run_on_batch) on CPU,
for scripts/bench_restyle.sh: the model is loaded through the official loader from a checkpoint made
by make_family_reference.py; the average image is computed once, outside the timing (as the official
inference script does); then `warmup` untimed and `iterations` timed runs of n_iters steps under
torch.no_grad(), resize_outputs=False. Prints the median.

  bench_official_restyle.py --repo /path/to/restyle-encoder --checkpoint ckpt.pt [--batch 1] [--n-iters 5]
"""
import argparse
import os
import sys
import time
from argparse import Namespace

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'psp-api', 'src', 'test',
                                'python', 'fixtures'))
sys.dont_write_bytecode = True
import make_family_reference as ref  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument('--repo', required=True)
ap.add_argument('--checkpoint', required=True)
ap.add_argument('--encoder-type', default='BackboneEncoder')
ap.add_argument('--batch', type=int, default=1)
ap.add_argument('--n-iters', type=int, default=5)
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--warmup', type=int, default=1)
ap.add_argument('--iterations', type=int, default=3)
a = ap.parse_args()
torch.set_num_threads(a.threads)
mods = ref.import_official(a.repo, 'restyle')
ref.patch_widths(mods, False)
args = Namespace(family='restyle', encoder_type=a.encoder_type, iterations=a.n_iters)
net, opts = ref.load_official(mods, args, a.checkpoint)
x = torch.randn(a.batch, 3, 256, 256, generator=torch.Generator().manual_seed(1)) * 0.5
times = []
with torch.no_grad():
    avg = mods.inference_utils.get_average_image(net, opts)
    for i in range(a.warmup + a.iterations):
        t0 = time.perf_counter()
        mods.inference_utils.run_on_batch(x, net, opts, avg)
        if i >= a.warmup:
            times.append(time.perf_counter() - t0)
times.sort()
print('official ReStyle %s, %d steps, batch %d, %d threads: median %.3f s (runs %s)' % (
    a.encoder_type, a.n_iters, a.batch, a.threads, times[len(times) // 2], ' '.join('%.3f' % t for t in times)))
