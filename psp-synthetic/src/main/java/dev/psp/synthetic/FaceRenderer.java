package dev.psp.synthetic;

import static dev.psp.synthetic.FaceGeometry.label;
import static dev.psp.synthetic.FaceGeometry.subPart;

import java.util.Arrays;

/**
 * Renders {@link FaceParams} into a {@link SyntheticFace}: the label map first, one {@link
 * FaceGeometry#classify} per pixel centre, then each pixel coloured from its own part, so no label
 * can stray outside its region. Pixels on a label border (an 8-neighbour has another label) are
 * antialiased by a tent filter, half the centre's colour and an eighth of each corner's, each point
 * coloured from the part under it; every other pixel gets exactly its label's colour. A little per-pixel luminance noise (at most {@link #NOISE}
 * levels) keeps regions from being flat. The sketch draws the label borders and a few inner lines
 * (iris, nostrils, hair strands), black on white. The same parameters and size give the same bits
 * on every JVM. Stateless and thread-safe.
 */
public final class FaceRenderer {
  /** Largest per-pixel noise, in 8-bit levels, added equally to R, G and B. */
  public static final int NOISE = 3;
  /** Smallest accepted image size. */
  public static final int MIN_SIZE = 16;
  /** Largest accepted image size. */
  public static final int MAX_SIZE = 2048;

  /** Painter's order of the labels: a border line is drawn on the pixel of the higher-ranked part. */
  private static final int[] RANK = new int[FaceLabels.COUNT];

  static {
    int[] order = {FaceLabels.BACKGROUND, FaceLabels.CLOTH, FaceLabels.NECK, FaceLabels.NECKLACE,
        FaceLabels.L_EAR, FaceLabels.R_EAR, FaceLabels.EARRING, FaceLabels.SKIN, FaceLabels.NOSE,
        FaceLabels.EYE_GLASSES, FaceLabels.L_EYE, FaceLabels.R_EYE, FaceLabels.L_BROW,
        FaceLabels.R_BROW, FaceLabels.MOUTH, FaceLabels.U_LIP, FaceLabels.L_LIP, FaceLabels.HAIR,
        FaceLabels.HAT};
    for (int i = 0; i < order.length; i++) {
      RANK[order[i]] = i;
    }
  }

  private FaceRenderer() {}

  /**
   * Renders a face as a {@code size×size} image with its label map and sketch.
   *
   * @throws IllegalArgumentException if size is outside [{@link #MIN_SIZE}, {@link #MAX_SIZE}]
   */
  public static SyntheticFace render(FaceParams params, int size) {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException("size must be in [" + MIN_SIZE + ", " + MAX_SIZE + "], got " + size);
    }
    FaceGeometry g = new FaceGeometry(params, size);
    int n = size * size;
    int[] codes = new int[n];
    byte[] labels = new byte[n];
    double inv = 1.0 / size;
    for (int y = 0; y < size; y++) {
      double v = (y + 0.5) * inv;
      for (int x = 0; x < size; x++) {
        int c = g.classify((x + 0.5) * inv, v);
        codes[y * size + x] = c;
        labels[y * size + x] = (byte) label(c);
      }
    }
    boolean[] border = borders(labels, size);
    int[] corners = new int[(size + 1) * (size + 1)];
    Arrays.fill(corners, -1);
    int[] rgb = new int[n];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int i = y * size + x;
        int colour = g.colour(codes[i], (x + 0.5) * inv, (y + 0.5) * inv);
        if (border[i]) {
          colour = antialias(g, colour, corners, x, y, size);
        }
        rgb[i] = addNoise(colour, noise(params.seed(), x, y));
      }
    }
    return new SyntheticFace(params, size, rgb, labels, sketch(codes, size));
  }

  /** Which pixels have an 8-neighbour (inside the image) with another label. */
  static boolean[] borders(byte[] labels, int size) {
    boolean[] border = new boolean[labels.length];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int i = y * size + x;
        byte l = labels[i];
        // each unordered neighbour pair once: right, down-left, down, down-right
        if (x + 1 < size && labels[i + 1] != l) {
          border[i] = border[i + 1] = true;
        }
        if (y + 1 < size) {
          int j = i + size;
          if (labels[j] != l) {
            border[i] = border[j] = true;
          }
          if (x > 0 && labels[j - 1] != l) {
            border[i] = border[j - 1] = true;
          }
          if (x + 1 < size && labels[j + 1] != l) {
            border[i] = border[j + 1] = true;
          }
        }
      }
    }
    return border;
  }

  /**
   * A tent filter over the pixel: half its centre colour, an eighth each of the colours at its four
   * corners (each corner evaluated once and shared by the four pixels around it).
   */
  private static int antialias(FaceGeometry g, int centre, int[] corners, int x, int y, int size) {
    int r = 4 * ((centre >> 16) & 0xff);
    int gr = 4 * ((centre >> 8) & 0xff);
    int b = 4 * (centre & 0xff);
    double inv = 1.0 / size;
    for (int cy = y; cy <= y + 1; cy++) {
      for (int cx = x; cx <= x + 1; cx++) {
        int k = cy * (size + 1) + cx;
        int c = corners[k];
        if (c < 0) {
          double u = cx * inv;
          double v = cy * inv;
          c = g.colour(g.classify(u, v), u, v);
          corners[k] = c;
        }
        r += (c >> 16) & 0xff;
        gr += (c >> 8) & 0xff;
        b += c & 0xff;
      }
    }
    return ((r + 4) / 8) << 16 | ((gr + 4) / 8) << 8 | (b + 4) / 8;
  }

  /** Deterministic noise in [-NOISE, NOISE] for a pixel (SplitMix64 finaliser of seed and position). */
  private static int noise(long seed, int x, int y) {
    long z = seed + 0x9E3779B97F4A7C15L * (1 + ((long) y << 20 | x));
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (int) (((z >>> 32) * (2 * NOISE + 1)) >>> 32) - NOISE;
  }

  private static int addNoise(int rgb, int d) {
    return Palettes.clamp(((rgb >> 16) & 0xff) + d) << 16 | Palettes.clamp(((rgb >> 8) & 0xff) + d) << 8
        | Palettes.clamp((rgb & 0xff) + d);
  }

  /**
   * The line drawing: darkness on the higher-ranked pixel of every pair of 4-neighbours with
   * different parts, and on pupils, nostrils, glasses frames and hair strands; 2 px lines from 192
   * px up.
   */
  private static byte[] sketch(int[] codes, int size) {
    float[] dark = new float[codes.length];
    boolean thick = size >= 192;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int i = y * size + x;
        int c = codes[i];
        dark[i] = Math.max(dark[i], fill(c));
        if (x + 1 < size) {
          line(codes, dark, i, i + 1, thick);
        }
        if (y + 1 < size) {
          line(codes, dark, i, i + size, thick);
        }
      }
    }
    byte[] out = new byte[codes.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Math.round(255 * (1 - dark[i]));
    }
    return out;
  }

  /** Darkens the border between pixels i and j, if their parts differ. */
  private static void line(int[] codes, float[] dark, int i, int j, boolean thick) {
    int a = codes[i];
    int b = codes[j];
    if (a == b) {
      return;
    }
    float d = edge(a, b);
    int top = above(a, b) ? i : j;
    int other = top == i ? j : i;
    dark[top] = Math.max(dark[top], d);
    if (thick) {
      dark[other] = Math.max(dark[other], d);
    }
  }

  private static boolean above(int a, int b) {
    int la = label(a);
    int lb = label(b);
    if (la != lb) {
      return RANK[la] > RANK[lb];
    }
    return subPart(a) != FaceGeometry.PLAIN;
  }

  private static float fill(int c) {
    return switch (subPart(c)) {
      case FaceGeometry.PUPIL -> 0.85f;
      case FaceGeometry.NOSTRIL -> 0.75f;
      case FaceGeometry.FRAME -> 0.9f;
      case FaceGeometry.STRAND -> 0.3f;
      default -> 0f;
    };
  }

  private static float edge(int a, int b) {
    int la = label(a);
    int lb = label(b);
    if (la == lb) {
      return switch (la) {
        case FaceLabels.L_EYE, FaceLabels.R_EYE -> 0.9f;
        case FaceLabels.L_EAR, FaceLabels.R_EAR, FaceLabels.HAT -> 0.6f;
        case FaceLabels.MOUTH, FaceLabels.NOSE -> 0.5f;
        case FaceLabels.CLOTH -> 0.35f;
        default -> 0f;
      };
    }
    if (la == FaceLabels.NOSE || lb == FaceLabels.NOSE) {
      int nose = la == FaceLabels.NOSE ? a : b;
      return subPart(nose) == FaceGeometry.PLAIN ? 0.3f : 0.8f;
    }
    if (la == FaceLabels.HAIR || lb == FaceLabels.HAIR) {
      return 0.85f;
    }
    return 1f;
  }
}
