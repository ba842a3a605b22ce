package dev.psp.training.data;

import dev.psp.synthetic.SyntheticFaces;
import java.util.Arrays;

/**
 * The draw indices of {@code faces} synthetic faces of one seed under an {@link Oversampling}: a
 * face of weight {@code k} takes {@code k} consecutive indices, so a uniform draw over {@link
 * #count()} draws it {@code k} times as often. Without oversampling index {@code i} is face {@code i}.
 */
final class WeightedFaces {
  private final int faces;
  /** {@code ends[f]}: one past the last index of face {@code f}; null when every face is once. */
  private final int[] ends;

  WeightedFaces(long seed, int faces, Oversampling oversampling) {
    if (faces < 1) {
      throw new IllegalArgumentException("count must be positive, got " + faces);
    }
    this.faces = faces;
    if (oversampling.isNone()) {
      this.ends = null;
      return;
    }
    this.ends = new int[faces];
    long end = 0;
    for (int f = 0; f < faces; f++) {
      end += oversampling.weight(SyntheticFaces.params(seed, f));
      if (end > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(faces + " faces oversampled with " + oversampling
            + " make more than 2^31 draws: use fewer faces or smaller weights");
      }
      ends[f] = (int) end;
    }
  }

  /** The number of indices: the faces, each counted as often as its weight. */
  int count() {
    return ends == null ? faces : ends[faces - 1];
  }

  /** The face behind an index in [0, {@link #count()}). */
  int face(int index) {
    if (index < 0 || index >= count()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count());
    }
    if (ends == null) {
      return index;
    }
    int f = Arrays.binarySearch(ends, index + 1); // ends rise strictly: every weight is >= 1
    return f >= 0 ? f : -f - 1;
  }
}
