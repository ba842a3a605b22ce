package dev.psp.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * 8-bit pixel planes of an image, read the way Pillow's {@code convert('RGB')} and {@code convert('L')}
 * read them: alpha is dropped (not composited), gray images keep their stored values, and RGB turns
 * into L with Pillow's ITU-R 601-2 fixed-point weights.
 */
public final class Planes {
  private Planes() {}

  /** The R, G and B planes, each {@code width*height} values 0..255. */
  public static int[][] rgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[][] out = new int[3][w * h];
    int[] gray = storedGray(image);
    if (gray != null) {
      for (int c = 0; c < 3; c++) {
        out[c] = gray.clone();
      }
      return out;
    }
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < argb.length; i++) {
      out[0][i] = (argb[i] >> 16) & 0xff;
      out[1][i] = (argb[i] >> 8) & 0xff;
      out[2][i] = argb[i] & 0xff;
    }
    return out;
  }

  /** The L (luma) plane, {@code width*height} values 0..255, as Pillow's {@code convert('L')}. */
  public static int[] luma(BufferedImage image) {
    int[] gray = storedGray(image);
    if (gray != null) {
      return gray;
    }
    int[][] rgb = rgb(image);
    int[] out = new int[rgb[0].length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (rgb[0][i] * 19595 + rgb[1][i] * 38470 + rgb[2][i] * 7471 + 0x8000) >> 16;
    }
    return out;
  }

  /**
   * The stored samples of a gray image, with or without alpha (8 or 16 bit, the latter scaled to 8 bit),
   * read from the raster's gray band: {@link BufferedImage#getRGB} would pass them through a linear-gray
   * colour space and change them. Null for other images.
   */
  private static int[] storedGray(BufferedImage image) {
    Raster r = image.getRaster();
    int bands = image.getColorModel().hasAlpha() ? 2 : 1;
    if (r.getNumBands() != bands || image.getColorModel().getNumColorComponents() != 1
        || image.getType() == BufferedImage.TYPE_BYTE_INDEXED || image.getType() == BufferedImage.TYPE_BYTE_BINARY) {
      return null;
    }
    int bits = image.getColorModel().getComponentSize(0);
    int[] s = r.getSamples(0, 0, image.getWidth(), image.getHeight(), 0, (int[]) null);
    if (bits > 8) {
      for (int i = 0; i < s.length; i++) {
        s[i] = s[i] >> (bits - 8);
      }
    }
    return s;
  }
}
