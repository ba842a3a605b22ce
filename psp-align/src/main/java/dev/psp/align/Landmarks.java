package dev.psp.align;

import java.util.Arrays;

/**
 * The 68 face landmarks of the iBUG 300-W layout that dlib's shape predictor gives, as integer pixel
 * positions (dlib rounds each point to the nearest pixel). Points 36-41 are the subject's right eye
 * (left in the picture), 42-47 the other eye, 48-59 the outer lip contour (48 and 54 the mouth corners).
 *
 * <p>Immutable; the coordinates are copied in and out.
 */
public final class Landmarks {
  /** Points in the 68-point layout. */
  public static final int COUNT = 68;

  private final long[] xy;

  private Landmarks(long[] xy) {
    this.xy = xy;
  }

  /**
   * Landmarks from interleaved coordinates {@code x0, y0, x1, y1, ...} (copied).
   *
   * @param xy {@code 2 * 68} values
   */
  public static Landmarks of(long[] xy) {
    if (xy.length != 2 * COUNT) {
      throw new IllegalArgumentException("landmarks need " + 2 * COUNT + " coordinates, got " + xy.length);
    }
    return new Landmarks(xy.clone());
  }

  /** Column of point {@code i}. */
  public long x(int i) {
    return xy[2 * i];
  }

  /** Row of point {@code i}. */
  public long y(int i) {
    return xy[2 * i + 1];
  }

  /** The interleaved coordinates {@code x0, y0, x1, y1, ...} (a copy). */
  public long[] toArray() {
    return xy.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Landmarks l && Arrays.equals(xy, l.xy);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(xy);
  }

  @Override
  public String toString() {
    return "Landmarks[" + COUNT + " points, first (" + x(0) + ", " + y(0) + ")]";
  }
}
