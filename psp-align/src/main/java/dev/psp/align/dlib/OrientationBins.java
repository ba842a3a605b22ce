package dev.psp.align.dlib;

/**
 * The 18 contrast-sensitive orientation bins of dlib's HOG for every integer gradient: the bin whose
 * unit vector (20 degree steps, dlib's four-digit constants) has the largest dot product with the
 * gradient, the opposite direction counting as bin {@code o + 9}; a zero gradient is bin 0.
 *
 * <p>Gradients of 8-bit images are differences of two samples, so a table of 511 x 511 entries covers
 * them all and replaces nine float dot products per pixel with one lookup. Built once; read-only.
 */
final class OrientationBins {
  private static final float[] UX = {1.0000f, 0.9397f, 0.7660f, 0.500f, 0.1736f, -0.1736f, -0.5000f, -0.7660f, -0.9397f};
  private static final float[] UY = {0.0000f, 0.3420f, 0.6428f, 0.8660f, 0.9848f, 0.9848f, 0.8660f, 0.6428f, 0.3420f};
  private static final int SPAN = 511;

  /** The bin of gradient {@code (dx, dy)} at {@link #index(int, int)}. */
  static final byte[] TABLE = build();

  private OrientationBins() {}

  /** Where gradient {@code (dx, dy)}, each in -255..255, sits in {@link #TABLE}. */
  static int index(int dx, int dy) {
    return (dy + 255) * SPAN + dx + 255;
  }

  /** The bin of one gradient, computed as dlib does (float products, first maximum wins). */
  static int bin(int dx, int dy) {
    float fx = dx;
    float fy = dy;
    float best = 0;
    int bin = 0;
    for (int o = 0; o < 9; o++) {
      float dot = fx * UX[o] + fy * UY[o];
      if (dot > best) {
        best = dot;
        bin = o;
      } else if (-dot > best) {
        best = -dot;
        bin = o + 9;
      }
    }
    return bin;
  }

  private static byte[] build() {
    byte[] t = new byte[SPAN * SPAN];
    for (int dy = -255; dy <= 255; dy++) {
      for (int dx = -255; dx <= 255; dx++) {
        t[index(dx, dy)] = (byte) bin(dx, dy);
      }
    }
    return t;
  }
}
