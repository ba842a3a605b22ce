#!/usr/bin/env python3
"""Makes the preprocessing fixtures in ../resources/image with the official pipeline's own libraries.

Run with Debian's python3 (python3-torch, python3-torchvision, python3-pil):
    /usr/bin/python3 psp-api/src/test/python/make_image_fixtures.py
Inputs are drawn from a seeded generator; expected outputs come from torchvision's Resize((256, 256)),
ToTensor and Normalize on PIL images, i.e. the official configs/transforms_config.py transforms.
Only the 8-bit resized planes are stored (the float steps are checked from them), to keep files small.
"""
import os

import numpy as np
from PIL import Image
import torchvision.transforms as T

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'image')
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(7)


def smooth(h, w, c):
    """A smooth random field plus a little noise: compresses well, still exercises every filter tap."""
    y, x = np.mgrid[0:h, 0:w]
    img = np.zeros((h, w, c))
    for k in range(c):
        a, b, p = rng.uniform(0.01, 0.08, 3)
        img[..., k] = 127 + 100 * np.sin(a * x + p) * np.cos(b * y)
    img += rng.normal(0, 3, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


resize = T.Resize((256, 256))
rgb_tf = T.Compose([T.Resize((256, 256)), T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])
sketch_tf = T.Compose([T.Resize((256, 256)), T.ToTensor()])

cases = {
    'rgb_down_411x333': Image.fromarray(smooth(333, 411, 3), 'RGB'),
    'rgb_up_97x61': Image.fromarray(smooth(61, 97, 3), 'RGB'),
    'rgba_300x200': Image.fromarray(np.dstack([smooth(200, 300, 3), smooth(200, 300, 1)]), 'RGBA'),
}
for name, im in cases.items():
    im.save(os.path.join(out, name + '.png'))
    x = rgb_tf(im.convert('RGB')).numpy().astype('<f4')
    planes = np.round((x * 0.5 + 0.5) * 255).astype(np.uint8)
    np.save(os.path.join(out, name + '.expected_u8.npy'), planes)
    # float check: a few exact values of the official tensor
    np.save(os.path.join(out, name + '.expected_head.npy'), x.reshape(-1)[:4096].copy())

sketch_rgb = Image.fromarray(smooth(384, 384, 3), 'RGB')
sketch_rgb.save(os.path.join(out, 'sketch_rgb_384.png'))
s = sketch_tf(sketch_rgb.convert('L')).numpy().astype('<f4')
np.save(os.path.join(out, 'sketch_rgb_384.expected_u8.npy'), np.round(s * 255).astype(np.uint8))

sketch_gray = Image.fromarray(smooth(300, 280, 1)[..., 0], 'L')
sketch_gray.save(os.path.join(out, 'sketch_gray_280x300.png'))
np.save(os.path.join(out, 'sketch_gray_280x300.expected_u8.npy'),
        np.round(sketch_tf(sketch_gray).numpy() * 255).astype(np.uint8))

# a label map of 19 classes in blocks; resized bilinear like the official code, then one-hot
labels = (np.add.outer(np.arange(512) // 32, np.arange(512) // 48) % 19).astype(np.uint8)
lab = Image.fromarray(labels, 'L')
lab.save(os.path.join(out, 'labels_512.png'))
np.save(os.path.join(out, 'labels_512.expected_ids.npy'), np.array(resize(lab.convert('L'))).astype(np.uint8))
print('wrote', sorted(os.listdir(out)))

# super-resolution degradation: the official BicubicDownSample path for factors 4 and 16
import sys
import torch
sys.path.insert(0, os.environ.get('PSP_ROOT', '/tmp/psp-official'))
from datasets.augmentations import BilinearResize  # noqa: E402  (official code, imported unmodified)

src = Image.open(os.path.join(out, 'rgb_down_411x333.png')).convert('RGB')
for f in (4, 16):
    tf = T.Compose([T.Resize((256, 256)), BilinearResize(factors=[f]), T.Resize((256, 256))])
    np.save(os.path.join(out, 'superres_x%d.expected_u8.npy' % f), np.array(tf(src)).astype(np.uint8))
print('wrote super-resolution fixtures')
