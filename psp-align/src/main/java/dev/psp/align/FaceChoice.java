package dev.psp.align;

import java.util.List;
import java.util.Locale;

/**
 * Which of the faces found in a photo to align. The official script keeps the last detection dlib
 * returns ({@link #last()}); dlib orders detections by confidence, so that is the weakest one.
 *
 * <p>Immutable. Parsed from the CLI's {@code --face} values {@code last}, {@code largest}, {@code all}
 * or a 0-based index.
 */
public final class FaceChoice {
  private enum Kind { LAST, LARGEST, ALL, INDEX }

  private final Kind kind;
  private final int index;

  private FaceChoice(Kind kind, int index) {
    this.kind = kind;
    this.index = index;
  }

  /** The official behaviour: the last detection (dlib's least confident). */
  public static FaceChoice last() {
    return new FaceChoice(Kind.LAST, -1);
  }

  /** The face with the largest box; ties to the more confident one. */
  public static FaceChoice largest() {
    return new FaceChoice(Kind.LARGEST, -1);
  }

  /** Every face, in dlib's order (most confident first). */
  public static FaceChoice all() {
    return new FaceChoice(Kind.ALL, -1);
  }

  /** The face at {@code index} in dlib's order (0 = most confident). */
  public static FaceChoice index(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("face index must be >= 0, got " + index);
    }
    return new FaceChoice(Kind.INDEX, index);
  }

  /**
   * Parses {@code last}, {@code largest}, {@code all} or a 0-based index.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static FaceChoice parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "last":
        return last();
      case "largest":
        return largest();
      case "all":
        return all();
      default:
        try {
          return index(Integer.parseInt(t));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("face choice must be last, largest, all or a 0-based index, got '" + text + "'");
        }
    }
  }

  /**
   * The chosen faces among {@code faces} (dlib's order).
   *
   * @param source names the photo in the error
   * @throws NoFaceException when {@code faces} is empty or the index is past the last face
   */
  public List<Face> select(List<Face> faces, String source) throws NoFaceException {
    if (faces.isEmpty()) {
      throw new NoFaceException("no face found in " + source + " (dlib's frontal face detector, upsampled once, "
          + "finds frontal faces of about 40 px and more): use a photo with a visible face, or leave out --align "
          + "for an image that is already aligned");
    }
    switch (kind) {
      case LAST:
        return List.of(faces.get(faces.size() - 1));
      case ALL:
        return List.copyOf(faces);
      case LARGEST: {
        Face best = faces.get(0);
        for (Face f : faces) {
          if (f.box().area() > best.box().area()) {
            best = f;
          }
        }
        return List.of(best);
      }
      default:
        if (index >= faces.size()) {
          throw new NoFaceException(source + " has " + faces.size() + " face(s) (indices 0.." + (faces.size() - 1)
              + "), no face " + index + ": choose a smaller index, or last, largest or all");
        }
        return List.of(faces.get(index));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FaceChoice c && c.kind == kind && c.index == index;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + index;
  }

  @Override
  public String toString() {
    return kind == Kind.INDEX ? Integer.toString(index) : kind.name().toLowerCase(Locale.ROOT);
  }
}
