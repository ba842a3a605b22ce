/**
 * The pSp encoders (models/encoders in the official code): the IR-SE-50 backbone ({@link
 * dev.psp.nn.encoder.BottleneckIRSE}, {@link dev.psp.nn.encoder.SEModule}, {@link
 * dev.psp.nn.encoder.IRSE50Body}), the feature-pyramid {@link
 * dev.psp.nn.encoder.GradualStyleEncoder} with its {@link dev.psp.nn.encoder.GradualStyleBlock}
 * heads, the two ablation encoders, e4e's {@link dev.psp.nn.encoder.Encoder4Editing}, ReStyle's
 * {@link dev.psp.nn.encoder.BackboneEncoder}s on an IR-SE-50 or ResNet-34 {@link
 * dev.psp.nn.encoder.Backbone}, and the PyTorch primitives they use in eval mode.
 */
package dev.psp.nn.encoder;
