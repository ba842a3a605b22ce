package dev.psp.nn.encoder;

import dev.psp.EncoderType;
import dev.psp.nn.Architecture;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * The e4e encoder ({@code psp_encoders.Encoder4Editing}, Tov et al., "Designing an Encoder for
 * StyleGAN Image Manipulation", SIGGRAPH 2021): pSp's IR-SE-50 and feature pyramid ({@link
 * GradualStyleEncoder}'s taps, lateral layers and heads), but the code is one w from head 0 on c3 plus,
 * for every later row i, the delta of head i ({@link ProgressiveDeltas}); heads 1–2 read c3, 3–6 p2 and
 * 7.. p1. The {@code stage} is e4e's progressive training stage: rows above it keep w0; inference
 * applies every delta. Immutable and thread-safe.
 */
public final class Encoder4Editing implements Encoder {
  private final String prefix;
  private final int inputNc;
  private final int nStyles;
  private final int styleDim;
  private final int stage;
  private final InputLayer inputLayer;
  private final IRSE50Body body;
  private final List<GradualStyleBlock> styles = new ArrayList<>();
  private final Conv2d latlayer1;
  private final Conv2d latlayer2;

  /** The encoder at the inference stage (every delta). */
  public Encoder4Editing(String prefix, int inputNc, int nStyles, Architecture arch) {
    this(prefix, inputNc, nStyles, arch, ProgressiveDeltas.INFERENCE_STAGE);
  }

  /** The encoder at a progressive stage: 0 trains w alone, k adds the deltas of rows 1..k. */
  public Encoder4Editing(String prefix, int inputNc, int nStyles, Architecture arch, int stage) {
    if (inputNc < 1 || nStyles < 1 || stage < 0) {
      throw new IllegalArgumentException("input_nc, n_styles and stage must be positive, got " + inputNc
          + ", " + nStyles + ", " + stage);
    }
    this.prefix = prefix;
    this.inputNc = inputNc;
    this.nStyles = nStyles;
    this.styleDim = arch.styleDim();
    this.stage = stage;
    int[] w = arch.bodyWidths();
    this.inputLayer = new InputLayer(prefix + "input_layer.", inputNc, w[0]);
    this.body = new IRSE50Body(prefix + "body.", arch);
    for (int i = 0; i < nStyles; i++) {
      int spatial = i < GradualStyleEncoder.COARSE_IND ? 16 : i < GradualStyleEncoder.MIDDLE_IND ? 32 : 64;
      styles.add(new GradualStyleBlock(prefix + "styles." + i + ".", w[3], styleDim, spatial));
    }
    this.latlayer1 = new Conv2d(prefix + "latlayer1.", w[2], w[3], 1, 1, 0, true);
    this.latlayer2 = new Conv2d(prefix + "latlayer2.", w[1], w[3], 1, 1, 0, true);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(inputLayer).add(body);
    for (GradualStyleBlock s : styles) {
      spec.add(s);
    }
    spec.add(latlayer1).add(latlayer2);
  }

  @Override
  public <T> T forward(TensorOps<T> ops, T x) {
    Encoder.checkInput(ops.shape(x), inputNc, "Encoder4Editing");
    List<T> c = body.stageOutputs(ops, ops.scoped(() -> inputLayer.forward(ops, x)));
    T c1 = c.get(1);
    T c2 = c.get(2);
    T c3 = c.get(3);
    List<T> pyramid = new ArrayList<>(List.of(c3));
    return ProgressiveDeltas.combine(ops, nStyles, stage, styleDim, i -> {
      if (i == GradualStyleEncoder.MIDDLE_IND || i == GradualStyleEncoder.COARSE_IND) {
        // the FPN's middle (p2) and fine (p1) maps, built when the first row that reads them is reached
        T prev = pyramid.get(pyramid.size() - 1);
        T lateral = i == GradualStyleEncoder.COARSE_IND ? c2 : c1;
        Conv2d lat = i == GradualStyleEncoder.COARSE_IND ? latlayer1 : latlayer2;
        pyramid.add(ops.scoped(() -> GradualStyleEncoder.upsampleAdd(ops, prev, lat.forward(ops, lateral))));
      }
      T features = pyramid.get(pyramid.size() - 1);
      return ops.scoped(() -> styles.get(i).forward(ops, features));
    });
  }

  /** The progressive stage (18 = {@code ProgressiveStage.Inference}). */
  public int stage() {
    return stage;
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
    return EncoderType.ENCODER4EDITING;
  }

  @Override
  public String toString() {
    return "Encoder4Editing(" + prefix + ", input_nc=" + inputNc + ", n_styles=" + nStyles + ", stage=" + stage + ")";
  }
}
