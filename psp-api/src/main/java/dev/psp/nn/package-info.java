/**
 * The single definition of every pSp network, written once against {@link dev.psp.nn.TensorOps} and
 * shared by all engines, the ONNX exporter and training. Class and field names follow the paper and
 * the official state_dict keys.
 *
 * <p>Start at {@link dev.psp.nn.PspNetwork}. Each module is a {@link dev.psp.nn.Layer}: constructed
 * with its key prefix and configuration, it declares its state_dict entries into a {@link
 * dev.psp.nn.StateDictSpec} (used to validate checkpoints) and computes its forward pass through
 * the ops. Shared primitives here: {@link dev.psp.nn.AdaptiveAvgPool2d} and {@link
 * dev.psp.nn.BilinearResize}. The encoders are in {@link dev.psp.nn.encoder}, the StyleGAN2 decoder
 * in {@link dev.psp.nn.stylegan2}.
 */
package dev.psp.nn;
