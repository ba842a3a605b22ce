#!/usr/bin/env python3
"""Reference values for the StyleGAN2 training pieces (package dev.psp.training.gan).

The official Discriminator and Generator of rosinality's StyleGAN2 port, as vendored by
pixel2style2pixel (models/stylegan2/model.py), are imported unmodified from --psp-root. The
CUDA-only package models/stylegan2/op is replaced by pure-PyTorch equivalents injected through
sys.modules (fused_leaky_relu: add bias, leaky ReLU 0.2, times sqrt 2; upfirdn2d: zero-insertion,
padding, true convolution, subsampling). Parameter names are unchanged, so the state_dict keys
are the official ones.

The networks are built narrow (channel counts of the official tables divided by --width-divisor)
by monkeypatching: the Discriminator builds its channel table as a local variable, so while its
constructor runs the module-level names ConvLayer, ResBlock and EqualLinear are replaced by
wrappers that narrow their channel arguments and then call the official class (with the official
names restored, so nested layers are built unchanged). The Generator keeps its table in
self.channels, which a property overrides.

The training losses are not part of model.py; rosinality's train.py is written here from its
published definitions:
  d_logistic_loss(real, fake) = softplus(-real).mean() + softplus(fake).mean()
  g_nonsaturating_loss(fake)  = softplus(-fake).mean()
  d_r1_loss(real_pred, real)  = (grad(real_pred.sum(), real, create_graph=True) ** 2)
                                    .reshape(B, -1).sum(1).mean()

Output: one torch.save'd dict per case, and discriminator_shapes.json (key order and shapes of
the official discriminator at every size) under --out (default: ../resources/gan next to this
script). Deterministic for a given torch build (one thread).

Usage: /usr/bin/python3 make_gan_fixtures.py --psp-root /tmp/psp-official
"""
import argparse
import collections
import contextlib
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---- the official modules, with the pure-PyTorch op shim of psp-api's fixture scripts ------------
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..',
                                'psp-api', 'src', 'test', 'python', 'fixtures'))
sys.dont_write_bytecode = True
from make_module_fixtures import install_op_shim  # noqa: E402


def import_official(psp_root):
    install_op_shim()
    sys.path.insert(0, os.path.abspath(psp_root))
    from models.stylegan2 import model as sg2
    return sg2


# ---- narrow networks ----------------------------------------------------------------------------
def narrow(c, div):
    """The SDK's width rule max(1, c // div) (dev.psp.nn.Architecture.width). 3 (RGB) and 1 (the
    logit) stay; an odd count (features + the stddev map, 513) narrows its even part."""
    if c in (1, 3):
        return c
    if c % 2:
        return max(1, (c - 1) // div) + 1
    return max(1, c // div)


@contextlib.contextmanager
def narrow_discriminator_layers(sg2, div):
    names = ('ConvLayer', 'ResBlock', 'EqualLinear')
    originals = {n: getattr(sg2, n) for n in names}

    def restore():
        for n in names:
            setattr(sg2, n, originals[n])

    def wrapper(name):
        def make(in_c, out_c, *args, **kwargs):
            restore()
            try:
                return originals[name](narrow(in_c, div), narrow(out_c, div), *args, **kwargs)
            finally:
                install()
        return make

    def install():
        for n in names:
            setattr(sg2, n, wrapper(n))

    install()
    try:
        yield
    finally:
        restore()


def narrow_discriminator(sg2, size, div):
    with narrow_discriminator_layers(sg2, div):
        return sg2.Discriminator(size)


def narrow_generator(sg2, size, style_dim, n_mlp, div):
    table = {r: narrow(c, div) for r, c in
             {4: 512, 8: 512, 16: 512, 32: 512, 64: 512, 128: 256, 256: 128, 512: 64, 1024: 32}.items()}

    class NarrowGenerator(sg2.Generator):
        @property
        def channels(self):
            return table

        @channels.setter
        def channels(self, _official):
            pass

    return NarrowGenerator(size, style_dim, n_mlp)


def randomise(sg2, module, g):
    """Official-style weights (N(0,1)), non-zero biases so that every bias term is exercised."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith('weight') and 'noise' not in name:
                p.copy_(torch.randn(p.shape, generator=g))
            elif name.endswith('noise.weight'):
                p.copy_(0.1 + 0.3 * torch.rand(p.shape, generator=g))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
        for m in module.modules():
            if isinstance(m, sg2.EqualLinear) and m.lr_mul != 1:
                # stored as N(0,1)/lr_mul (the official init), so the effective weight is N(0,1)
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) / m.lr_mul)
                m.bias.copy_(0.2 * torch.randn(m.bias.shape, generator=g) / m.lr_mul)
        for m in module.modules():
            if isinstance(m, sg2.ModulatedConv2d):
                m.modulation.bias.copy_(1 + 0.2 * torch.randn(m.modulation.bias.shape, generator=g))
        for name, b in module.named_buffers():
            if 'noise' in name:
                b.copy_(torch.randn(b.shape, generator=g))
    return module


# ---- the losses of rosinality's train.py ----------------------------------------------------------
def d_logistic_loss(real_pred, fake_pred):
    return F.softplus(-real_pred).mean() + F.softplus(fake_pred).mean()


def g_nonsaturating_loss(fake_pred):
    return F.softplus(-fake_pred).mean()


def d_r1_loss(real_pred, real_img):
    grad_real, = torch.autograd.grad(outputs=real_pred.sum(), inputs=real_img, create_graph=True)
    return grad_real.pow(2).reshape(grad_real.shape[0], -1).sum(1).mean()


def state_dict(module):
    return collections.OrderedDict((k, v.detach().clone()) for k, v in module.state_dict().items())


def discriminator_case(sg2, size, batch, div, seed):
    g = torch.Generator().manual_seed(seed)
    d = randomise(sg2, narrow_discriminator(sg2, size, div), g)
    x = torch.randn(batch, 3, size, size, generator=g)
    weights = torch.randn(batch, 1, generator=g)
    names = [n for n, _ in d.named_parameters()]
    params = [p for _, p in d.named_parameters()]

    # outputs, and the gradients of sum(out * weights) wrt the input and every parameter
    xi = x.clone().requires_grad_(True)
    out = d(xi)
    grads = torch.autograd.grad((out * weights).sum(), [xi] + params)

    # R1: the penalty and its gradient wrt every parameter (second order, create_graph=True)
    xr = x.clone().requires_grad_(True)
    real_pred = d(xr)
    r1 = d_r1_loss(real_pred, xr)
    # the last bias does not reach the input gradient: its R1 gradient is zero
    r1_grads = torch.autograd.grad(r1, params, allow_unused=True)
    r1_grads = [torch.zeros_like(p) if gr is None else gr for p, gr in zip(params, r1_grads)]

    return {
        'config': {'size': size, 'batch': batch, 'width_divisor': div},
        'state_dict': state_dict(d),
        'x': x, 'weights': weights,
        'out': out.detach(),
        'grad_x': grads[0],
        'grad_params': collections.OrderedDict(zip(names, grads[1:])),
        'r1': r1.detach(),
        'r1_grad_params': collections.OrderedDict(zip(names, r1_grads)),
    }


def losses_case(seed):
    g = torch.Generator().manual_seed(seed)
    # logits over the range where softplus switches between its branches (threshold 20)
    real = (torch.randn(6, 1, generator=g) * 8).requires_grad_(True)
    fake = (torch.randn(6, 1, generator=g) * 8)
    fake[0, 0] = 25.0
    fake[1, 0] = -25.0
    fake.requires_grad_(True)
    d_loss = d_logistic_loss(real, fake)
    gr, gf = torch.autograd.grad(d_loss, [real, fake])
    g_loss = g_nonsaturating_loss(fake)
    gg, = torch.autograd.grad(g_loss, [fake])
    return {'real': real.detach(), 'fake': fake.detach(), 'd_loss': d_loss.detach(),
            'd_grad_real': gr, 'd_grad_fake': gf, 'g_loss': g_loss.detach(), 'g_grad_fake': gg}


def mixing_case(sg2, size, div, n_mlp, seed):
    g = torch.Generator().manual_seed(seed)
    style_dim = narrow(512, div)
    gen = randomise(sg2, narrow_generator(sg2, size, style_dim, n_mlp, div), g).eval()
    z1 = torch.randn(2, style_dim, generator=g)
    z2 = torch.randn(2, style_dim, generator=g)
    cases = {}
    with torch.no_grad():
        for inject in range(1, gen.n_latent):
            img, _ = gen([z1, z2], inject_index=inject, randomize_noise=False)
            cases[inject] = img
        single, _ = gen([z1], randomize_noise=False)
        mean_w = gen.style(torch.randn(64, style_dim, generator=g)).mean(0)
    return {'config': {'size': size, 'width_divisor': div, 'n_mlp': n_mlp, 'style_dim': style_dim},
            'state_dict': state_dict(gen), 'z1': z1, 'z2': z2,
            'mixed': [cases[i] for i in sorted(cases)], 'single': single}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--psp-root', required=True)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  '..', 'resources', 'gan'))
    args = ap.parse_args()
    torch.set_num_threads(1)
    sg2 = import_official(args.psp_root)
    os.makedirs(args.out, exist_ok=True)
    files = {
        'discriminator_32px_b4.pt': discriminator_case(sg2, 32, 4, 32, 101),
        'discriminator_16px_b8.pt': discriminator_case(sg2, 16, 8, 64, 102),
        'losses.pt': losses_case(103),
        'mixing_16px.pt': mixing_case(sg2, 16, 32, 2, 104),
    }
    # key order and shapes of the official discriminator (and narrow variants) at every size
    shapes = {
        '%d/%d' % (size, div): [[k, list(v.shape)] for k, v in
                                (sg2.Discriminator(size) if div == 1
                                 else narrow_discriminator(sg2, size, div)).state_dict().items()]
        for size in (8, 16, 32, 64, 128, 256, 512, 1024) for div in (1, 8, 64)}
    with open(os.path.join(args.out, 'discriminator_shapes.json'), 'w') as f:
        json.dump(shapes, f, separators=(',', ':'))
    for name, obj in files.items():
        path = os.path.join(args.out, name)
        torch.save(obj, path)
        print('%-28s %7d bytes' % (name, os.path.getsize(path)))


if __name__ == '__main__':
    main()
