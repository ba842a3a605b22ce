package dev.psp.image;

import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;

/**
 * The official output conversion ({@code utils.common.tensor2im}): {@code (x+1)/2}, clipped to [0, 1],
 * times 255, truncated (not rounded) to 8 bits.
 */
public final class ImageConversion {
  private ImageConversion() {}

  /**
   * Sample {@code index} of a generator output {@code [B, 3, H, W]} as an RGB image.
   *
   * @throws IllegalArgumentException if the tensor is not {@code [B, 3, H, W]}
   */
  public static BufferedImage toImage(TensorData images, int index) {
    long[] s = images.shape();
    if (s.length != 4 || s[1] != 3) {
      throw new IllegalArgumentException("images must be [B, 3, H, W], got " + java.util.Arrays.toString(s));
    }
    if (index < 0 || index >= s[0]) {
      throw new IndexOutOfBoundsException("sample " + index + " outside [0, " + s[0] + ")");
    }
    int h = (int) s[2];
    int w = (int) s[3];
    int plane = h * w;
    float[] v = images.toFloatArray();
    int base = index * 3 * plane;
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] rgb = new int[plane];
    for (int i = 0; i < plane; i++) {
      rgb[i] = (toByte(v[base + i]) << 16) | (toByte(v[base + plane + i]) << 8) | toByte(v[base + 2 * plane + i]);
    }
    out.setRGB(0, 0, w, h, rgb, 0, w);
    return out;
  }

  /** One value through tensor2im, in float32 arithmetic as numpy does it. */
  public static int toByte(float x) {
    float v = (x + 1f) / 2f;
    if (v < 0f || Float.isNaN(v)) {
      v = 0f;
    } else if (v > 1f) {
      v = 1f;
    }
    return (int) (v * 255f);
  }
}
