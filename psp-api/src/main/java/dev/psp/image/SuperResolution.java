package dev.psp.image;

import java.awt.image.BufferedImage;

/**
 * The official super-resolution input degradation ({@code datasets/augmentations.BilinearResize},
 * which despite its name uses {@code BicubicDownSample}): the 256×256 input is blurred and
 * subsampled by {@code factor} with a separable bicubic kernel (a = −0.5, 4·factor taps, reflect
 * padding), clamped, truncated to 8 bits, and resized back to 256×256 with Pillow's bilinear filter.
 */
public final class SuperResolution {
  /** The factors the official models were trained with. */
  public static final int[] OFFICIAL_FACTORS = {1, 2, 4, 8, 16, 32};

  private SuperResolution() {}

  /**
   * Degrades an image as the official inference for {@code resize_factors=factor} does, giving the
   * low-resolution input of the super-resolution model (still 256×256).
   *
   * @throws IllegalArgumentException if the factor is not a power of two in [1, 32]
   */
  public static BufferedImage degrade(BufferedImage image, int factor) {
    if (factor < 1 || factor > 32 || Integer.bitCount(factor) != 1) {
      throw new IllegalArgumentException("factor must be 1, 2, 4, 8, 16 or 32, got " + factor);
    }
    int s = dev.psp.Encoder.INPUT_SIZE;
    int[][] rgb = Planes.rgb(image);
    int small = s / factor;
    int[] out = new int[s * s];
    float[] k = kernel(factor);
    int[][] up = new int[3][];
    for (int c = 0; c < 3; c++) {
      int[] plane = PilResize.bilinear(rgb[c], image.getWidth(), image.getHeight(), s, s);
      float[] x = new float[plane.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = plane[i] / 255f;
      }
      float[] vert = downsample(x, s, s, k, factor, true);
      float[] both = downsample(vert, s, small, k, factor, false);
      int[] bytes = new int[both.length];
      for (int i = 0; i < both.length; i++) {
        float v = Math.min(Math.max(both[i], 0f), 1f);
        bytes[i] = (int) (v * 255f);
      }
      up[c] = PilResize.bilinear(bytes, small, small, s, s);
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = (up[0][i] << 16) | (up[1][i] << 8) | up[2][i];
    }
    BufferedImage result = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
    result.setRGB(0, 0, s, s, out, 0, s);
    return result;
  }

  /** The normalised bicubic taps of {@code BicubicDownSample(factor)}, computed in float32 like the original. */
  static float[] kernel(int factor) {
    int size = factor * 4;
    float[] k = new float[size];
    float sum = 0;
    for (int i = 0; i < size; i++) {
      k[i] = bicubic((i - (float) Math.floor(size / 2f) + 0.5f) / factor);
    }
    for (float v : k) {
      sum += v;
    }
    for (int i = 0; i < size; i++) {
      k[i] = k[i] / sum;
    }
    return k;
  }

  private static float bicubic(float x) {
    float a = -0.5f;
    float ax = Math.abs(x);
    if (ax <= 1f) {
      return (a + 2f) * ax * ax * ax - (a + 3f) * ax * ax + 1f;
    } else if (ax < 2f) {
      return a * ax * ax * ax - 5f * a * ax * ax + 8f * a * ax - 4f * a;
    }
    return 0f;
  }

  /**
   * One strided 1-D convolution over rows (vertical) or columns (horizontal) of a {@code w×h} plane,
   * with reflect padding of {@code (3·factor)/2} before and the rest after.
   */
  private static float[] downsample(float[] x, int w, int h, float[] k, int factor, boolean vertical) {
    int len = vertical ? h : w;
    int padTotal = Math.max(k.length - factor, 0);
    int padBefore = padTotal / 2;
    int outLen = (len + padTotal - k.length) / factor + 1;
    int ow = vertical ? w : outLen;
    int oh = vertical ? outLen : h;
    float[] out = new float[ow * oh];
    for (int o = 0; o < outLen; o++) {
      for (int across = 0; across < (vertical ? w : h); across++) {
        float acc = 0f;
        for (int t = 0; t < k.length; t++) {
          int p = reflect(o * factor + t - padBefore, len);
          acc += k[t] * (vertical ? x[p * w + across] : x[across * w + p]);
        }
        if (vertical) {
          out[o * ow + across] = acc;
        } else {
          out[across * ow + o] = acc;
        }
      }
    }
    return out;
  }

  private static int reflect(int i, int n) {
    if (i < 0) {
      return -i;
    }
    if (i >= n) {
      return 2 * (n - 1) - i;
    }
    return i;
  }
}
