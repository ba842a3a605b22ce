package dev.psp.align;

import dev.psp.image.Planes;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * An 8-bit RGB image held as three planes, the pixel type dlib's detector and shape predictor and
 * Pillow's {@code RGB} images work on. Decoding follows Pillow's {@code convert('RGB')}: gray images
 * repeat their stored sample, alpha is dropped.
 *
 * <p>Immutable once built; the planes are never exposed.
 */
public final class RgbImage {
  private final int width;
  private final int height;
  private final byte[] red;
  private final byte[] green;
  private final byte[] blue;

  private RgbImage(int width, int height, byte[] red, byte[] green, byte[] blue) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    int n = Math.multiplyExact(width, height);
    if (red.length != n || green.length != n || blue.length != n) {
      throw new IllegalArgumentException("planes must hold " + n + " samples");
    }
    this.width = width;
    this.height = height;
    this.red = red;
    this.green = green;
    this.blue = blue;
  }

  /** The pixels of a decoded image. */
  public static RgbImage of(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    int[][] rgb = Planes.rgb(image);
    int n = rgb[0].length;
    byte[][] p = new byte[3][n];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < n; i++) {
        p[c][i] = (byte) rgb[c][i];
      }
    }
    return new RgbImage(image.getWidth(), image.getHeight(), p[0], p[1], p[2]);
  }

  /**
   * An image from three planes of {@code width*height} unsigned samples, row-major (copied).
   *
   * @param rgb {@code [3][width*height]}: red, green, blue
   */
  public static RgbImage ofPlanes(int width, int height, byte[][] rgb) {
    if (rgb.length != 3) {
      throw new IllegalArgumentException("rgb must hold 3 planes, got " + rgb.length);
    }
    return new RgbImage(width, height, rgb[0].clone(), rgb[1].clone(), rgb[2].clone());
  }

  /** A copy of channel {@code c} (0 red, 1 green, 2 blue): {@code width*height} unsigned samples, row-major. */
  public byte[] copyPlane(int c) {
    return plane(c).clone();
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel {@code (x, y)}, 0..255. */
  public int get(int c, int x, int y) {
    return plane(c)[y * width + x] & 0xFF;
  }

  private byte[] plane(int c) {
    return switch (c) {
      case 0 -> red;
      case 1 -> green;
      case 2 -> blue;
      default -> throw new IllegalArgumentException("channel must be 0, 1 or 2, got " + c);
    };
  }

  /** A new {@code TYPE_INT_RGB} image with these pixels. */
  public BufferedImage toBufferedImage() {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] argb = new int[width * height];
    for (int i = 0; i < argb.length; i++) {
      argb[i] = (red[i] & 0xFF) << 16 | (green[i] & 0xFF) << 8 | (blue[i] & 0xFF);
    }
    out.setRGB(0, 0, width, height, argb, 0, width);
    return out;
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
