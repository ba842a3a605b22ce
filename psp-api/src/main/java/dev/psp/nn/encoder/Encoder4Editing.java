package dev.psp.nn.encoder;

import dev.psp.EncoderType;
import dev.psp.nn.Architecture;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * The e4e encoder ({@code psp_encoders.Encoder4Editing}, Tov et al., "Designing an Encoder for
 * StyleGAN Image Manipulation", SIGGRAPH 2021): pSp's IR-SE-50 and feature pyramid — the same
 * modules and keys as {@link GradualStyleEncoder}, which it reuses — but the code is one w from head
 * 0 on c3 plus, for every later row i, the delta of head i ({@link ProgressiveDeltas}); heads 1–2 read
 * c3, 3–6 p2 and 7.. p1. The {@code stage} is e4e's progressive training stage: rows above it keep w0;
 * inference applies every delta. Immutable and thread-safe.
 */
public final class Encoder4Editing implements Encoder {
  private final GradualStyleEncoder pyramid;
  private final int stage;
  private final int styleDim;

  /** The encoder at the inference stage (every delta). */
  public Encoder4Editing(String prefix, int inputNc, int nStyles, Architecture arch) {
    this(prefix, inputNc, nStyles, arch, ProgressiveDeltas.INFERENCE_STAGE);
  }

  /** The encoder at a progressive stage: 0 trains w alone, k adds the deltas of rows 1..k. */
  public Encoder4Editing(String prefix, int inputNc, int nStyles, Architecture arch, int stage) {
    if (stage < 0) {
      throw new IllegalArgumentException("the progressive stage must be >= 0, got " + stage);
    }
    this.pyramid = new GradualStyleEncoder(prefix, inputNc, nStyles, arch);
    this.stage = stage;
    this.styleDim = arch.styleDim();
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(pyramid);
  }

  @Override
  public <T> T forward(TensorOps<T> ops, T x) {
    Encoder.checkInput(ops.shape(x), inputNc(), "Encoder4Editing");
    List<T> taps = pyramid.taps(ops, x);
    List<T> maps = new ArrayList<>(List.of(taps.get(2)));
    return ProgressiveDeltas.combine(ops, nStyles(), stage, styleDim, i -> {
      if (i == GradualStyleEncoder.COARSE_IND || i == GradualStyleEncoder.MIDDLE_IND) {
        // built when the first row that reads the map is reached, as the official forward does
        maps.add(pyramid.pyramidLevel(ops, maps.get(maps.size() - 1), taps, i));
      }
      T features = maps.get(maps.size() - 1);
      return ops.scoped(() -> pyramid.style(ops, i, features));
    });
  }

  /** The progressive stage (18 = {@code ProgressiveStage.Inference}). */
  public int stage() {
    return stage;
  }

  @Override
  public int nStyles() {
    return pyramid.nStyles();
  }

  @Override
  public int inputNc() {
    return pyramid.inputNc();
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
    return "Encoder4Editing(input_nc=" + inputNc() + ", n_styles=" + nStyles() + ", stage=" + stage + ")";
  }
}
