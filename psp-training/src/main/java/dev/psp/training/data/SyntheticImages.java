package dev.psp.training.data;

import dev.psp.image.Planes;
import dev.psp.synthetic.SyntheticFaces;

/**
 * Faces of the synthetic domain as StyleGAN2 training images: image {@code i} is {@link
 * SyntheticFaces#sample}{@code (seed, i, size)} in [-1, 1], rendered on access. With an {@link
 * Oversampling} a face of weight {@code k} takes {@code k} consecutive indices, so a uniform draw
 * over {@link #count()} draws it {@code k} times as often.
 */
public final class SyntheticImages implements ImageSource {
  private final long seed;
  private final int size;
  private final WeightedFaces faces;

  /** {@code count} faces of {@code seed} at {@code size} px, each once. */
  public SyntheticImages(long seed, int count, int size) {
    this(seed, count, size, Oversampling.NONE);
  }

  /** {@code faces} faces of {@code seed} at {@code size} px, each as often as its weight. */
  public SyntheticImages(long seed, int faces, int size, Oversampling oversampling) {
    this.seed = seed;
    this.size = size;
    this.faces = new WeightedFaces(seed, faces, oversampling);
  }

  /** The number of indices: the faces, each counted as often as its weight. */
  @Override
  public int count() {
    return faces.count();
  }

  @Override
  public int resolution() {
    return size;
  }

  /** The face behind an index in [0, {@link #count()}). */
  public int face(int index) {
    return faces.face(index);
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
