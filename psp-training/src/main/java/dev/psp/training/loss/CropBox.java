package dev.psp.training.loss;

import dev.psp.nn.TensorOps;

/**
 * The face crop of the pSp losses: rows {@code [top, bottom)} and columns {@code [left, right)} of an
 * NCHW image. {@link #OFFICIAL} is the official {@code [:, :, 35:223, 32:220]} of a 256×256 image
 * (id_loss.py, coach.calc_loss); {@link #scaledTo} gives the same region of other image sizes.
 * Immutable and thread-safe.
 *
 * @param top first row
 * @param bottom row after the last
 * @param left first column
 * @param right column after the last
 */
public record CropBox(int top, int bottom, int left, int right) {
  /** The image size the official box refers to. */
  public static final int OFFICIAL_SIZE = 256;

  /** Rows 35:223, columns 32:220 of a 256×256 image (188×188). */
  public static final CropBox OFFICIAL = new CropBox(35, 223, 32, 220);

  /** Validates the box. */
  public CropBox {
    if (top < 0 || left < 0 || bottom <= top || right <= left) {
      throw new IllegalArgumentException("crop box needs 0 <= top < bottom and 0 <= left < right, got rows "
          + top + ":" + bottom + ", columns " + left + ":" + right);
    }
  }

  /**
   * The official box scaled to a {@code size}×{@code size} image, each bound rounded to the nearest
   * pixel; {@code scaledTo(256)} is {@link #OFFICIAL}.
   */
  public static CropBox scaledTo(int size) {
    if (size < 8) {
      throw new IllegalArgumentException("image size must be at least 8, got " + size);
    }
    return new CropBox(scale(OFFICIAL.top, size), scale(OFFICIAL.bottom, size),
        scale(OFFICIAL.left, size), scale(OFFICIAL.right, size));
  }

  /**
   * Parses {@code "top,bottom,left,right"} (the {@code sdk_crop} option), in pixels of a
   * {@value #OFFICIAL_SIZE}-pixel image: {@code "35,223,32,220"} is {@link #OFFICIAL}.
   *
   * @throws IllegalArgumentException if it is not four integers of a box inside that image
   */
  public static CropBox parse(String spec) {
    String[] parts = spec.split(",", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("a crop box is top,bottom,left,right in pixels of a 256-px image"
          + " (the official face crop is 35,223,32,220), got '" + spec + "'");
    }
    int[] v = new int[4];
    for (int i = 0; i < 4; i++) {
      try {
        v[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("a crop box is four integers top,bottom,left,right, got '" + spec + "'", e);
      }
    }
    if (v[1] > OFFICIAL_SIZE || v[3] > OFFICIAL_SIZE) {
      throw new IllegalArgumentException("crop box '" + spec + "' reaches past the " + OFFICIAL_SIZE
          + "-px image the losses compare");
    }
    return new CropBox(v[0], v[1], v[2], v[3]);
  }

  private static int scale(int v, int size) {
    return (int) Math.round((double) v * size / OFFICIAL_SIZE);
  }

  /** Height of the crop. */
  public int height() {
    return bottom - top;
  }

  /** Width of the crop. */
  public int width() {
    return right - left;
  }

  /**
   * {@code x[:, :, top:bottom, left:right]} of x {@code [B,C,H,W]}.
   *
   * @throws IllegalArgumentException if the box does not lie inside the image
   */
  public <T> T apply(TensorOps<T> ops, T x) {
    long[] s = ops.shape(x);
    if (s.length != 4 || bottom > s[2] || right > s[3]) {
      throw new IllegalArgumentException("crop box " + this + " does not fit an image of shape "
          + java.util.Arrays.toString(s) + "; use CropBox.scaledTo(size) for images smaller than "
          + OFFICIAL_SIZE);
    }
    return ops.slice(ops.slice(x, 2, top, bottom), 3, left, right);
  }

  @Override
  public String toString() {
    return "[" + top + ":" + bottom + ", " + left + ":" + right + "]";
  }
}
