package dev.psp.align;

/**
 * A face's bounding box in pixels, as dlib gives it: integer corners, {@code right} and {@code bottom}
 * inclusive. Boxes may extend past the image (dlib does not clip them).
 *
 * @param left first column
 * @param top first row
 * @param right last column
 * @param bottom last row
 */
public record FaceBox(long left, long top, long right, long bottom) {
  /** Columns covered, {@code right - left + 1}; 0 when empty. */
  public long width() {
    return right < left ? 0 : right - left + 1;
  }

  /** Rows covered, {@code bottom - top + 1}; 0 when empty. */
  public long height() {
    return bottom < top ? 0 : bottom - top + 1;
  }

  /** Pixels covered. */
  public long area() {
    return width() * height();
  }

  /** The overlap of two boxes (empty when they do not meet). */
  public FaceBox intersect(FaceBox o) {
    return new FaceBox(Math.max(left, o.left), Math.max(top, o.top), Math.min(right, o.right), Math.min(bottom, o.bottom));
  }

  /** The smallest box holding both. */
  public FaceBox span(FaceBox o) {
    return new FaceBox(Math.min(left, o.left), Math.min(top, o.top), Math.max(right, o.right), Math.max(bottom, o.bottom));
  }
}
