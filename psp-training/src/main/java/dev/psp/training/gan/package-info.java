/**
 * StyleGAN2 training (Karras et al., "Analyzing and Improving the Image Quality of StyleGAN", CVPR
 * 2020) as rosinality's stylegan2-pytorch train.py does it, to make the StyleGAN2 checkpoint pSp
 * starts from.
 *
 * <ul>
 *   <li>The {@link dev.psp.training.gan.Discriminator} ({@link dev.psp.training.gan.ConvLayer},
 *       {@link dev.psp.training.gan.ResBlock}, {@link dev.psp.training.gan.EqualConv2d}, {@link
 *       dev.psp.training.gan.MinibatchStddev}) written against {@link dev.psp.nn.TensorOps} with the
 *       official state_dict keys; the generator is {@link dev.psp.nn.stylegan2.Generator}, both
 *       sized by a {@link dev.psp.training.gan.StyleGan2Config}.
 *   <li>{@link dev.psp.training.gan.GanLosses} (logistic), {@link dev.psp.training.gan.R1Penalty}
 *       (exact second-order gradient through the forward-mode {@link dev.psp.training.gan.JvpOps}),
 *       {@link dev.psp.training.gan.MixingNoise}, {@link dev.psp.training.gan.Ema}.
 *   <li>{@link dev.psp.training.gan.StyleGan2Trainer} over an {@link
 *       dev.psp.training.data.ImageSource}, saving a {@link dev.psp.training.gan.StyleGan2Checkpoint}
 *       in train.py's layout ({@code g, d, g_ema, g_optim, d_optim, args}, plus {@code latent_avg}).
 * </ul>
 *
 * <p>Not implemented: path-length regularisation, adaptive augmentation (ADA), multi-GPU.
 */
package dev.psp.training.gan;
