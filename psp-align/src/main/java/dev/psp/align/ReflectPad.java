package dev.psp.align;

/**
 * {@code numpy.pad(..., mode='reflect')} of an 8-bit plane into a float plane: the image mirrored about
 * its first and last samples, which are not repeated ({@code d c b | a b c d | c b a}), repeated as often as
 * the padding needs (the pattern has period {@code 2 (n - 1)}); an axis of one sample is repeated.
 *
 * <p>Stateless and thread-safe.
 */
final class ReflectPad {
  private ReflectPad() {}

  /**
   * The padded plane as float32 values.
   *
   * @param pad {@code left, top, right, bottom}
   */
  static float[] pad(int[] plane, int width, int height, int[] pad) {
    int w = width + pad[0] + pad[2];
    int h = height + pad[1] + pad[3];
    int[] xs = new int[w];
    for (int x = 0; x < w; x++) {
      xs[x] = index(x - pad[0], width);
    }
    float[] out = new float[Math.multiplyExact(w, h)];
    for (int y = 0; y < h; y++) {
      int row = index(y - pad[1], height) * width;
      int o = y * w;
      for (int x = 0; x < w; x++) {
        out[o + x] = plane[row + xs[x]];
      }
    }
    return out;
  }

  /** The source index numpy's {@code 'reflect'} mode reads for index {@code i} of an axis of length {@code n}. */
  static int index(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * (n - 1);
    int m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }
}
