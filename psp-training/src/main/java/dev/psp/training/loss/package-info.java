/**
 * The training losses of pSp (Richardson et al., "Encoding in Style", CVPR 2021), numerically equal
 * to the official {@code criteria/} code and {@code Coach.calc_loss}.
 *
 * <p>The loss networks — {@link dev.psp.training.loss.Lpips} (Zhang et al., CVPR 2018) on AlexNet or
 * VGG16, the ArcFace IR-SE backbone of {@link dev.psp.training.loss.IdLoss} (Deng et al., CVPR 2019)
 * and the MoCo v2 ResNet-50 of {@link dev.psp.training.loss.MocoLoss} (Chen et al., 2020) — are
 * written once against {@link dev.psp.nn.TensorOps}, declare their official state_dict keys as
 * {@link dev.psp.nn.Layer}s and take their widths from the weights they are given, so narrow
 * versions of the same classes serve in tests. They always run in eval mode. {@link
 * dev.psp.training.loss.PspLoss} combines the terms with the official lambdas on DJL's PyTorch
 * engine, with autograd to the generated image and the latent code.
 */
package dev.psp.training.loss;
