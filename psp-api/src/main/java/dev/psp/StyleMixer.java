package dev.psp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Multi-modal synthesis by style mixing (paper §4.2): keep some W+ rows of an input's code and take
 * the chosen rows from another code (a random one, for variants), blended by alpha — the official
 * {@code latent_mask}, {@code inject_latent} and {@code mix_alpha}. Rows are given as numbers
 * (0-based, like {@code latent_mask}) or as {@link StyleGroup}s, which fit every output size; both
 * are checked against the code when mixing. Immutable and thread-safe.
 */
public final class StyleMixer {
  /** What the SDK mixes when nothing is chosen: the fine rows, as in the paper's multi-modal results. */
  public static final String DEFAULT_ROWS = "fine";

  private final String spec;
  private final int[] rows;
  private final List<StyleGroup> groups;
  private final double alpha;

  private StyleMixer(String spec, int[] rows, List<StyleGroup> groups, double alpha) {
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
    }
    this.spec = spec;
    this.rows = rows;
    this.groups = List.copyOf(groups);
    this.alpha = alpha;
  }

  /**
   * A mixer for the given W+ rows (0-based, like the official {@code latent_mask}).
   *
   * @param alpha weight of the injected code, in [0, 1]; 1 replaces the rows
   */
  public static StyleMixer of(int[] rows, double alpha) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("rows must not be empty");
    }
    for (int r : rows) {
      if (r < 0) {
        throw new IllegalArgumentException("rows must be >= 0, got " + r);
      }
    }
    return new StyleMixer(Arrays.toString(rows), rows.clone(), List.of(), alpha);
  }

  /** A mixer for the rows of one or more groups, e.g. {@code of(1.0, StyleGroup.FINE)}. */
  public static StyleMixer of(double alpha, StyleGroup... groups) {
    if (groups.length == 0) {
      throw new IllegalArgumentException("give at least one StyleGroup");
    }
    StringBuilder sb = new StringBuilder();
    for (StyleGroup g : groups) {
      sb.append(sb.length() == 0 ? "" : ",").append(g.name().toLowerCase(Locale.ROOT));
    }
    return new StyleMixer(sb.toString(), new int[0], List.of(groups), alpha);
  }

  /** Rows {@code from..to} inclusive, e.g. {@code range(8, 17, 1.0)} as the official sketch and segmentation demos use. */
  public static StyleMixer range(int from, int to, double alpha) {
    if (to < from) {
      throw new IllegalArgumentException("empty row range " + from + "-" + to);
    }
    int[] r = new int[to - from + 1];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return of(r, alpha);
  }

  /**
   * Parses a row list: group names ({@code coarse}, {@code medium}, {@code fine}), numbers and
   * inclusive ranges, comma-separated, e.g. {@code fine}, {@code medium,fine}, {@code 8-17} or
   * {@code 3,5,8-10}.
   *
   * @throws IllegalArgumentException naming the bad part
   */
  public static StyleMixer parse(String spec, double alpha) {
    List<Integer> numbers = new ArrayList<>();
    List<StyleGroup> groups = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      java.util.Optional<StyleGroup> g = StyleGroup.forName(p);
      if (g.isPresent()) {
        groups.add(g.get());
        continue;
      }
      try {
        int dash = p.indexOf('-', 1);
        if (dash > 0) {
          long a = Long.parseLong(p.substring(0, dash).trim());
          long b = Long.parseLong(p.substring(dash + 1).trim());
          if (b < a) {
            throw new IllegalArgumentException("empty row range '" + p + "' in '" + spec + "'");
          }
          if (a < 0 || b > MAX_ROW) {
            throw new IllegalArgumentException("row range '" + p + "' is outside 0.." + MAX_ROW
                + " (a 1024-px model has rows 0..17)");
          }
          for (long i = a; i <= b; i++) {
            numbers.add((int) i);
          }
        } else {
          long v = Long.parseLong(p);
          if (v < 0 || v > MAX_ROW) {
            throw new IllegalArgumentException("row " + p + " is outside 0.." + MAX_ROW);
          }
          numbers.add((int) v);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad row list '" + spec + "' at '" + p
            + "'; use coarse, medium, fine, numbers or ranges, e.g. fine, 8-17 or 3,5,8-10");
      }
    }
    return new StyleMixer(spec.trim(), numbers.stream().mapToInt(Integer::intValue).toArray(), groups, alpha);
  }

  /** The largest row number a list may name: the rows of a 4096-px StyleGAN2, far beyond any pSp model. */
  static final int MAX_ROW = 21;

  /**
   * The mixed rows in a code of {@code nStyles} rows, sorted.
   *
   * @throws IllegalArgumentException if a row is not one of the code's, listing the valid rows
   */
  public int[] rows(int nStyles) {
    TreeSet<Integer> out = new TreeSet<>();
    for (int r : rows) {
      if (r >= nStyles) {
        throw new IllegalArgumentException("row " + r + " is not a W+ row of this model: it has rows 0.."
            + (nStyles - 1) + " (coarse " + range(StyleGroup.COARSE, nStyles) + ", medium "
            + range(StyleGroup.MEDIUM, nStyles) + ", fine " + range(StyleGroup.FINE, nStyles)
            + "); name a group (coarse, medium, fine) to fit every output size");
      }
      out.add(r);
    }
    for (StyleGroup g : groups) {
      for (int r : g.rows(nStyles)) {
        out.add(r);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String range(StyleGroup g, int nStyles) {
    try {
      int[] r = g.rows(nStyles);
      return r[0] + "-" + r[r.length - 1];
    } catch (IllegalArgumentException e) {
      return "none";
    }
  }

  /** Weight of the injected code. */
  public double alpha() {
    return alpha;
  }

  /**
   * Mixes {@code inject} into {@code codes}: row i becomes {@code alpha·inject[i] + (1−alpha)·codes[i]}.
   *
   * @throws IllegalArgumentException if a row is not a row of the codes
   */
  public LatentCode mix(LatentCode codes, LatentCode inject) {
    return codes.mixRows(inject, rows(codes.nStyles()), alpha);
  }

  /**
   * {@code samples} variants of each code, each mixed with a random code of the generator (the
   * {@link #randomCodes}, so variants are reproducible one by one).
   */
  public List<LatentCode> variants(Generator generator, LatentCode codes, int samples, long seed) {
    rows(codes.nStyles()); // fail before drawing anything
    List<LatentCode> out = new ArrayList<>();
    for (LatentCode inject : randomCodes(generator, samples, seed)) {
      out.add(mix(codes, inject));
    }
    return out;
  }

  /**
   * The random codes the variants take their rows from: code k is the generator's random code seeded
   * with {@code seed + k}. Draw them once to mix many batches with the same ones.
   */
  public static List<LatentCode> randomCodes(Generator generator, int samples, long seed) {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be >= 1, got " + samples);
    }
    List<LatentCode> out = new ArrayList<>();
    for (int k = 0; k < samples; k++) {
      out.add(generator.randomCodes(1, seed + k));
    }
    return out;
  }

  @Override
  public String toString() {
    return "StyleMixer[rows=" + spec + ", alpha=" + alpha + "]";
  }
}
