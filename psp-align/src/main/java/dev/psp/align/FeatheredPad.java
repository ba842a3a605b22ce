package dev.psp.align;

/**
 * The padding step of the official alignment for faces near or beyond the photo's edge: the image is
 * reflect-padded ({@link ReflectPad}), then towards the new borders blended first with a Gaussian blur
 * of itself ({@link GaussianBlur}) and then with its per-channel median, and rounded back to 8 bits.
 *
 * <p>In float32, as numpy computes it: with {@code mask = max(1 - min(x / pad_l, (w-1-x) / pad_r),
 * 1 - min(y / pad_t, (h-1-y) / pad_b))},
 * {@code img += (blur(img) - img) * clip(3 mask + 1, 0, 1)}, then
 * {@code img += (median(img) - img) * clip(mask, 0, 1)}, then {@code uint8(clip(rint(img), 0, 255))}
 * (rint rounds half to even). Where the first weight is exactly 0 the blur is not computed: adding
 * {@code (g - img) * 0} leaves a finite float unchanged, so the result is the same.
 *
 * <p>Holds the mask of one padded size; immutable and thread-safe.
 */
final class FeatheredPad {
  private final int width;
  private final int height;
  private final int[] pad;
  private final double sigma;
  private final float[] maskX;
  private final float[] maskY;
  // the rectangle where clip(3 mask + 1, 0, 1) == 0 (no blur needed), [x0, x1) x [y0, y1)
  private final int calmX0;
  private final int calmX1;
  private final int calmY0;
  private final int calmY1;

  /**
   * The step for an image of {@code width x height} before padding.
   *
   * @param pad {@code left, top, right, bottom}
   * @param sigma the blur's standard deviation ({@code 0.02 qsize})
   */
  FeatheredPad(int width, int height, int[] pad, double sigma) {
    this.width = width;
    this.height = height;
    this.pad = pad.clone();
    this.sigma = sigma;
    int w = paddedWidth();
    int h = paddedHeight();
    this.maskX = ramp(w, pad[0], pad[2]);
    this.maskY = ramp(h, pad[1], pad[3]);
    int[] cx = calm(maskX);
    int[] cy = calm(maskY);
    this.calmX0 = cx[0];
    this.calmX1 = cx[1];
    this.calmY0 = cy[0];
    this.calmY1 = cy[1];
  }

  /** Width after padding. */
  int paddedWidth() {
    return width + pad[0] + pad[2];
  }

  /** Height after padding. */
  int paddedHeight() {
    return height + pad[1] + pad[3];
  }

  /** Pads and feathers one 8-bit plane of the image; returns the padded 8-bit plane. */
  int[] apply(int[] plane) {
    int w = paddedWidth();
    int h = paddedHeight();
    float[] img = ReflectPad.pad(plane, width, height, pad);
    float[] blur = GaussianBlur.filter(img, w, h, sigma, calmX0, calmY0, calmX1, calmY1);
    for (int y = 0; y < h; y++) {
      boolean calmRow = y >= calmY0 && y < calmY1;
      for (int x = 0; x < w; x++) {
        if (calmRow && x >= calmX0 && x < calmX1) {
          continue;
        }
        int i = y * w + x;
        float m = Math.max(maskX[x], maskY[y]);
        float weight = clip01(m * 3.0f + 1.0f);
        img[i] = img[i] + (blur[i] - img[i]) * weight;
      }
    }
    float median = FloatMedian.of(img);
    int[] out = new int[img.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        float weight = clip01(Math.max(maskX[x], maskY[y]));
        float v = img[i] + (median - img[i]) * weight;
        int u = (int) Math.rint(v);
        out[i] = Math.min(Math.max(u, 0), 255);
      }
    }
    return out;
  }

  /** {@code 1 - min(i / before, (n-1-i) / after)} in float32 for each index of an axis of {@code n}. */
  private static float[] ramp(int n, int before, int after) {
    float[] m = new float[n];
    for (int i = 0; i < n; i++) {
      m[i] = 1.0f - Math.min((float) i / (float) before, (float) (n - 1 - i) / (float) after);
    }
    return m;
  }

  /**
   * The index interval {@code [a, b)} where {@code 3 m + 1 <= 0} along one axis. The ramp falls then rises,
   * so that set is one interval; if it is not (it cannot be, but floats are floats), nothing is skipped.
   */
  private static int[] calm(float[] m) {
    int a = -1;
    int b = -1;
    for (int i = 0; i < m.length; i++) {
      if (m[i] * 3.0f + 1.0f <= 0) {
        if (a < 0) {
          a = i;
        }
        b = i + 1;
      }
    }
    if (a < 0) {
      return new int[] {0, 0};
    }
    for (int i = a; i < b; i++) {
      if (!(m[i] * 3.0f + 1.0f <= 0)) {
        return new int[] {0, 0};
      }
    }
    return new int[] {a, b};
  }

  /** {@code np.clip(v, 0.0, 1.0)} for float32: NaN stays NaN. */
  private static float clip01(float v) {
    return Math.min(Math.max(v, 0.0f), 1.0f);
  }
}
