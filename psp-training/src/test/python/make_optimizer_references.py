#!/usr/bin/env python3
"""Reference trajectories of the official Ranger and of torch.optim.Adam.

The official training/ranger.py of eladrich/pixel2style2pixel is loaded at run
time from --psp-root, unmodified, and built exactly as the official coach
builds it: Ranger(params, lr=...), all other settings at their defaults
(alpha 0.5, k 6, N_sma_threshhold 5, betas (0.95, 0.999), eps 1e-5, no weight
decay, gradient centralization on for every parameter of rank > 1).
torch.optim.Adam is built with its defaults and the same learning rate.

The problem: three parameters of rank 4, 2 and 1 (so that gradient
centralization applies to two of them and not to the third) and the loss

    loss = sum_k  sum(w_k * A_k) + 0.5 * sum((w_k - B_k)^2)

with fixed random A_k, B_k. Its gradient A_k + (w_k - B_k) is rounded the same
way by any autograd, so a reimplementation sees the same gradients as the
reference, given the same parameters.

Each optimizer takes STEPS steps. Before each step the gradients are zeroed
(optimizer.zero_grad(set_to_none=False), as the official coach does); on the
steps in ZERO_GRAD_STEPS no backward pass follows, so that step sees an all-zero
gradient (the optimizer still updates the moments and the parameters).

Output (below --out, default: ../resources/optim next to this script):
  initial/<key>.npy        the parameters before the first step (float32)
  A/<key>.npy, B/<key>.npy the loss's constants (float32)
  <optimizer>/step_<t>/<key>.npy   the parameters after step t, t in RECORDED
                           (<optimizer>: ranger, adam)

Usage:
  /usr/bin/python3 make_optimizer_references.py [--psp-root /tmp/psp-official] [--out DIR]

Deterministic for a given torch build: one thread, a seeded generator.
"""
import argparse
import importlib.util
import os
import shutil
import warnings

import numpy as np
import torch

SHAPES = {"conv.weight": (4, 3, 3, 3), "linear.weight": (5, 7), "linear.bias": (5,)}
LEARNING_RATE = 0.01
STEPS = 50
ZERO_GRAD_STEPS = (3, 9)
RECORDED = (1, 2, 3, 5, 6, 7, 9, 12, 50)
SEED = 20240611


def load_official_ranger(psp_root):
    path = os.path.join(psp_root, "training", "ranger.py")
    spec = importlib.util.spec_from_file_location("official_ranger", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Ranger


def problem():
    g = torch.Generator().manual_seed(SEED)
    draw = lambda shape: torch.randn(shape, generator=g, dtype=torch.float32)
    initial = {k: draw(s) for k, s in SHAPES.items()}
    a = {k: draw(s) for k, s in SHAPES.items()}
    b = {k: draw(s) for k, s in SHAPES.items()}
    return initial, a, b


def save(directory, tensors):
    os.makedirs(directory, exist_ok=True)
    for k, t in tensors.items():
        np.save(os.path.join(directory, k + ".npy"), t.detach().numpy().astype(np.float32))


def run(make_optimizer, initial, a, b, out):
    params = {k: torch.nn.Parameter(t.clone()) for k, t in initial.items()}
    optimizer = make_optimizer(list(params.values()))
    for t in range(1, STEPS + 1):
        optimizer.zero_grad(set_to_none=False)
        if t not in ZERO_GRAD_STEPS:
            loss = sum((params[k] * a[k]).sum() + 0.5 * ((params[k] - b[k]) ** 2).sum() for k in params)
            loss.backward()
        elif t == 1:
            raise ValueError("the first step needs gradients (torch skips parameters without .grad)")
        optimizer.step()
        if t in RECORDED:
            save(os.path.join(out, "step_%d" % t), params)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--psp-root", default="/tmp/psp-official")
    parser.add_argument("--out", default=os.path.join(here, "..", "resources", "optim"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", category=UserWarning)  # Ranger's deprecated add_/addcmul_ signatures

    ranger = load_official_ranger(args.psp_root)
    initial, a, b = problem()
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    save(os.path.join(args.out, "initial"), initial)
    save(os.path.join(args.out, "A"), a)
    save(os.path.join(args.out, "B"), b)
    run(lambda p: ranger(p, lr=LEARNING_RATE), initial, a, b, os.path.join(args.out, "ranger"))
    run(lambda p: torch.optim.Adam(p, lr=LEARNING_RATE), initial, a, b, os.path.join(args.out, "adam"))
    print("torch", torch.__version__, "->", os.path.normpath(args.out))


if __name__ == "__main__":
    main()
