package dev.psp.training.data;

import dev.psp.image.Planes;
import dev.psp.synthetic.SyntheticFaces;
import java.util.Arrays;

/**
 * Faces of the synthetic domain as StyleGAN2 training images: image {@code i} is {@link
 * SyntheticFaces#sample}{@code (seed, i, size)} in [-1, 1], rendered on access. With an {@link
 * Oversampling} a face of weight {@code k} takes {@code k} consecutive indices, so a uniform draw
 * over {@link #count()} draws it {@code k} times as often.
 */
public final class SyntheticImages implements ImageSource {
  private final long seed;
  private final int faces;
  private final int size;
  /** {@code ends[f]}: one past the last index of face {@code f}; null when every face is once. */
  private final int[] ends;

  /** {@code count} faces of {@code seed} at {@code size} px, each once. */
  public SyntheticImages(long seed, int count, int size) {
    this(seed, count, size, Oversampling.NONE);
  }

  /** {@code faces} faces of {@code seed} at {@code size} px, each as often as its weight. */
  public SyntheticImages(long seed, int faces, int size, Oversampling oversampling) {
    if (faces < 1) {
      throw new IllegalArgumentException("count must be positive, got " + faces);
    }
    this.seed = seed;
    this.faces = faces;
    this.size = size;
    if (oversampling.isNone()) {
      this.ends = null;
    } else {
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
  }

  /** The number of indices: the faces, each counted as often as its weight. */
  @Override
  public int count() {
    return ends == null ? faces : ends[faces - 1];
  }

  @Override
  public int resolution() {
    return size;
  }

  /** The face behind an index in [0, {@link #count()}). */
  public int face(int index) {
    if (index < 0 || index >= count()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count());
    }
    if (ends == null) {
      return index;
    }
    int f = Arrays.binarySearch(ends, index + 1); // ends rise strictly: every weight is >= 1
    return f >= 0 ? f : -f - 1;
  }

  @Override
  public float[] image(int index) {
    int[][] planes = Planes.rgb(SyntheticFaces.sample(seed, face(index), size).image());
    int plane = size * size;
    float[] out = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        // ToTensor and Normalize((0.5,), (0.5,)) in float32, as Preprocessing.rgb
        out[c * plane + i] = ((planes[c][i] / 255f) - 0.5f) / 0.5f;
      }
    }
    return out;
  }
}
