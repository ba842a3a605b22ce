#!/usr/bin/env python3
"""Checks by hand that the official code reads a StyleGAN2 checkpoint written by the SDK
(dev.psp.training.gan.StyleGan2Checkpoint): torch.load, then the narrow official Generator and
Discriminator (built as in make_gan_fixtures.py from args.size, args.sdk_width_divisor,
args.n_mlp) load 'g', 'g_ema' and 'd' with strict=True, torch.optim.Adam loads 'g_optim' and
'd_optim' and takes a step, g_ema renders an image, and 'latent_avg' is compared with the mean
of g_ema.style over fresh z.

Usage: /usr/bin/python3 check_gan_checkpoint.py --psp-root /tmp/psp-official CHECKPOINT.pt
"""
import argparse

import torch

import make_gan_fixtures as fx


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--psp-root', required=True)
    ap.add_argument('checkpoint')
    args = ap.parse_args()
    sg2 = fx.import_official(args.psp_root)
    ckpt = torch.load(args.checkpoint, map_location='cpu')
    print('keys:', list(ckpt.keys()))
    a = ckpt['args']
    print('args:', a)
    size, div, n_mlp, latent = a['size'], a.get('sdk_width_divisor', 1), a['n_mlp'], a['latent']
    g = fx.narrow_generator(sg2, size, latent, n_mlp, div)
    g_ema = fx.narrow_generator(sg2, size, latent, n_mlp, div)
    d = fx.narrow_discriminator(sg2, size, div)
    for name, module in (('g', g), ('g_ema', g_ema), ('d', d)):
        print(name, 'load_state_dict(strict=True):', module.load_state_dict(ckpt[name], strict=True))
    for name, module in (('g_optim', g), ('d_optim', d)):
        opt = torch.optim.Adam(module.parameters(), lr=a['lr'], betas=(0, 0.99))
        opt.load_state_dict(ckpt[name])
        group = opt.state_dict()['param_groups'][0]
        print(name, 'loaded: step', float(next(iter(opt.state.values()))['step']), 'lr', group['lr'],
              'betas', group['betas'])
        module.zero_grad()
        sum(p.sum() for p in module.parameters()).backward()
        opt.step()
    with torch.no_grad():
        img, _ = g_ema([torch.randn(2, latent)], randomize_noise=False)
        w = g_ema.style(torch.randn(4096, latent)).mean(0)
    print('g_ema image', tuple(img.shape), 'mean %.4f std %.4f' % (img.mean(), img.std()))
    avg = ckpt['latent_avg']
    print('latent_avg', tuple(avg.shape), 'max |latent_avg - mean style(z) over 4096 fresh z| = %.4f'
          ' (max |latent_avg| %.4f)' % ((avg - w).abs().max(), avg.abs().max()))


if __name__ == '__main__':
    main()
