package dev.psp.nn.encoder;

import dev.psp.nn.Architecture;

import dev.psp.EncoderType;

import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.nn.stylegan2.EqualLinear;

/**
 * The W ablation encoder ({@code psp_encoders.BackboneEncoderUsingLastLayerIntoW}, used with {@code
 * learn_in_w}): {@code input_layer} → IR-SE-50 {@code body} → global average pool → {@code [B,512]}
 * → {@code EqualLinear(512, 512)}; the single W code is repeated over all rows by the generator.
 * Keys in official order: {@code input_layer}, {@code linear}, {@code body}. Immutable and
 * thread-safe.
 */
public final class BackboneEncoderUsingLastLayerIntoW implements Encoder {
  private final String prefix;
  private final int inputNc;
  private final int nStyles;
  private final int styleDim;
  private final InputLayer inputLayer;
  private final EqualLinear linear;
  private final IRSE50Body body;

  /** The official encoder with keys under {@code prefix}; {@code nStyles} is what the decoder expands to. */
  public BackboneEncoderUsingLastLayerIntoW(String prefix, int inputNc, int nStyles) {
    this(prefix, inputNc, nStyles, Architecture.OFFICIAL);
  }

  /** The encoder of an architecture. */
  public BackboneEncoderUsingLastLayerIntoW(String prefix, int inputNc, int nStyles, Architecture arch) {
    this.prefix = prefix;
    this.inputNc = inputNc;
    this.nStyles = nStyles;
    this.styleDim = arch.styleDim();
    this.inputLayer = new InputLayer(prefix + "input_layer.", inputNc, arch.bodyWidths()[0]);
    this.linear = new EqualLinear(prefix + "linear.", arch.bodyWidths()[3], styleDim);
    this.body = new IRSE50Body(prefix + "body.", arch);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(inputLayer).add(linear).add(body);
  }

  @Override
  public <T> T forward(TensorOps<T> ops, T x) {
    Encoder.checkInput(ops.shape(x), inputNc, "BackboneEncoderUsingLastLayerIntoW");
    T f = body.forward(ops, ops.scoped(() -> inputLayer.forward(ops, x)));
    T pooled = ops.reshape(ops.mean(f, new int[] {2, 3}, false), -1, body.outChannels());
    return linear.forward(ops, pooled);
  }

  @Override
  public int nStyles() {
    return nStyles;
  }

  @Override
  public int inputNc() {
    return inputNc;
  }

  @Override
  public boolean learnInW() {
    return true;
  }

  @Override
  public EncoderType type() {
    return EncoderType.INTO_W;
  }

  @Override
  public String toString() {
    return "BackboneEncoderUsingLastLayerIntoW(" + prefix + ", num_layers=50, mode=ir_se, input_nc="
        + inputNc + ", output=[B,512])";
  }
}
