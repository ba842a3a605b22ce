package dev.psp.synthetic;

import dev.psp.image.PilResize;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.SplittableRandom;

/**
 * One rendered synthetic face: the RGB image, its CelebAMask-HQ label map (class ids of {@link
 * FaceLabels}) and its sketch, all {@code size×size} and pixel-aligned, plus the versions each pSp
 * task needs ({@link #frontal()}, {@link #lowRes(int)}, {@link #masked(long)}, {@link
 * #labelImage()}). Immutable and thread-safe: every image returned is a fresh copy.
 */
public final class SyntheticFace {
  private final FaceParams params;
  private final int size;
  private final int[] rgb;
  private final byte[] labels;
  private final byte[] sketch;

  SyntheticFace(FaceParams params, int size, int[] rgb, byte[] labels, byte[] sketch) {
    this.params = params;
    this.size = size;
    this.rgb = rgb;
    this.labels = labels;
    this.sketch = sketch;
  }

  /** The parameters this face was rendered from. */
  public FaceParams params() {
    return params;
  }

  /** Width and height in pixels. */
  public int size() {
    return size;
  }

  /** The face, {@link BufferedImage#TYPE_INT_RGB}. */
  public BufferedImage image() {
    BufferedImage im = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    im.setRGB(0, 0, size, size, rgb, 0, size);
    return im;
  }

  /** The 0xRRGGBB colour of pixel (x, y). */
  public int rgb(int x, int y) {
    return rgb[index(x, y)];
  }

  /** The class id (0..18, see {@link FaceLabels}) of every pixel, row-major; a copy. */
  public byte[] labels() {
    return labels.clone();
  }

  /** The class id of pixel (x, y). */
  public int label(int x, int y) {
    return labels[index(x, y)];
  }

  /**
   * The label map as the official CelebAMask-HQ mask format: an 8-bit grayscale image whose pixel
   * value is the class id ({@link BufferedImage#TYPE_BYTE_GRAY}; PNG keeps the values exactly).
   */
  public BufferedImage labelImage() {
    return gray(labels);
  }

  /** The label map drawn with the colours pSp's logging uses, for looking at. */
  public BufferedImage colouredLabels() {
    BufferedImage im = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    int[] c = new int[labels.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = FaceLabels.colour(labels[i]);
    }
    im.setRGB(0, 0, size, size, c, 0, size);
    return im;
  }

  /** The line drawing: dark lines on white, {@link BufferedImage#TYPE_BYTE_GRAY}. */
  public BufferedImage sketch() {
    return gray(sketch);
  }

  /** The same face rendered at yaw 0 and tilt 0, same size. */
  public SyntheticFace frontal() {
    return FaceRenderer.render(params.frontal(), size);
  }

  /**
   * The image shrunk by {@code factor} and enlarged back to {@code size}, both with Pillow's
   * bilinear resize (a preview of a super-resolution input; pSp training applies its own
   * degradation in the data transforms).
   *
   * @throws IllegalArgumentException unless 1 <= factor <= size
   */
  public BufferedImage lowRes(int factor) {
    if (factor < 1 || factor > size) {
      throw new IllegalArgumentException("factor must be in [1, " + size + "], got " + factor);
    }
    int small = Math.max(1, Math.round((float) size / factor));
    int[] out = new int[rgb.length];
    for (int shift = 16; shift >= 0; shift -= 8) {
      int[] plane = new int[rgb.length];
      for (int i = 0; i < plane.length; i++) {
        plane[i] = (rgb[i] >> shift) & 0xff;
      }
      int[] down = PilResize.bilinear(plane, size, size, small, small);
      int[] up = PilResize.bilinear(down, small, small, size, size);
      for (int i = 0; i < out.length; i++) {
        out[i] |= up[i] << shift;
      }
    }
    BufferedImage im = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    im.setRGB(0, 0, size, size, out, 0, size);
    return im;
  }

  /**
   * The face with one to three random rectangles and ellipses (each a tenth to two fifths of the
   * side, centred in the middle two thirds of the image) filled with {@link MaskedFace#FILL}.
   * Deterministic in {@code seed}.
   */
  public MaskedFace masked(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] mask = new byte[rgb.length];
    int shapes = 1 + r.nextInt(3);
    for (int s = 0; s < shapes; s++) {
      double hw = size * (0.05 + 0.15 * r.nextDouble());
      double hh = size * (0.05 + 0.15 * r.nextDouble());
      double mx = size * (0.17 + 0.66 * r.nextDouble());
      double my = size * (0.17 + 0.66 * r.nextDouble());
      boolean ellipse = r.nextBoolean();
      for (int y = Math.max(0, (int) (my - hh)); y < Math.min(size, (int) Math.ceil(my + hh)); y++) {
        for (int x = Math.max(0, (int) (mx - hw)); x < Math.min(size, (int) Math.ceil(mx + hw)); x++) {
          double ex = (x + 0.5 - mx) / hw;
          double ey = (y + 0.5 - my) / hh;
          boolean inside = ellipse ? ex * ex + ey * ey <= 1 : Math.abs(ex) <= 1 && Math.abs(ey) <= 1;
          if (inside) {
            mask[y * size + x] = (byte) 255;
          }
        }
      }
    }
    int[] out = rgb.clone();
    for (int i = 0; i < out.length; i++) {
      if (mask[i] != 0) {
        out[i] = MaskedFace.FILL;
      }
    }
    BufferedImage im = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    im.setRGB(0, 0, size, size, out, 0, size);
    return new MaskedFace(im, gray(mask));
  }

  private BufferedImage gray(byte[] values) {
    BufferedImage im = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    byte[] data = ((DataBufferByte) im.getRaster().getDataBuffer()).getData();
    System.arraycopy(values, 0, data, 0, values.length);
    return im;
  }

  private int index(int x, int y) {
    if (x < 0 || x >= size || y < 0 || y >= size) {
      throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + size + "x" + size);
    }
    return y * size + x;
  }
}
