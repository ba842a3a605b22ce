#!/usr/bin/env python3
"""Reference values of the pSp training losses, computed by the official pSp code.

The official classes of eladrich/pixel2style2pixel (commit 5cfff385) are imported
unmodified from --psp-root: criteria/lpips (LPIPS, AlexNet, VGG16, LinLayers,
the weight renaming of utils.get_state_dict), criteria/id_loss.py (IDLoss with
models/encoders/model_irse.Backbone), criteria/moco_loss.py (MocoLoss),
criteria/w_norm.py (WNormLoss) and training/coach.py (Coach.calc_loss). Only their
surroundings are replaced, so that they run on a CPU with small random weights:

* nn.Module.to("cuda") and .cuda() return the module unchanged;
* the torchvision constructors (alexnet, vgg16, resnet50) build the torchvision
  classes with every channel count divided by a width divisor (a temporary
  subclass of torch.nn.Conv2d/BatchNorm2d/Linear divides its counts, except the 3
  RGB input channels); ResNet-50 also gets fewer blocks per stage;
* model_irse.get_blocks returns narrow stages of few units, and model_irse's
  layer constructors divide their channel counts the same way;
* helpers.Conv2d keeps at least one channel, so that SEModule's channels // 16
  is at least 1 for the narrow widths (psp-api's SEModule makes the same choice);
* the weight files the official code downloads or loads (PerceptualSimilarity
  v0.1 lin weights, model_ir_se50.pth, moco_v2_800ep_pretrain.pth.tar) are
  replaced by small random files written here in the same key layouts;
* modules that training/coach.py imports but calc_loss never uses (matplotlib,
  cv2, tensorboard, the StyleGAN2 CUDA ops) are stubs that fail if called.

Every random tensor comes from a seeded torch.Generator. The inputs are 32x32
random images, nearest-upsampled x8 to the 256x256 images that pSp trains on (the
upsampling is part of the differentiated graph, so the stored gradients are
d loss / d base image, 2x3x32x32, which keeps the files small); LPIPS is also run
on full-resolution 64x64 images.

Output (everything in --out, default ../resources/loss):
  *.pt                 weights, torch.save (zip format), official key layouts
  <name>.npy           inputs (float32)
  <case>_grad*.npy     gradients (float32)
  expected.properties  loss values and logs (Python repr of the float32 results)

Usage: /usr/bin/python3 make_loss_references.py --psp-root /tmp/psp-official [--out DIR]
"""
import argparse
import contextlib
import os
import sys
import types

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 20240611
BATCH = 2
LPIPS_ALEX_DIV = 16   # AlexNet widths 4, 12, 24, 16, 16
LPIPS_VGG_DIV = 32    # VGG16 widths 2, 4, 8, 16, 16
ID_DIV = 16           # IR-SE widths 4, 8, 16, 32, embedding 32
ID_UNITS = (1, 2, 1, 1)
MOCO_DIV = 16         # ResNet-50 stem 4, stage outputs 16, 32, 64, 128
MOCO_BLOCKS = [1, 2, 1, 1]
N_STYLES, STYLE_DIM = 6, 32


# ---------------------------------------------------------------------------
# CPU-only surroundings
# ---------------------------------------------------------------------------
def _stub(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


class _Unavailable:
    """Stands for a class the loss code imports but never uses."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError('not available in the loss reference script')


def _unavailable(*args, **kwargs):
    raise RuntimeError('not available in the loss reference script')


def install_stubs():
    mpl = _stub('matplotlib', use=lambda *a, **k: None)
    mpl.pyplot = _stub('matplotlib.pyplot')
    _stub('cv2')
    _stub('torch.utils.tensorboard', SummaryWriter=_Unavailable)
    op = _stub('models.stylegan2.op', FusedLeakyReLU=_Unavailable,
               fused_leaky_relu=_unavailable, upfirdn2d=_unavailable)
    op.__path__ = []

    original_to = nn.Module.to

    def to_cpu(self, *args, **kwargs):
        wants_cuda = any('cuda' in str(a) for a in args) or 'cuda' in str(kwargs.get('device', ''))
        return self if wants_cuda else original_to(self, *args, **kwargs)

    nn.Module.to = to_cpu
    nn.Module.cuda = lambda self, device=None: self


@contextlib.contextmanager
def narrow_torch_nn(div):
    """torch.nn.Conv2d/BatchNorm2d/BatchNorm1d/Linear with every channel count divided by div."""
    def n(c):
        return c if c == 3 else c // div

    base = {k: getattr(nn, k) for k in ('Conv2d', 'BatchNorm2d', 'BatchNorm1d', 'Linear')}

    class NarrowConv2d(base['Conv2d']):
        def __init__(self, cin, cout, *a, **k):
            super().__init__(n(cin), n(cout), *a, **k)

    class NarrowBatchNorm2d(base['BatchNorm2d']):
        def __init__(self, c, *a, **k):
            super().__init__(n(c), *a, **k)

    class NarrowBatchNorm1d(base['BatchNorm1d']):
        def __init__(self, c, *a, **k):
            super().__init__(n(c), *a, **k)

    class NarrowLinear(base['Linear']):
        def __init__(self, fin, fout, *a, **k):
            super().__init__(n(fin), n(fout), *a, **k)

    narrow = {'Conv2d': NarrowConv2d, 'BatchNorm2d': NarrowBatchNorm2d,
              'BatchNorm1d': NarrowBatchNorm1d, 'Linear': NarrowLinear}
    try:
        for k, v in narrow.items():
            setattr(nn, k, v)
        yield narrow
    finally:
        for k, v in base.items():
            setattr(nn, k, v)


def randomise(module, g):
    """Non-trivial values for every parameter kind (biases, PReLU slopes, BatchNorm statistics)."""
    with torch.no_grad():
        for name, m in module.named_modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                c = m.num_features
                if m.affine:
                    m.weight.copy_(0.6 + 0.8 * torch.rand(c, generator=g))
                    m.bias.copy_(0.2 * torch.randn(c, generator=g))
                m.running_mean.copy_(0.2 * torch.randn(c, generator=g))
                m.running_var.copy_(0.5 + torch.rand(c, generator=g))
                m.num_batches_tracked.fill_(int(torch.randint(1, 1000, (1,), generator=g)))
            elif isinstance(m, nn.PReLU):
                m.weight.copy_(0.5 * torch.rand(m.weight.shape, generator=g))
            elif isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=g))


# ---------------------------------------------------------------------------
# The official loss modules with narrow random weights
# ---------------------------------------------------------------------------
def make_lpips(net_type, div, out, g):
    """criteria.lpips.LPIPS(net_type) on a narrow torchvision backbone and random lin weights."""
    import torchvision
    from criteria.lpips import lpips, networks

    with narrow_torch_nn(div):
        tv = torchvision.models.alexnet(weights=None) if net_type == 'alex' \
            else torchvision.models.vgg16(weights=None)
    randomise(tv, g)
    features = {k: v for k, v in tv.state_dict().items() if k.startswith('features.')}
    torch.save(features, os.path.join(out, f'{net_type}_features.pt'))

    # what networks.py gets from models.alexnet(True) / models.vgg16(True)
    networks.models = types.SimpleNamespace(alexnet=lambda *a, **k: tv, vgg16=lambda *a, **k: tv)

    original_get_network = networks.get_network

    def narrow_get_network(t):
        net = original_get_network(t)
        net.n_channels_list = [c // div for c in net.n_channels_list]
        return net

    lpips.get_network = narrow_get_network

    # the PerceptualSimilarity v0.1 file layout: lin{i}.model.1.weight [1, C, 1, 1], non-negative
    taps = {'alex': [64, 192, 384, 256, 256], 'vgg': [64, 128, 256, 512, 512]}[net_type]
    lin = {f'lin{i}.model.1.weight': torch.rand(1, c // div, 1, 1, generator=g) / (c // div)
           for i, c in enumerate(taps)}
    lin_path = os.path.join(out, f'lpips_{net_type}_lin.pt')
    torch.save(lin, lin_path)

    def load_from_url(url, **kwargs):
        assert url.endswith(f'/v0.1/{net_type}.pth'), url
        return torch.load(lin_path)

    torch.hub.load_state_dict_from_url = load_from_url
    model = lpips.LPIPS(net_type=net_type).eval()
    return model


def make_id_loss(out, g):
    """criteria.id_loss.IDLoss() on a narrow IR-SE backbone."""
    from configs.paths_config import model_paths
    from criteria import id_loss
    from models.encoders import helpers, model_irse

    def narrow_get_blocks(num_layers):
        assert num_layers == 50
        w = [64 // ID_DIV, 128 // ID_DIV, 256 // ID_DIV, 512 // ID_DIV]
        ins = [w[0]] + w[:3]
        return [helpers.get_block(in_channel=i, depth=d, num_units=u) for i, d, u in zip(ins, w, ID_UNITS)]

    class AtLeastOneChannelConv2d(nn.Conv2d):
        def __init__(self, cin, cout, *a, **k):
            super().__init__(max(1, cin), max(1, cout), *a, **k)

    model_irse.get_blocks = narrow_get_blocks
    helpers.Conv2d = AtLeastOneChannelConv2d
    with narrow_torch_nn(ID_DIV) as narrow:
        for k, v in narrow.items():
            setattr(model_irse, k, v)
        original_prelu = model_irse.PReLU
        model_irse.PReLU = lambda c: original_prelu(c // ID_DIV)
        backbone = model_irse.Backbone(input_size=112, num_layers=50, drop_ratio=0.6, mode='ir_se')
    randomise(backbone, g)
    path = os.path.join(out, 'model_ir_se50.pt')
    torch.save(backbone.state_dict(), path)
    model_paths['ir_se50'] = path
    return id_loss.IDLoss().eval()


def make_moco_loss(out, g):
    """criteria.moco_loss.MocoLoss() on a narrow, short torchvision ResNet-50 from a MoCo v2 file."""
    import torchvision
    from torchvision.models import resnet
    from configs.paths_config import model_paths
    from criteria import moco_loss

    def narrow_resnet50(**kwargs):
        with narrow_torch_nn(MOCO_DIV):
            return resnet.ResNet(resnet.Bottleneck, MOCO_BLOCKS, **kwargs)

    # the MoCo v2 checkpoint: encoder_q with its 2-layer MLP head (fc.0, fc.2), plus other entries
    encoder_q = narrow_resnet50(num_classes=128)
    with narrow_torch_nn(MOCO_DIV):
        dim_mlp = encoder_q.fc.weight.shape[1] * MOCO_DIV
        encoder_q.fc = nn.Sequential(nn.Linear(dim_mlp, dim_mlp), nn.ReLU(), encoder_q.fc)
    randomise(encoder_q, g)
    state = {'module.encoder_q.' + k: v for k, v in encoder_q.state_dict().items()}
    state['module.queue'] = torch.randn(128 // MOCO_DIV, 16, generator=g)
    state['module.queue_ptr'] = torch.zeros(1, dtype=torch.long)
    path = os.path.join(out, 'moco_v2.pt')
    torch.save({'epoch': 800, 'arch': 'resnet50', 'state_dict': state}, path)

    torchvision.models.resnet50 = lambda **kwargs: narrow_resnet50(**kwargs)
    model_paths['moco'] = path
    return moco_loss.MocoLoss().eval()


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------
class Recorder:
    def __init__(self, out):
        self.out = out
        self.props = []

    def value(self, key, v):
        self.props.append(f'{key}={float(v)!r}')

    def npy(self, name, t):
        np.save(os.path.join(self.out, name + '.npy'), t.detach().numpy().astype(np.float32))

    def write(self):
        with open(os.path.join(self.out, 'expected.properties'), 'w') as f:
            f.write('# written by make_loss_references.py from the official pSp loss code; do not edit\n')
            f.write('\n'.join(self.props) + '\n')


def up8(base):
    return F.interpolate(base, scale_factor=8, mode='nearest')


def check_nearest_indices():
    """The index rule the Java NearestResize uses equals torch's, for the sizes the tests use."""
    for n_in, n_out in [(32, 256), (256, 224), (64, 224), (188, 112), (7, 5)]:
        x = torch.arange(n_in, dtype=torch.float32).view(1, 1, 1, n_in)
        got = F.interpolate(x, size=(1, n_out), mode='nearest').view(-1).long().numpy()
        scale = np.float32(n_in) / np.float32(n_out)
        want = np.minimum(np.floor(np.arange(n_out, dtype=np.float32) * scale).astype(np.int64), n_in - 1)
        if n_out == 2 * n_in:
            want = np.arange(n_out) >> 1
        assert (got == want).all(), (n_in, n_out)


def grad_of(loss_fn, *leaves):
    for t in leaves:
        t.grad = None
    loss = loss_fn()
    loss.backward()
    return loss, [t.grad.clone() for t in leaves]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--psp-root', required=True)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  '..', 'resources', 'loss'))
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    sys.path.insert(0, os.path.abspath(args.psp_root))
    install_stubs()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    check_nearest_indices()

    g = torch.Generator().manual_seed(SEED)
    rec = Recorder(out)

    def uniform(*shape):
        return torch.rand(*shape, generator=g) * 2 - 1

    def image(*shape):
        # each image and channel with its own contrast and brightness, so that even pooled features
        # (MoCo) tell the images apart
        contrast = 0.3 + 0.7 * torch.rand(shape[0], shape[1], 1, 1, generator=g)
        brightness = torch.rand(shape[0], shape[1], 1, 1, generator=g) - 0.5
        return uniform(*shape) * contrast + brightness

    base = {k: image(BATCH, 3, 32, 32) for k in ('y_hat', 'y', 'x')}
    for k, v in base.items():
        rec.npy(k + '_base', v)
    y_hat_base = base['y_hat'].clone().requires_grad_(True)
    y, x = up8(base['y']), up8(base['x'])
    latent = torch.randn(BATCH, N_STYLES, STYLE_DIM, generator=g).requires_grad_(True)
    latent_avg = torch.randn(N_STYLES, STYLE_DIM, generator=g)
    rec.npy('latent', latent)
    rec.npy('latent_avg', latent_avg)
    y64_hat = image(BATCH, 3, 64, 64).requires_grad_(True)
    y64 = image(BATCH, 3, 64, 64)
    rec.npy('y_hat_64', y64_hat)
    rec.npy('y_64', y64)

    def crop(t):
        return t[:, :, 35:223, 32:220]

    # --- L2 and its crop variant (coach.calc_loss: F.mse_loss)
    for name, fn in [('l2', lambda: F.mse_loss(up8(y_hat_base), y)),
                     ('l2_crop', lambda: F.mse_loss(crop(up8(y_hat_base)), crop(y)))]:
        loss, (gr,) = grad_of(fn, y_hat_base)
        rec.value(name, loss)
        rec.npy(name + '_grad', gr)

    # --- W-norm, both start_from_latent_avg settings
    from criteria.w_norm import WNormLoss
    for flag in (True, False):
        name = 'w_norm' if flag else 'w_norm_no_avg'
        loss, (gr,) = grad_of(lambda: WNormLoss(start_from_latent_avg=flag)(latent, latent_avg), latent)
        rec.value(name, loss)
        rec.npy(name + '_grad', gr)

    # --- LPIPS
    lp = {'alex': make_lpips('alex', LPIPS_ALEX_DIV, out, g), 'vgg': make_lpips('vgg', LPIPS_VGG_DIV, out, g)}
    cases = [('lpips_alex', lambda: lp['alex'](up8(y_hat_base), y), y_hat_base),
             ('lpips_alex_crop', lambda: lp['alex'](crop(up8(y_hat_base)), crop(y)), y_hat_base),
             ('lpips_vgg', lambda: lp['vgg'](up8(y_hat_base), y), y_hat_base),
             ('lpips_alex_64', lambda: lp['alex'](y64_hat, y64), y64_hat),
             ('lpips_vgg_64', lambda: lp['vgg'](y64_hat, y64), y64_hat)]
    for name, fn, leaf in cases:
        loss, (gr,) = grad_of(fn, leaf)
        rec.value(name, loss)
        rec.npy(name + '_grad', gr)
        assert gr.abs().max() > 0 and torch.isfinite(gr).all(), name

    # --- ID and MoCo: loss, improvement, per-sample logs, gradient
    id_l = make_id_loss(out, g)
    moco_l = make_moco_loss(out, g)
    for name, module in [('id', id_l), ('moco', moco_l)]:
        y_hat_base.grad = None
        loss, improvement, logs = module(up8(y_hat_base), y, x)
        loss.backward()
        rec.value(name, loss)
        rec.value(name + '.improvement', improvement)
        for i, log in enumerate(logs):
            for k in ('diff_target', 'diff_input', 'diff_views'):
                rec.value(f'{name}.{i}.{k}', log[k])
        rec.npy(name + '_grad', y_hat_base.grad)

    # --- coach.calc_loss, the official combination
    from criteria.w_norm import WNormLoss as WN
    from training.coach import Coach
    configs = {
        'calc_id': dict(l2_lambda=1.0, lpips_lambda=0.8, id_lambda=0.1, w_norm_lambda=0.005,
                        lpips_lambda_crop=0.6, l2_lambda_crop=0.5, moco_lambda=0.0),
        'calc_moco': dict(l2_lambda=1.0, lpips_lambda=0.0, id_lambda=0.0, w_norm_lambda=0.025,
                          lpips_lambda_crop=0.0, l2_lambda_crop=0.0, moco_lambda=0.5),
    }
    for name, lambdas in configs.items():
        for k, v in lambdas.items():
            rec.value(f'{name}.opts.{k}', v)
        coach = types.SimpleNamespace(
            opts=types.SimpleNamespace(start_from_latent_avg=True, **lambdas),
            mse_loss=nn.MSELoss().eval(), lpips_loss=lp['alex'], id_loss=id_l, moco_loss=moco_l,
            w_norm_loss=WN(start_from_latent_avg=True), net=types.SimpleNamespace(latent_avg=latent_avg))
        y_hat_base.grad = None
        latent.grad = None
        loss, loss_dict, _ = Coach.calc_loss(coach, x, y, up8(y_hat_base), latent)
        loss.backward()
        for k, v in loss_dict.items():
            rec.value(f'{name}.{k}', v)
        rec.npy(name + '_grad', y_hat_base.grad)
        rec.npy(name + '_grad_latent', latent.grad)

    rec.write()
    total = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(f'wrote {len(os.listdir(out))} files, {total / 1e6:.3f} MB, to {out}')


if __name__ == '__main__':
    main()
