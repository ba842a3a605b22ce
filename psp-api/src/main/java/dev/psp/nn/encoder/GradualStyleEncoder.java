package dev.psp.nn.encoder;

import dev.psp.EncoderType;

import dev.psp.nn.Architecture;
import dev.psp.nn.BilinearResize;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * The pSp encoder ({@code psp_encoders.GradualStyleEncoder}, Richardson et al. 2021, Fig. 2):
 * {@code input_layer} → IR-SE-50 {@code body} with feature-pyramid taps c1 (body[6], 64×64), c2
 * (body[20], 32×32) and c3 (body[23], 16×16); {@code p2 = upsample_add(c3, latlayer1(c2))}, {@code
 * p1 = upsample_add(p2, latlayer2(c1))} with bilinear align_corners=True resizing; styles 0–2 from
 * c3, 3–6 from p2 and 7..n-1 from p1, each through its own {@link GradualStyleBlock}; stacked into
 * W+ codes {@code [B,n_styles,512]}. Immutable and thread-safe.
 */
public final class GradualStyleEncoder implements Encoder {
  /** Styles below this index come from c3 (16×16). */
  public static final int COARSE_IND = 3;
  /** Styles below this index (and from COARSE_IND) come from p2 (32×32); the rest from p1. */
  public static final int MIDDLE_IND = 7;

  private final String prefix;
  private final int inputNc;
  private final int nStyles;
  private final int styleDim;
  private final InputLayer inputLayer;
  private final IRSE50Body body;
  private final List<GradualStyleBlock> styles = new ArrayList<>();
  private final Conv2d latlayer1;
  private final Conv2d latlayer2;

  /** The official encoder with keys under {@code prefix} (e.g. {@code encoder.}). */
  public GradualStyleEncoder(String prefix, int inputNc, int nStyles) {
    this(prefix, inputNc, nStyles, Architecture.OFFICIAL);
  }

  /** The encoder of an architecture (widths scaled, units per stage as given). */
  public GradualStyleEncoder(String prefix, int inputNc, int nStyles, Architecture arch) {
    if (inputNc < 1 || nStyles < 1) {
      throw new IllegalArgumentException("input_nc and n_styles must be positive, got " + inputNc
          + ", " + nStyles);
    }
    this.prefix = prefix;
    this.inputNc = inputNc;
    this.nStyles = nStyles;
    this.styleDim = arch.styleDim();
    int[] w = arch.bodyWidths();
    this.inputLayer = new InputLayer(prefix + "input_layer.", inputNc, w[0]);
    this.body = new IRSE50Body(prefix + "body.", arch);
    for (int i = 0; i < nStyles; i++) {
      int spatial = i < COARSE_IND ? 16 : i < MIDDLE_IND ? 32 : 64;
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
    Encoder.checkInput(ops.shape(x), inputNc, "GradualStyleEncoder");
    List<T> c = taps(ops, x);
    List<T> latents = new ArrayList<>(nStyles);
    T features = c.get(2);
    for (int j = 0; j < nStyles; j++) {
      if (j == COARSE_IND || j == MIDDLE_IND) {
        features = pyramidLevel(ops, features, c, j);
      }
      T f = features;
      int row = j;
      latents.add(ops.scoped(() -> ops.reshape(style(ops, row, f), -1, 1, styleDim)));
    }
    return ops.concat(latents, 1);
  }

  /**
   * The body's pyramid taps of x: c1 (body[6], 64×64), c2 (body[20], 32×32), c3 (body[23], 16×16),
   * in that order.
   */
  <T> List<T> taps(TensorOps<T> ops, T x) {
    List<T> c = body.stageOutputs(ops, ops.scoped(() -> inputLayer.forward(ops, x)));
    return List.of(c.get(1), c.get(2), c.get(3));
  }

  /**
   * The map the heads from row {@code row} on read, built from the previous one: p2 from c3 and c2
   * at {@link #COARSE_IND}, p1 from p2 and c1 at {@link #MIDDLE_IND}.
   */
  <T> T pyramidLevel(TensorOps<T> ops, T previous, List<T> taps, int row) {
    boolean middle = row == COARSE_IND;
    Conv2d lat = middle ? latlayer1 : latlayer2;
    T lateral = taps.get(middle ? 1 : 0);
    return ops.scoped(() -> upsampleAdd(ops, previous, lat.forward(ops, lateral)));
  }

  /** Head j's output {@code [B, dim]} on its pyramid map. */
  <T> T style(TensorOps<T> ops, int j, T features) {
    return styles.get(j).forward(ops, features);
  }

  /**
   * The FPN merge {@code _upsample_add(x, y)}: x resized bilinearly (align_corners=True) to the
   * spatial size of y, plus y.
   */
  public static <T> T upsampleAdd(TensorOps<T> ops, T x, T y) {
    long[] s = ops.shape(y);
    return ops.add(BilinearResize.resize(ops, x, Math.toIntExact(s[2]), Math.toIntExact(s[3])), y);
  }

  /** The map2style heads, style j at index j. */
  public List<GradualStyleBlock> styles() {
    return List.copyOf(styles);
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
    return EncoderType.GRADUAL_STYLE;
  }

  @Override
  public String toString() {
    return "GradualStyleEncoder(" + prefix + ", num_layers=50, mode=ir_se, input_nc=" + inputNc
        + ", n_styles=" + nStyles + ", coarse_ind=" + COARSE_IND + ", middle_ind=" + MIDDLE_IND + ")";
  }
}
