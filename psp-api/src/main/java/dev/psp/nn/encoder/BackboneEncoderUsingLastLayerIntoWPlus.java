package dev.psp.nn.encoder;

import dev.psp.nn.Architecture;

import dev.psp.EncoderType;

import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.nn.stylegan2.EqualLinear;

/**
 * The naive W+ ablation encoder ({@code psp_encoders.BackboneEncoderUsingLastLayerIntoWPlus}):
 * {@code input_layer} → IR-SE-50 {@code body} → {@link OutputLayer2} ({@code [B,512]}) → {@code
 * EqualLinear(512, 512·n_styles)} → {@code [B,n_styles,512]}. Keys in official order: {@code
 * input_layer}, {@code output_layer_2}, {@code linear}, {@code body}. Immutable and thread-safe.
 */
public final class BackboneEncoderUsingLastLayerIntoWPlus implements Encoder {
  private final String prefix;
  private final int inputNc;
  private final int nStyles;
  private final int styleDim;
  private final InputLayer inputLayer;
  private final OutputLayer2 outputLayer2;
  private final EqualLinear linear;
  private final IRSE50Body body;

  /** The official encoder with keys under {@code prefix}. */
  public BackboneEncoderUsingLastLayerIntoWPlus(String prefix, int inputNc, int nStyles) {
    this(prefix, inputNc, nStyles, Architecture.OFFICIAL);
  }

  /** The encoder of an architecture. */
  public BackboneEncoderUsingLastLayerIntoWPlus(String prefix, int inputNc, int nStyles, Architecture arch) {
    this.prefix = prefix;
    this.inputNc = inputNc;
    this.nStyles = nStyles;
    this.styleDim = arch.styleDim();
    int[] w = arch.bodyWidths();
    this.inputLayer = new InputLayer(prefix + "input_layer.", inputNc, w[0]);
    this.outputLayer2 = new OutputLayer2(prefix + "output_layer_2.", w[3], styleDim);
    this.linear = new EqualLinear(prefix + "linear.", styleDim, styleDim * nStyles);
    this.body = new IRSE50Body(prefix + "body.", arch);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(inputLayer).add(outputLayer2).add(linear).add(body);
  }

  @Override
  public <T> T forward(TensorOps<T> ops, T x) {
    Encoder.checkInput(ops.shape(x), inputNc, "BackboneEncoderUsingLastLayerIntoWPlus");
    T f = body.forward(ops, ops.scoped(() -> inputLayer.forward(ops, x)));
    T codes = linear.forward(ops, outputLayer2.forward(ops, f));
    return ops.reshape(codes, -1, nStyles, styleDim);
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
    return false;
  }

  @Override
  public EncoderType type() {
    return EncoderType.INTO_W_PLUS;
  }

  @Override
  public String toString() {
    return "BackboneEncoderUsingLastLayerIntoWPlus(" + prefix + ", num_layers=50, mode=ir_se, input_nc="
        + inputNc + ", n_styles=" + nStyles + ")";
  }
}
