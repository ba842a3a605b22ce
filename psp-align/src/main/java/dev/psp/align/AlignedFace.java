package dev.psp.align;

import java.util.Arrays;
import java.util.Objects;

/**
 * A face cut out of a photo by {@link FfhqAlignment}: the aligned square image and where it came from.
 *
 * <p><b>Geometry.</b> Coordinates are continuous, pixel {@code k} spanning {@code [k, k+1)} (its centre at
 * {@code k + 0.5}), in the aligned image as in the photo. The aligned image's square {@code [0, S]^2}
 * ({@code S} = its side) maps onto the quadrilateral {@link #quad()} of the photo bilinearly:
 * <pre>
 *   a = u / S,  b = v / S
 *   photo(u, v) = (1-a)(1-b) q0 + a(1-b) q3 + a b q2 + (1-a) b q1
 * </pre>
 * where {@code q0..q3} are the corners in the official script's order: the aligned image's top-left,
 * bottom-left, bottom-right and top-right. The quadrilateral is a parallelogram (a rotated square,
 * stretched by at most the rounding of a shrunk photo's size), so the map is affine and
 * {@link #toAligned} inverts it exactly. This is the map the official pixels follow: Pillow's transform
 * samples exactly there, a shrunk photo's coordinates are scaled by {@code W / rint(W / shrink)} and
 * {@code H / rint(H / shrink)}, crop and pad offsets cancel, and the final resize to the output size keeps
 * continuous coordinates. It is what pasting an edited face back into the photo needs.
 *
 * <p>Immutable; arrays are copied in and out.
 */
public final class AlignedFace {
  private final RgbImage image;
  private final double[] quad;
  private final Landmarks landmarks;
  private final double quadSize;

  /** A result of {@link FfhqAlignment}; {@code quad} is copied. */
  AlignedFace(RgbImage image, double[] quad, Landmarks landmarks, double quadSize) {
    this.image = Objects.requireNonNull(image, "image");
    if (quad.length != 8) {
      throw new IllegalArgumentException("quad must hold 8 coordinates, got " + quad.length);
    }
    this.quad = quad.clone();
    this.landmarks = Objects.requireNonNull(landmarks, "landmarks");
    this.quadSize = quadSize;
  }

  /** The aligned face, {@code outputSize x outputSize}. */
  public RgbImage image() {
    return image;
  }

  /** The aligned image's side length in pixels. */
  public int size() {
    return image.width();
  }

  /**
   * The aligned image's corners in the photo's continuous pixel coordinates, as
   * {@code x0, y0, x1, y1, x2, y2, x3, y3}: top-left, bottom-left, bottom-right, top-right of the aligned
   * image (the official {@code c - x - y, c - x + y, c + x + y, c + x - y}, half-pixel shift included).
   *
   * @return a copy
   */
  public double[] quad() {
    return quad.clone();
  }

  /** The landmarks the crop was computed from (photo pixel coordinates). */
  public Landmarks landmarks() {
    return landmarks;
  }

  /**
   * The side of the oriented crop square in photo pixels, as the official script computes it from the
   * landmarks ({@code qsize}); the scale of the face in the photo is {@code quadSize() / size()} photo
   * pixels per aligned pixel.
   */
  public double quadSize() {
    return quadSize;
  }

  /** The centre of {@link #quad()} in photo coordinates, {@code {x, y}}. */
  public double[] center() {
    return new double[] {
      (quad[0] + quad[2] + quad[4] + quad[6]) / 4, (quad[1] + quad[3] + quad[5] + quad[7]) / 4,
    };
  }

  /**
   * Maps a point of the aligned image to the photo.
   *
   * @param u column in {@code [0, size()]} (continuous; pixel centres at {@code i + 0.5})
   * @param v row in {@code [0, size()]}
   * @return {@code {x, y}} in the photo's continuous coordinates
   */
  public double[] toPhoto(double u, double v) {
    double s = size();
    double a = u / s;
    double b = v / s;
    double w0 = (1 - a) * (1 - b);
    double w1 = (1 - a) * b;
    double w2 = a * b;
    double w3 = a * (1 - b);
    return new double[] {
      w0 * quad[0] + w1 * quad[2] + w2 * quad[4] + w3 * quad[6],
      w0 * quad[1] + w1 * quad[3] + w2 * quad[5] + w3 * quad[7],
    };
  }

  /**
   * Maps a point of the photo to the aligned image (the inverse of {@link #toPhoto}); points outside the
   * quad give coordinates outside {@code [0, size()]}.
   *
   * @return {@code {u, v}} in the aligned image's continuous coordinates
   */
  public double[] toAligned(double x, double y) {
    double e1x = quad[6] - quad[0]; // along u: top-left -> top-right
    double e1y = quad[7] - quad[1];
    double e2x = quad[2] - quad[0]; // along v: top-left -> bottom-left
    double e2y = quad[3] - quad[1];
    double dx = x - quad[0];
    double dy = y - quad[1];
    double det = e1x * e2y - e1y * e2x;
    double s = size();
    return new double[] {(dx * e2y - dy * e2x) / det * s, (e1x * dy - e1y * dx) / det * s};
  }

  @Override
  public String toString() {
    return "AlignedFace[" + size() + "x" + size() + ", quad=" + Arrays.toString(quad) + "]";
  }
}
