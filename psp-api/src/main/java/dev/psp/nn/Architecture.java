package dev.psp.nn;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The widths and depths of a pSp network. {@link #OFFICIAL} is the architecture of the paper and of
 * every official checkpoint; smaller ones (fewer channels, fewer residual units, a shorter mapping
 * network) make models small enough for tests, demos and training on a laptop.
 *
 * <p>A non-official architecture is recorded in a checkpoint's {@code opts} under the keys of
 * {@link #toOpts()} ({@code sdk_width_divisor}, {@code sdk_body_units}, {@code sdk_n_mlp}, and {@code
 * sdk_encoder_width_divisor} when the encoder has its own), so the checkpoint reloads by itself;
 * official checkpoints have none of these keys.
 *
 * @param widthDivisor every channel count of the official generator divided by this (1 = official);
 *     the style dimension becomes {@code 512 / widthDivisor}
 * @param bodyUnits residual units per IR-SE stage (official {@code [3, 4, 14, 3]})
 * @param nMlp layers of the mapping network (official 8)
 * @param encoderWidthDivisor the encoder's channel counts divided by this; usually {@code
 *     widthDivisor}, smaller for an encoder wider than its generator (the heads still emit styles of
 *     the generator's dimension)
 */
public record Architecture(int widthDivisor, List<Integer> bodyUnits, int nMlp, int encoderWidthDivisor) {
  /** The official architecture: IR-SE-50, 512-dimensional styles, an 8-layer mapping network. */
  public static final Architecture OFFICIAL = new Architecture(1, List.of(3, 4, 14, 3), 8);

  /** Validates the values. */
  public Architecture {
    checkDivisor(widthDivisor, "width divisor");
    checkDivisor(encoderWidthDivisor, "encoder width divisor");
    bodyUnits = List.copyOf(bodyUnits);
    if (bodyUnits.size() != 4 || bodyUnits.stream().anyMatch(u -> u < 1)) {
      throw new IllegalArgumentException("body units must be 4 positive counts, got " + bodyUnits);
    }
    if (nMlp < 1) {
      throw new IllegalArgumentException("n_mlp must be positive, got " + nMlp);
    }
  }

  /** An architecture whose encoder is scaled like its generator. */
  public Architecture(int widthDivisor, List<Integer> bodyUnits, int nMlp) {
    this(widthDivisor, bodyUnits, nMlp, widthDivisor);
  }

  private static void checkDivisor(int d, String what) {
    if (d < 1 || d > 64 || Integer.bitCount(d) != 1) {
      throw new IllegalArgumentException(what + " must be a power of two in [1, 64], got " + d);
    }
  }

  /** True for the paper's architecture. */
  public boolean isOfficial() {
    return equals(OFFICIAL);
  }

  /** A channel count of the official network, scaled. */
  public int width(int official) {
    return Math.max(1, official / widthDivisor);
  }

  /** The style (latent) dimension: 512 officially. */
  public int styleDim() {
    return width(512);
  }

  /** Output channels of the four IR-SE stages: {@code [64, 128, 256, 512]} officially. */
  public int[] bodyWidths() {
    return new int[] {encoderWidth(64), encoderWidth(128), encoderWidth(256), encoderWidth(512)};
  }

  private int encoderWidth(int official) {
    return Math.max(1, official / encoderWidthDivisor);
  }

  /** The generator's channels per resolution: the official table (channel multiplier 2), scaled. */
  public Map<Integer, Integer> generatorChannels() {
    Map<Integer, Integer> t = new TreeMap<>();
    int[] res = {4, 8, 16, 32, 64, 128, 256, 512, 1024};
    int[] ch = {512, 512, 512, 512, 512, 256, 128, 64, 32};
    for (int i = 0; i < res.length; i++) {
      t.put(res[i], width(ch[i]));
    }
    return Collections.unmodifiableMap(t);
  }

  /** The opts entries that record a non-official architecture (empty for the official one). */
  public Map<String, Object> toOpts() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!isOfficial()) {
      m.put("sdk_width_divisor", (long) widthDivisor);
      m.put("sdk_body_units", bodyUnits.stream().map(Integer::longValue).toList());
      m.put("sdk_n_mlp", (long) nMlp);
      if (encoderWidthDivisor != widthDivisor) {
        m.put("sdk_encoder_width_divisor", (long) encoderWidthDivisor);
      }
    }
    return m;
  }

  /**
   * The architecture recorded in opts; the official one where the keys are absent.
   *
   * @throws IllegalArgumentException naming a malformed key
   */
  public static Architecture fromOpts(Map<String, ?> opts) {
    int d = intValue(opts.get("sdk_width_divisor"), 1, "sdk_width_divisor");
    int n = intValue(opts.get("sdk_n_mlp"), 8, "sdk_n_mlp");
    Object u = opts.get("sdk_body_units");
    List<Integer> units = OFFICIAL.bodyUnits;
    if (u != null) {
      if (!(u instanceof List<?> l)) {
        throw new IllegalArgumentException("sdk_body_units must be a list of 4 ints, got " + u);
      }
      units = l.stream().map(v -> intValue(v, 0, "sdk_body_units")).toList();
    }
    int e = intValue(opts.get("sdk_encoder_width_divisor"), d, "sdk_encoder_width_divisor");
    return new Architecture(d, units, n, e);
  }

  private static int intValue(Object v, int dflt, String key) {
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
      return Math.toIntExact(num.longValue());
    }
    throw new IllegalArgumentException(key + " must be an integer, got " + v);
  }

  @Override
  public String toString() {
    return isOfficial() ? "official" : "width/" + widthDivisor + (encoderWidthDivisor != widthDivisor
        ? ", encoder width/" + encoderWidthDivisor : "") + ", units " + bodyUnits + ", n_mlp " + nMlp
        + " (style dim " + styleDim() + ", body " + Arrays.toString(bodyWidths()) + ")";
  }
}
