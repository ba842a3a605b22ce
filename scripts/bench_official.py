#!/usr/bin/env python3
"""Times the official pSp code (PyTorch, CPU): encoder, decoder, full translation.

Same protocol as `psp bench`: input N(0, 0.25) of the model's input shape, warm-up runs, median of
timed runs, fixed noise (randomize_noise=False), resize=False, under torch.no_grad() in eval mode.
The checkpoint dict is dropped after the opts are read, so the timed process holds the model once.
Run it with the same native allocator settings as the SDK (scripts/benchmark.sh does):

    MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184 \
        /usr/bin/python3 scripts/bench_official.py /tmp/psp-ref/s1024_nc3 --threads 2 --batch 1
"""
import argparse
import glob
import os
import statistics
import sys
import time
from argparse import Namespace

import torch

ap = argparse.ArgumentParser()
ap.add_argument('folder', help='a make_reference.py output folder (holds psp_random_*.pt)')
ap.add_argument('--psp-root', default='/tmp/psp-official')
ap.add_argument('--fixtures', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                                                   'psp-api/src/test/python/fixtures'),
                help='folder of make_reference.py (the CPU op shim and official imports)')
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--batch', type=int, default=1)
ap.add_argument('--warmup', type=int, default=2)
ap.add_argument('--iterations', type=int, default=5)
a = ap.parse_args()
sys.path.insert(0, a.fixtures)
sys.dont_write_bytecode = True
import make_reference as mr  # noqa: E402  (the CPU op shim and official imports)

torch.set_num_threads(a.threads)
off = mr.import_official(a.psp_root)
ckpt = [p for p in glob.glob(a.folder + '/psp_random_*.pt') if not p.endswith('_legacy.pt')][0]
opts = dict(torch.load(ckpt, map_location='cpu')['opts'])  # the dict itself is not kept
opts.update(checkpoint_path=ckpt, device='cpu')
net = off.psp.pSp(Namespace(**opts)).eval()
x = torch.randn(a.batch, opts['input_nc'], 256, 256, generator=torch.Generator().manual_seed(1)) * 0.5


def bench(name, fn):
    with torch.no_grad():
        for _ in range(a.warmup):
            fn()
        t = []
        for _ in range(a.iterations):
            t0 = time.perf_counter()
            fn()
            t.append(time.perf_counter() - t0)
    print('%-8s %-10s median %.3f s  (min %.3f, max %.3f, n=%d)' % (
        'official', name, statistics.median(t), min(t), max(t), len(t)))


with torch.no_grad():
    codes = net.encoder(x) + net.latent_avg.repeat(x.shape[0], 1, 1)
tuned = all(k in os.environ for k in ('MALLOC_ARENA_MAX', 'MALLOC_MMAP_MAX_', 'MALLOC_TRIM_THRESHOLD_'))
print('official pSp %dpx, torch %s, %d threads, batch %d, native allocator: %s' % (
    opts['output_size'], torch.__version__, torch.get_num_threads(), a.batch,
    'tuned' if tuned else 'glibc defaults'))
bench('encode', lambda: net.encoder(x))
bench('decode', lambda: net.decoder([codes], input_is_latent=True, randomize_noise=False))
bench('translate', lambda: net(x, randomize_noise=False, resize=False))
