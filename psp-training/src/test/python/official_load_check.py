"""Loads a pSp checkpoint written by the SDK's trainer into the OFFICIAL pSp class and runs it.

Usage:
  /usr/bin/python3 official_load_check.py CKPT INPUT.npy OUTPUT_PREFIX [--psp-root /tmp/psp-official]

It builds pSp(opts) with opts taken from the checkpoint (checkpoint_path = CKPT, device = cpu),
so the official load_weights() loads the encoder and decoder strictly and the latent_avg, and runs
forward(x, resize=False, randomize_noise=False, return_latents=True) on INPUT.npy ([B,C,256,256]).
It saves OUTPUT_PREFIX_images.npy and OUTPUT_PREFIX_codes.npy, which OfficialLoadParityTest compares with the SDK's
engines. The official CUDA ops are replaced by the pure-torch ones of
psp-api/src/test/python/fixtures/make_module_fixtures.py. Official architecture only (the official classes have
fixed widths).
"""
import argparse
import os
import sys
from argparse import Namespace

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('ckpt')
    ap.add_argument('input')
    ap.add_argument('output')
    ap.add_argument('--psp-root', default='/tmp/psp-official')
    ap.add_argument('--fixtures', default=os.path.join(HERE, '../../../../psp-api/src/test/python/fixtures'))
    a = ap.parse_args()
    sys.path.insert(0, os.path.abspath(a.fixtures))
    from make_reference import import_official
    off = import_official(a.psp_root)
    ckpt = torch.load(a.ckpt, map_location='cpu')
    opts = dict(ckpt['opts'])
    opts['checkpoint_path'] = a.ckpt
    opts['device'] = 'cpu'
    net = off.psp.pSp(Namespace(**opts)).eval()
    x = torch.from_numpy(np.load(a.input))
    with torch.no_grad():
        images, codes = net(x, resize=False, randomize_noise=False, return_latents=True)
    np.save(a.output + '_images.npy', images.numpy())
    np.save(a.output + '_codes.npy', codes.numpy())
    print('official pSp loaded', a.ckpt, 'images', tuple(images.shape), 'codes', tuple(codes.shape))


if __name__ == '__main__':
    main()
